"""A writer killed between the lake put and the warehouse commit: finished automatically.

The writer is a real child process killed with SIGKILL inside the warehouse load, after its
lake files were put; the journal it left beside its backups lets the next writer (or the IO
manager at a run's start) make the warehouse equal to the lake, window by window.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from crypto_assets.storage.duckdb_warehouse import DuckDBWarehouse
from crypto_assets.storage.journal import read_journals, referenced_backups
from crypto_assets.storage.lake import ParquetLake
from crypto_assets.storage.lake_stores import STAGING_DIR, STALE_AFTER
from crypto_assets.storage.lakehouse import finish_unfinished, replace_windows
from crypto_assets_tests.support.storage import TEN, W0, W1, lake_rows, posts

KILLED_WRITER = """
import os, signal, sys
from datetime import timedelta
from crypto_assets.storage.duckdb_warehouse import DuckDBWarehouse, DuckDBWindowReplace
from crypto_assets.storage.lake import ParquetLake
from crypto_assets.storage.lakehouse import replace_windows
from crypto_assets_tests.support.storage import W0, W1, posts
import pyarrow as pa

original = DuckDBWindowReplace.load
def load_then_die(self, files):
    original(self, files)
    os.kill(os.getpid(), signal.SIGKILL)  # an OOM kill: after the lake put, before COMMIT
DuckDBWindowReplace.load = load_then_die
lake, wh = ParquetLake(sys.argv[1]), DuckDBWarehouse(sys.argv[2])
table = pa.concat_tables([posts(W0, ["n1", "n2", "n3"]), posts(W1, ["n4"])])
replace_windows(lake, wh, "reddit_posts", table, [W0, W1], timedelta(minutes=10))
"""


def kill_a_writer(lake_root: Path, db: Path) -> None:
    """Run a replacement of W0..W1 in a child process that is SIGKILLed mid-load."""
    done = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(KILLED_WRITER), str(lake_root), str(db)],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == -9, done.stderr.decode()[-2000:]


def warehouse_by_window(db: Path) -> dict[str, list[str]]:
    wh = DuckDBWarehouse(db)
    tables = wh.query("SELECT table_name FROM information_schema.tables")
    if "reddit_posts" not in set(tables["table_name"]):
        return {}
    rows = wh.query('SELECT window_start, post_id FROM "LOADING"."reddit_posts"')
    grouped = rows.groupby(rows["window_start"].dt.strftime("%H:%M"))["post_id"]
    return {w: sorted(ids) for w, ids in grouped}


def staged(lake_root: Path) -> list[str]:
    folder = lake_root / STAGING_DIR
    return sorted(p.name for p in folder.iterdir() if p.is_file()) if folder.exists() else []


@pytest.mark.parametrize("history", [True, False], ids=["over stored windows", "fresh home"])
def test_a_writer_killed_before_the_warehouse_commit_is_finished_by_the_next(
    tmp_path: Path, history: bool
) -> None:
    lake_root, db = tmp_path / "lake", tmp_path / "w.duckdb"
    lake, wh = ParquetLake(str(lake_root)), DuckDBWarehouse(db)
    if history:
        replace_windows(lake, wh, "reddit_posts", posts(W0, ["old"]), [W0], TEN)
    kill_a_writer(lake_root, db)

    # What the kill left: the new lake files, the old warehouse, a journal and its backups.
    assert lake_rows(lake, [W0, W1]) == {"14:20": ["n1", "n2", "n3"], "14:30": ["n4"]}
    assert warehouse_by_window(db) == ({"14:20": ["old"]} if history else {})
    (journal,) = read_journals(lake.store)
    assert len(referenced_backups([journal])) == int(history)

    repairs = finish_unfinished(lake, wh)

    assert [r.journal.txid for r in repairs] == [journal.txid]
    assert repairs[0].rows == 4 and "reddit_posts" in repairs[0].describe()
    assert warehouse_by_window(db) == lake_rows(lake, [W0, W1])
    assert read_journals(lake.store) == [] and staged(lake_root) == []


def test_the_next_write_of_the_table_finishes_it_first(tmp_path: Path) -> None:
    lake_root, db = tmp_path / "lake", tmp_path / "w.duckdb"
    lake, wh = ParquetLake(str(lake_root)), DuckDBWarehouse(db)
    kill_a_writer(lake_root, db)
    later = W1 + TEN
    written = replace_windows(lake, wh, "reddit_posts", posts(later, ["x"]), [later], TEN)
    assert len(written.repairs) == 1
    assert warehouse_by_window(db) == lake_rows(lake, [W0, W1, later])


def test_the_sweep_keeps_an_unresolved_backup_however_old(tmp_path: Path) -> None:
    lake_root, db = tmp_path / "lake", tmp_path / "w.duckdb"
    lake, wh = ParquetLake(str(lake_root)), DuckDBWarehouse(db)
    replace_windows(lake, wh, "reddit_posts", posts(W0, ["old"]), [W0], TEN)
    kill_a_writer(lake_root, db)
    stray = lake_root / STAGING_DIR / "stray.bak"  # a crash before any journal was written
    stray.write_bytes(b"x")
    old = time.time() - STALE_AFTER.total_seconds() - 60
    for path in (lake_root / STAGING_DIR).iterdir():
        if path.is_file():
            os.utime(path, (old, old))

    lake.begin()  # sweeps

    (journal,) = read_journals(lake.store)
    (backup,) = referenced_backups([journal])
    assert staged(lake_root) == [Path(backup).name]  # the stray went, the journal's stayed
    finish_unfinished(lake, wh)
    assert warehouse_by_window(db) == lake_rows(lake, [W0, W1])


def test_a_journal_of_a_committed_write_is_resolved_harmlessly(tmp_path: Path) -> None:
    """A writer that committed both stores but died before dropping its journal."""
    lake_root, db = tmp_path / "lake", tmp_path / "w.duckdb"
    lake, wh = ParquetLake(str(lake_root)), DuckDBWarehouse(db)
    replace_windows(lake, wh, "reddit_posts", posts(W0, ["a"]), [W0], TEN)
    transaction_commit = type(lake.begin()).commit
    try:
        type(lake.begin()).commit = lambda self: None  # dies right after the warehouse COMMIT
        replace_windows(lake, wh, "reddit_posts", posts(W0, ["b", "c"]), [W0], TEN)
    finally:
        type(lake.begin()).commit = transaction_commit
    assert len(read_journals(lake.store)) == 1
    finish_unfinished(lake, wh)
    assert warehouse_by_window(db) == lake_rows(lake, [W0]) == {"14:20": ["b", "c"]}
    assert staged(lake_root) == []


def test_repairs_show_in_the_run_metadata(tmp_path: Path) -> None:
    """The IO manager finishes it when a run starts, and says so on its materializations."""
    from dagster import DagsterInstance, materialize

    from crypto_assets_tests.support.definitions import live_assets, replay_definitions

    defs = replay_definitions()
    from crypto_assets.deployment import build_resources
    from crypto_assets.environment import Settings

    settings = Settings.from_env({"CRYPTO_ASSETS_HOME": str(tmp_path), "CRYPTO_SOURCE": "replay"})
    kill_a_writer(Path(settings.lake_root), settings.duckdb_path)
    with DagsterInstance.ephemeral() as instance:
        result = materialize(
            live_assets(defs),
            resources=build_resources(settings),
            instance=instance,
            partition_key="2025-10-19-12:40",
        )
    assert result.success
    metadata = result.asset_materializations_for_node("reddit_posts")[0].metadata
    assert metadata["unfinished_replaces_repaired"].value == 1
    assert "left by" in metadata["repairs"].value
    lake = ParquetLake(settings.lake_root)
    stored = warehouse_by_window(settings.duckdb_path)
    assert {w: stored[w] for w in ("14:20", "14:30")} == lake_rows(lake, [W0, W1])
    assert read_journals(lake.store) == []
