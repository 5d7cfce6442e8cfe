"""Runs that share windows: two overlapping range runs at once, and an analyst reading meanwhile."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from dagster import DagsterInstance, materialize

from crypto_assets.datasets import WAREHOUSE_SCHEMAS
from crypto_assets.definitions import LIVE_SELECTION
from crypto_assets.deployment import build_resources
from crypto_assets.environment import Settings
from crypto_assets.storage.duckdb_warehouse import DuckDBWarehouse
from crypto_assets_tests.e2e.support import REPO
from crypto_assets_tests.support.definitions import live_assets, replay_definitions
from crypto_assets_tests.support.subprocess_env import clean_env

defs = replay_definitions()
pytestmark = pytest.mark.slow  # the full lane (make test) only

RANGES = ("2025-10-19-11:00...2025-10-19-12:50", "2025-10-19-12:00...2025-10-19-13:50")


def lake_by_window(settings: Settings, asset: str) -> dict[str, int]:
    """Rows per window folder of one asset in the lake."""
    folder = Path(settings.lake_root) / asset
    return {
        f.parent.name[len("timestamp=") : len("timestamp=") + 16]: len(pd.read_parquet(f))
        for f in folder.glob("*/*.parquet")
    }


def warehouse_by_window(settings: Settings, asset: str) -> dict[str, int]:
    """Rows per window_start of one asset's warehouse table."""
    df = DuckDBWarehouse(settings.duckdb_path).query(
        f"SELECT strftime(window_start, '%Y-%m-%dT%H:%M') w, count(*) n "
        f'FROM "{WAREHOUSE_SCHEMAS[asset]}"."{asset}" GROUP BY 1'
    )
    return dict(zip(df["w"], df["n"].astype(int), strict=True))


def test_two_overlapping_range_runs_leave_both_stores_equal(tmp_path: Path) -> None:
    env = clean_env()
    env |= {
        "CRYPTO_ASSETS_HOME": str(tmp_path),
        "CRYPTO_SOURCE": "replay",
        "DAGSTER_HOME": str(tmp_path / "dagster"),
    }
    (tmp_path / "dagster").mkdir()
    # Two CLI processes opening a brand-new SQLite instance both stamp its schema version and
    # one dies on the UNIQUE constraint: create the instance's databases first, as `make dev`
    # does before any run.
    instance = DagsterInstance.from_config(str(tmp_path / "dagster"))
    assert instance.run_storage and instance.event_log_storage and instance.schedule_storage
    runs = [
        subprocess.Popen(
            [
                str(REPO / ".venv/bin/dagster"),
                "asset",
                "materialize",
                "-m",
                "crypto_assets.definitions",
                "--select",
                LIVE_SELECTION,
                "--partition-range",
                partition_range,
            ],
            cwd=REPO,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for partition_range in RANGES
    ]
    outputs = [run.communicate(timeout=300)[0] for run in runs]
    for run, output in zip(runs, outputs, strict=True):
        assert run.returncode == 0, output[-3000:]
        assert "RUN_SUCCESS" in output
    settings = Settings.from_env({"CRYPTO_ASSETS_HOME": str(tmp_path)})
    for asset in WAREHOUSE_SCHEMAS:
        lake, warehouse = lake_by_window(settings, asset), warehouse_by_window(settings, asset)
        assert {w: n for w, n in lake.items() if n} == warehouse, asset
        assert len(lake) == 18, asset  # 11:00 to 13:50, every window once
    keys = DuckDBWarehouse(settings.duckdb_path).query(
        "SELECT count(*) n, count(DISTINCT (window_start, post_id)) d FROM LOADING.reddit_posts"
    )
    assert int(keys["n"][0]) == int(keys["d"][0]) > 0


def test_an_analyst_on_the_lake_views_never_blocks_a_run(tmp_path: Path) -> None:
    settings = Settings.from_env({"CRYPTO_ASSETS_HOME": str(tmp_path), "CRYPTO_SOURCE": "replay"})
    assets = live_assets(defs)
    with DagsterInstance.ephemeral() as instance:
        first = materialize(
            assets,
            resources=build_resources(settings),
            instance=instance,
            partition_key="2025-10-19-12:40",
        )
        assert first.success
        reader = subprocess.Popen(
            [sys.executable, "-c", ANALYST],
            env={**os.environ, "CRYPTO_ASSETS_HOME": str(tmp_path)},
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            assert reader.stdout is not None and reader.stdout.readline().startswith("reading")
            tags = {
                "dagster/asset_partition_range_start": "2025-10-19-11:00",
                "dagster/asset_partition_range_end": "2025-10-19-12:50",
            }
            result = materialize(
                assets, resources=build_resources(settings), instance=instance, tags=tags
            )
        finally:
            reader.kill()
            reader.wait()
    assert result.success
    waits = [
        m.metadata["warehouse_lock_wait_s"].value
        for node in WAREHOUSE_SCHEMAS
        for m in result.asset_materializations_for_node(node)
    ]
    assert waits and set(waits) == {0.0}  # every write found the warehouse free at once


# Holds the analysts' connection open and queries it in a loop (bounded: 60 s at most).
ANALYST = """
import time
from crypto_assets.analytics import lake_connection
con = lake_connection()
print("reading", flush=True)
deadline = time.monotonic() + 60
while time.monotonic() < deadline:
    con.sql("SELECT symbol, sum(mentions) FROM mention_counts GROUP BY 1").fetchall()
    time.sleep(0.05)
"""
