"""Backfilling a window range from the command line, as the README shows it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from crypto_assets.datasets import WAREHOUSE_SCHEMAS
from crypto_assets.definitions import LIVE_SELECTION
from crypto_assets.environment import PROJECT_ROOT

pytestmark = pytest.mark.slow  # the full lane (make test) only


def test_cli_partition_range_materializes_every_window_in_one_run(tmp_path: Path) -> None:
    home = tmp_path / "home"
    (home / "dagster").mkdir(parents=True)
    (home / "dagster" / "dagster.yaml").write_text((PROJECT_ROOT / "dagster.yaml").read_text())
    env = {
        **os.environ,
        "CRYPTO_ASSETS_HOME": str(home),
        "CRYPTO_SOURCE": "replay",
        "DAGSTER_HOME": str(home / "dagster"),
    }
    dagster = Path(sys.executable).with_name("dagster")
    done = subprocess.run(
        [
            str(dagster),
            "asset",
            "materialize",
            "-m",
            "crypto_assets.definitions",
            "--select",
            LIVE_SELECTION,
            "--partition-range",
            "2025-10-19-12:20...2025-10-19-12:40",
        ],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    for asset in WAREHOUSE_SCHEMAS:
        folders = sorted(p.name for p in (home / "lake" / asset).iterdir())
        assert folders == [
            "timestamp=2025-10-19T12:20:00.000Z",
            "timestamp=2025-10-19T12:30:00.000Z",
            "timestamp=2025-10-19T12:40:00.000Z",
        ], asset
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        windows = con.execute(
            'SELECT count(DISTINCT window_start) FROM "LOADING"."coin_listings"'
        ).fetchone()
    assert windows == (3,)
    assert done.stderr.count("RUN_SUCCESS") == 1
