"""Crash soak: runs of a 6-hour range killed with SIGKILL at random moments, then checked.

Each round starts a run of six hours of windows (all assets, replay data) in its own process,
kills it with SIGKILL at a random moment, then runs one normal window elsewhere in a fresh
process (whose IO manager finishes what the dead run left). Afterwards every window of every
asset must hold as many rows in the lake as in the warehouse, and `_staging/` no journal.

    .venv/bin/python benchmarks/crash_soak.py --runs 20

prints one line per round: when the kill came, what it interrupted (a journal left behind means
the kill hit the gap between the lake put and the warehouse commit), how many windows differed
before the repair and after it. Exit status 1 if any window differs at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
FIRST_RANGE = datetime(2025, 10, 23, 0, 0)  # replay days with 100+ posts each
RANGE = timedelta(hours=6)
QUIET_WINDOWS = datetime(2025, 10, 29, 18, 0)  # the normal runs' windows, outside every range
KEY = "%Y-%m-%d-%H:%M"


def child_run(first: str, last: str) -> None:
    """Materialize every asset for windows first..last in this process (the soak's victim)."""
    from dagster import DagsterInstance, materialize

    from crypto_assets.definitions import build_definitions, live_assets
    from crypto_assets.deployment import build_resources
    from crypto_assets.environment import Settings

    settings = Settings.from_env()
    tags = {"dagster/asset_partition_range_start": first, "dagster/asset_partition_range_end": last}
    print("ready", flush=True)  # imports done: the run itself starts now
    with DagsterInstance.ephemeral() as instance:
        result = materialize(
            live_assets(build_definitions(settings)),
            resources=build_resources(settings),
            instance=instance,
            tags=tags,
        )
    sys.exit(0 if result.success else 1)


def start_run(home: Path, first: datetime, last: datetime) -> subprocess.Popen:
    """A run of first..last in a new process."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CRYPTO_", "DAGSTER_"))}
    env |= {"CRYPTO_ASSETS_HOME": str(home), "CRYPTO_SOURCE": "replay"}
    command = [sys.executable, __file__, "--child", f"{first:{KEY}}", f"{last:{KEY}}"]
    # Dagster logs to stderr: a file, so a full pipe can never stall the run.
    with (home / "soak_run.log").open("w") as log:
        return subprocess.Popen(
            command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=log, text=True
        )


def wait_ready(run: subprocess.Popen) -> float:
    """Block until the run's process has imported everything; the moment it did."""
    assert run.stdout is not None
    if run.stdout.readline().strip() != "ready":
        raise SystemExit("a run died before starting: see soak_run.log in the home")
    return time.monotonic()


def finish(run: subprocess.Popen) -> None:
    """Wait for a run that must succeed."""
    run.communicate(timeout=600)
    if run.returncode:
        raise SystemExit("a normal run failed: see soak_run.log in the home")


def differing_windows(home: Path) -> dict[str, int]:
    """Per asset, the windows whose lake and warehouse row counts differ."""
    import pandas as pd

    from crypto_assets.datasets import WAREHOUSE_SCHEMAS
    from crypto_assets.environment import Settings
    from crypto_assets.storage.duckdb_warehouse import DuckDBWarehouse

    settings = Settings.from_env({"CRYPTO_ASSETS_HOME": str(home), "CRYPTO_SOURCE": "replay"})
    warehouse = DuckDBWarehouse(settings.duckdb_path)
    tables = set(warehouse.query("SELECT table_name FROM information_schema.tables")["table_name"])
    differ = {}
    for asset, schema in WAREHOUSE_SCHEMAS.items():
        lake = {
            f.parent.name[len("timestamp=") :][:16]: len(pd.read_parquet(f))
            for f in (Path(settings.lake_root) / asset).glob("*/*.parquet")
        }
        stored = {}
        if asset in tables:
            rows = warehouse.query(
                f"SELECT strftime(window_start, '%Y-%m-%dT%H:%M') w, count(*) n "
                f'FROM "{schema}"."{asset}" GROUP BY 1'
            )
            stored = dict(zip(rows["w"], rows["n"].astype(int), strict=True))
        lake = {w: n for w, n in lake.items() if n}  # an empty window has no warehouse rows
        differ[asset] = sum(lake.get(w) != stored.get(w) for w in set(lake) | set(stored))
    return differ


def journals(home: Path) -> list[dict]:
    """Unfinished replacements left in the lake's staging folder."""
    folder = home / "lake" / "_staging" / "journal"
    return [json.loads(p.read_text()) for p in sorted(folder.glob("*.json"))]


def soak(home: Path, runs: int, seed: int) -> int:
    """Run the soak in `home`; return the number of windows still differing at the end."""
    rng = random.Random(seed)
    home.mkdir(parents=True, exist_ok=True)
    calibration = start_run(home, FIRST_RANGE, FIRST_RANGE + RANGE - timedelta(minutes=10))
    began = wait_ready(calibration)
    finish(calibration)
    full = time.monotonic() - began
    print(f"a 6-hour run takes {full:.1f} s after its imports; kills fall in [0, {full:.1f}] s")
    hits = Counter()
    for i in range(1, runs + 1):
        first = FIRST_RANGE + RANGE * i
        victim = start_run(home, first, first + RANGE - timedelta(minutes=10))
        kill_at = rng.uniform(0, full)
        wait_ready(victim)
        try:
            victim.wait(timeout=kill_at)
            moment = "after the run ended"
        except subprocess.TimeoutExpired:
            os.kill(victim.pid, signal.SIGKILL)
            victim.wait()
            moment = "during the run"
        left = journals(home)
        before = sum(differing_windows(home).values())
        gap = ", ".join(sorted({j["table_name"] for j in left})) or "-"
        hits["gap" if left else "no gap"] += 1
        quiet = QUIET_WINDOWS + timedelta(minutes=10 * i)
        finish(start_run(home, quiet, quiet))
        after = differing_windows(home)
        print(
            f"round {i:2}: killed at {kill_at:5.1f} s ({moment}); unfinished replace: {gap}; "
            f"windows differing before repair {before}, after {sum(after.values())}"
        )
    still = sum(differing_windows(home).values())
    print(
        f"{runs} kills: {hits['gap']} hit the lake/warehouse gap, {hits['no gap']} did not; "
        f"windows differing at the end: {still}; journals left: {len(journals(home))}"
    )
    return still + len(journals(home))


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and run the soak (or, with --child, one victim run)."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20, help="killed runs (default 20)")
    parser.add_argument("--seed", type=int, default=20261205, help="seed of the kill moments")
    parser.add_argument("--home", type=Path, help="CRYPTO_ASSETS_HOME (default: a temp folder)")
    parser.add_argument("--child", nargs=2, metavar=("FIRST", "LAST"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child_run(*args.child)
    if not 1 <= args.runs <= 20:
        parser.error("--runs: 1 to 20 (each round takes a new 6-hour range of the replay days)")
    with tempfile.TemporaryDirectory() as scratch:
        return 1 if soak(args.home or Path(scratch), args.runs, args.seed) else 0


if __name__ == "__main__":
    raise SystemExit(main())
