"""What every warehouse guarantees: delete-window + insert, idempotent, empty windows clear."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pytest

from crypto_assets.storage.duckdb_warehouse import DuckDBWarehouse
from crypto_assets.storage.snowflake_warehouse import SnowflakeWarehouse
from crypto_assets_tests.storage.test_lake import W0, W1, posts

END = datetime(2025, 10, 5, 14, 40)
Warehouse = DuckDBWarehouse | SnowflakeWarehouse


def count_by_window(wh: Warehouse) -> dict[str, int]:
    """Rows per window_start (HH:MM) in LOADING.reddit_posts, on either backend."""
    df = wh.query("SELECT window_start AS w, count(*) AS n FROM loading.reddit_posts GROUP BY 1")
    df.columns = [c.lower() for c in df.columns]
    return {
        pd.Timestamp(w).strftime("%H:%M"): int(n)
        for w, n in sorted(zip(df["w"], df["n"], strict=True))
    }


@pytest.fixture(params=["duckdb", "snowflake"])
def warehouse(request: pytest.FixtureRequest, tmp_path: Path) -> Warehouse:
    """A fresh DuckDB file, or a fresh database on fakesnow's server (real connector)."""
    if request.param == "duckdb":
        return DuckDBWarehouse(tmp_path / "w.duckdb")
    return SnowflakeWarehouse(request.getfixturevalue("snowflake_kwargs"))


def test_rewriting_a_window_never_duplicates(warehouse: Warehouse) -> None:
    table = pa.concat_tables([posts(W0, ["a", "b"]), posts(W1, ["c"])])
    assert warehouse.replace_windows("LOADING", "reddit_posts", table, W0, END) == 3
    warehouse.replace_windows("LOADING", "reddit_posts", table, W0, END)
    assert count_by_window(warehouse) == {"14:20": 2, "14:30": 1}


def test_replacing_one_window_leaves_the_others(warehouse: Warehouse) -> None:
    both = pa.concat_tables([posts(W0, ["a"]), posts(W1, ["b"])])
    warehouse.replace_windows("LOADING", "reddit_posts", both, W0, END)
    warehouse.replace_windows("LOADING", "reddit_posts", posts(W1, ["x", "y", "z"]), W1, END)
    assert count_by_window(warehouse) == {"14:20": 1, "14:30": 3}


def test_empty_window_creates_the_table_and_clears_stale_rows(warehouse: Warehouse) -> None:
    warehouse.replace_windows("LOADING", "reddit_posts", posts(W0, []), W0, W1)
    assert count_by_window(warehouse) == {}
    warehouse.replace_windows("LOADING", "reddit_posts", posts(W0, ["a"]), W0, W1)
    warehouse.replace_windows("LOADING", "reddit_posts", posts(W0, []), W0, W1)
    assert count_by_window(warehouse) == {}
