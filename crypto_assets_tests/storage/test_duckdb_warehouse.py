"""The DuckDB warehouse: delete-window + insert, atomic, idempotent, empty windows."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pytest

from crypto_assets.storage.duckdb_warehouse import DuckDBWarehouse
from crypto_assets_tests.storage.test_lake import W0, W1, posts

END = datetime(2025, 10, 5, 14, 40)


def count_by_window(wh: DuckDBWarehouse) -> dict[str, int]:
    """Rows per window_start in LOADING.reddit_posts."""
    df = wh.query(
        'SELECT strftime(window_start, \'%H:%M\') AS w, count(*) AS n FROM "LOADING"."reddit_posts" '
        "GROUP BY 1 ORDER BY 1"
    )
    return dict(zip(df["w"], df["n"], strict=True))


def test_rewriting_a_window_never_duplicates(tmp_path: Path) -> None:
    wh = DuckDBWarehouse(tmp_path / "w.duckdb")
    table = pa.concat_tables([posts(W0, ["a", "b"]), posts(W1, ["c"])])
    wh.replace_windows("LOADING", "reddit_posts", table, W0, END)
    wh.replace_windows("LOADING", "reddit_posts", table, W0, END)
    assert count_by_window(wh) == {"14:20": 2, "14:30": 1}


def test_replacing_one_window_leaves_the_others(tmp_path: Path) -> None:
    wh = DuckDBWarehouse(tmp_path / "w.duckdb")
    wh.replace_windows(
        "LOADING", "reddit_posts", pa.concat_tables([posts(W0, ["a"]), posts(W1, ["b"])]), W0, END
    )
    wh.replace_windows("LOADING", "reddit_posts", posts(W1, ["x", "y", "z"]), W1, END)
    assert count_by_window(wh) == {"14:20": 1, "14:30": 3}


def test_empty_window_creates_the_table_and_clears_stale_rows(tmp_path: Path) -> None:
    wh = DuckDBWarehouse(tmp_path / "w.duckdb")
    wh.replace_windows("LOADING", "reddit_posts", posts(W0, []), W0, W1)
    assert count_by_window(wh) == {}
    wh.replace_windows("LOADING", "reddit_posts", posts(W0, ["a"]), W0, W1)
    wh.replace_windows("LOADING", "reddit_posts", posts(W0, []), W0, W1)
    assert count_by_window(wh) == {}
    columns = wh.query(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = 'LOADING' AND table_name = 'reddit_posts'"
    )
    assert dict(zip(columns["column_name"], columns["data_type"], strict=True))["window_start"] == (
        "TIMESTAMP"
    )


def test_failed_insert_rolls_back_and_keeps_the_previous_version(tmp_path: Path) -> None:
    wh = DuckDBWarehouse(tmp_path / "w.duckdb")
    wh.replace_windows("LOADING", "reddit_posts", posts(W0, ["a", "b"]), W0, W1)
    bad = posts(W0, ["c"]).set_column(
        6, "score", pa.array(["not a number"], type=pa.string())
    )  # cannot be cast to BIGINT: the INSERT fails after the DELETE ran
    with pytest.raises(Exception, match=r"(?i)conversion|cast|convert"):
        wh.replace_windows("LOADING", "reddit_posts", bad, W0, W1)
    assert count_by_window(wh) == {"14:20": 2}


def test_waits_for_another_process_holding_the_file(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
            "print('locked', flush=True); time.sleep(2); c.close()",
            str(path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
    wh = DuckDBWarehouse(path, lock_timeout_s=30)
    wh.replace_windows("LOADING", "reddit_posts", posts(W0, ["a"]), W0, W1)
    assert holder.wait(timeout=30) == 0
    assert count_by_window(wh) == {"14:20": 1}
