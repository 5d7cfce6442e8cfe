"""DuckDB specifics: column types, rollback, waiting for another writer before touching the lake."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pytest

from crypto_assets.storage.duckdb_warehouse import DuckDBWarehouse
from crypto_assets.storage.lake import ParquetLake
from crypto_assets.storage.lakehouse import replace_windows
from crypto_assets_tests.support.storage import TEN, W0, lake_rows, posts, warehouse_rows


def test_empty_window_table_has_typed_columns(tmp_path: Path) -> None:
    wh = DuckDBWarehouse(tmp_path / "w.duckdb")
    replace_windows(ParquetLake(str(tmp_path)), wh, "reddit_posts", posts(W0, []), [W0], TEN)
    assert warehouse_rows(wh) == {}
    columns = wh.query(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = 'LOADING' AND table_name = 'reddit_posts'"
    )
    types = dict(zip(columns["column_name"], columns["data_type"], strict=True))
    assert types["window_start"] == "TIMESTAMP" and types["score"] == "BIGINT"


def test_failed_insert_rolls_back_both_stores(tmp_path: Path) -> None:
    lake, wh = ParquetLake(str(tmp_path / "lake")), DuckDBWarehouse(tmp_path / "w.duckdb")
    replace_windows(lake, wh, "reddit_posts", posts(W0, ["a", "b"]), [W0], TEN)
    bad = posts(W0, ["c"]).set_column(
        6, "score", pa.array(["not a number"], type=pa.string())
    )  # cannot be cast to BIGINT: the INSERT fails after the DELETE ran
    with pytest.raises(Exception, match=r"(?i)conversion|cast|convert"):
        replace_windows(lake, wh, "reddit_posts", bad, [W0], TEN)
    assert lake_rows(lake, [W0]) == warehouse_rows(wh) == {"14:20": ["a", "b"]}


def test_waits_for_another_process_holding_the_file_before_writing_the_lake(
    tmp_path: Path,
) -> None:
    path, lake = tmp_path / "w.duckdb", ParquetLake(str(tmp_path / "lake"))
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
    written = replace_windows(lake, wh, "reddit_posts", posts(W0, ["a"]), [W0], TEN)
    assert holder.wait(timeout=30) == 0
    assert written.lock_wait_s > 0.5
    assert lake_rows(lake, [W0]) == warehouse_rows(wh) == {"14:20": ["a"]}


def test_lock_timeout_fails_before_the_lake_is_touched(tmp_path: Path) -> None:
    path, lake = tmp_path / "w.duckdb", ParquetLake(str(tmp_path / "lake"))
    replace_windows(lake, DuckDBWarehouse(path), "reddit_posts", posts(W0, ["a"]), [W0], TEN)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
            "print('locked', flush=True); time.sleep(30)",
            str(path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(Exception, match=r"(?i)lock"):
            replace_windows(
                lake, DuckDBWarehouse(path, 1.0), "reddit_posts", posts(W0, ["x"]), [W0], TEN
            )
        assert lake_rows(lake, [W0]) == {"14:20": ["a"]}
    finally:
        holder.kill()
        holder.wait()
