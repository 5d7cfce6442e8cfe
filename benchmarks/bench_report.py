"""Benchmark: rendering market_report per day, against the day's own history backfill.

Run: .venv/bin/python benchmarks/bench_report.py [--repeat 3] [--live-day] [--json out.json]

In one process, on a temporary CRYPTO_ASSETS_HOME in replay mode, for each recorded history day
(2022-05-08, 2022-05-13, 2022-05-14; six subreddits, 200-coin universes):

1. the day's history backfill: `dagster.materialize` of the five `history/*` assets (one day);
2. the day's report, rendered `--repeat` times straight from the lake (`build_day_report`:
   read, figure data, PNG, HTML), and once as `dagster.materialize` of `market_report` (the
   render plus writing the files and the run's own overhead).

`--live-day` adds the replay live day 2025-10-20 (144 windows, 1,000-coin listings, so the
heaviest price read), backfilled as one range run of the live graph. Prints one line per day
and the ratio report / backfill; never a pass/fail on time (the machine is shared and noisy).
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from datetime import date, datetime, timedelta

from dagster import AssetKey, AssetsDefinition, DagsterInstance, PartitionKeyRange, materialize

from crypto_assets.definitions import build_definitions, history_assets, live_assets
from crypto_assets.environment import Settings
from crypto_assets.report.day import build_day_report
from crypto_assets.sources.history_replay import REPLAY_HISTORY_DAYS
from crypto_assets.storage.lake import ParquetLake

LIVE_DAY = date(2025, 10, 20)
REPORT = AssetKey("market_report")


def _seconds(action) -> float:
    start = time.perf_counter()
    result = action()
    assert getattr(result, "success", True), "run failed"
    return time.perf_counter() - start


def main() -> None:
    cli = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    cli.add_argument("--repeat", type=int, default=3)
    cli.add_argument("--live-day", action="store_true")
    cli.add_argument("--json")
    args = cli.parse_args()
    home = tempfile.mkdtemp(prefix="bench_report_")
    settings = Settings.from_env({"CRYPTO_ASSETS_HOME": home, "CRYPTO_SOURCE": "replay"})
    defs = build_definitions(settings)
    resources = dict(defs.resources or {})
    (report_asset,) = [
        a for a in defs.assets or [] if isinstance(a, AssetsDefinition) and a.key == REPORT
    ]
    lake = ParquetLake(settings.lake_root)
    days = [(day, "history") for day in REPLAY_HISTORY_DAYS]
    days += [(LIVE_DAY, "live")] if args.live_day else []
    rows = []
    with DagsterInstance.ephemeral() as instance:
        for day, graph in days:
            if graph == "history":
                backfill = _seconds(
                    lambda d=day: materialize(
                        history_assets(defs),
                        resources=resources,
                        instance=instance,
                        partition_key=d.isoformat(),
                    )
                )
            else:
                first = datetime(day.year, day.month, day.day)
                keys = (first, first + timedelta(hours=23, minutes=50))
                span = PartitionKeyRange(*(f"{k:%Y-%m-%d-%H:%M}" for k in keys))
                backfill = _seconds(
                    lambda s=span: materialize(
                        live_assets(defs),
                        resources=resources,
                        instance=instance,
                        tags={
                            "dagster/asset_partition_range_start": s.start,
                            "dagster/asset_partition_range_end": s.end,
                        },
                    )
                )
            renders = [build_day_report(lake, day, True) for _ in range(args.repeat)]
            run = _seconds(
                lambda d=day: materialize(
                    [report_asset],
                    resources=resources,
                    instance=instance,
                    partition_key=d.isoformat(),
                )
            )
            render = statistics.median(r.seconds for r in renders)
            rows.append(
                {
                    "day": day.isoformat(),
                    "graph": graph,
                    "backfill_s": round(backfill, 2),
                    "render_s": round(render, 3),
                    "render_min_s": round(min(r.seconds for r in renders), 3),
                    "report_run_s": round(run, 2),
                    "png_bytes": len(renders[-1].png),
                    "html_bytes": len(renders[-1].html),
                    "ratio_run_to_backfill": round(run / backfill, 3),
                }
            )
            print(json.dumps(rows[-1]), flush=True)
    if args.json:
        with open(args.json, "w") as out:
            json.dump(rows, out, indent=2)


if __name__ == "__main__":
    main()
