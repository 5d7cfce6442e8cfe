"""DuckDB specifics: column types, rollback, waiting for another writer (see the contract tests)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pytest

from crypto_assets.storage.duckdb_warehouse import DuckDBWarehouse
from crypto_assets_tests.storage.test_lake import W0, W1, posts
from crypto_assets_tests.storage.test_warehouse_contract import count_by_window


def test_empty_window_table_has_typed_columns(tmp_path: Path) -> None:
    wh = DuckDBWarehouse(tmp_path / "w.duckdb")
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
