"""Benchmark: a one-day (144-window) replay backfill in one run vs. one run per window.

Run: .venv/bin/python benchmarks/bench_backfill.py [--day 2025-10-20] [--single-runs 6]
Both measurements come from the same process on the same machine, so read the ratio, not the
absolute seconds (this machine is shared and noisy).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import datetime, timedelta

from dagster import DagsterInstance, materialize
from dagster._core.storage.tags import (
    ASSET_PARTITION_RANGE_END_TAG,
    ASSET_PARTITION_RANGE_START_TAG,
)

from crypto_assets.definitions import build_definitions
from crypto_assets.deployment import build_resources
from crypto_assets.environment import Settings
from crypto_assets.storage.duckdb_warehouse import DuckDBWarehouse

KEY = "%Y-%m-%d-%H:%M"
QUIET = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}


def fresh_resources() -> tuple[dict, Settings]:
    """Resources on replay data with state in a new temporary folder."""
    home = tempfile.mkdtemp(prefix="bench_backfill_")
    settings = Settings.from_env({"CRYPTO_ASSETS_HOME": home, "CRYPTO_SOURCE": "replay"})
    return build_resources(settings), settings


def main() -> None:
    """Time both ways of filling windows and print the per-window ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--day", default="2025-10-20")
    parser.add_argument("--single-runs", type=int, default=6)
    args = parser.parse_args()
    day = datetime.fromisoformat(args.day)
    resources, settings = fresh_resources()
    assets = list(build_definitions(settings).assets or [])
    tags = {
        ASSET_PARTITION_RANGE_START_TAG: day.strftime(KEY),
        ASSET_PARTITION_RANGE_END_TAG: (day + timedelta(minutes=1430)).strftime(KEY),
    }
    with DagsterInstance.ephemeral() as instance:
        t0 = time.perf_counter()
        assert materialize(assets, QUIET, instance, resources, tags=tags).success
        day_s = time.perf_counter() - t0
    posts = DuckDBWarehouse(settings.duckdb_path).query(
        'SELECT count(*) AS n, count(DISTINCT window_start) AS w FROM "LOADING"."reddit_posts"'
    )

    resources, _ = fresh_resources()
    with DagsterInstance.ephemeral() as instance:
        t0 = time.perf_counter()
        for i in range(args.single_runs):
            key = (day + timedelta(minutes=10 * i)).strftime(KEY)
            assert materialize(
                assets, resources=resources, instance=instance, partition_key=key
            ).success
        single_s = time.perf_counter() - t0

    per_window_range = day_s / 144
    per_window_single = single_s / args.single_runs
    print(
        f"one-day backfill, 144 windows in ONE run: {day_s:.1f} s "
        f"({int(posts['n'][0])} posts in {int(posts['w'][0])} non-empty windows)"
    )
    print(
        f"{args.single_runs} windows as {args.single_runs} runs: {single_s:.1f} s "
        f"({per_window_single:.2f} s per window)"
    )
    print(
        f"per-window cost ratio (one run per window / single-run backfill): "
        f"{per_window_single / per_window_range:.1f}x"
    )
    print(
        f"estimated one-day backfill as 144 separate in-process runs: {per_window_single * 144:.0f} s"
    )


if __name__ == "__main__":
    main()
