"""Benchmark: a multi-day replay backfill three ways, in one session on one machine.

1. one run, in process (`dagster asset materialize --partition-range`, embedded SQLite instance);
2. one run per day through the queue (PostgreSQL instance, daemon, in-process executor,
   DAGSTER_MAX_CONCURRENT_RUNS=1: one run worker at a time);
3. one run per day through the queue with CRYPTO_EXECUTOR=celery, 2 Celery workers and
   DAGSTER_MAX_CONCURRENT_RUNS=2.

Reports wall time, the peak RSS of each run's processes (VmHWM sampled from /proc) and the
speed-up against (1). Needs the machine's PostgreSQL (a scratch database, dropped at the end)
and Redis. Not a test: run it by hand, on a quiet machine if the seconds matter.

    .venv/bin/python benchmarks/bench_production.py [--days 7] [--first-day 2025-10-21]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import date, timedelta
from pathlib import Path

from crypto_assets.definitions import LIVE_SELECTION
from crypto_assets_tests.e2e.support import stop_group

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
BIN = REPO / ".venv/bin"
ASSETS = ("coin_listings", "reddit_posts", "sentiment_scores", "coin_mentions", "mention_counts")
RUN_MARKERS = ("execute_run", "multiprocessing.spawn", "asset materialize", "celery -A")


class PeakSampler(threading.Thread):
    """Every 0.5 s: the peak RSS (VmHWM) of every run / worker process, by pid."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peaks: dict[int, tuple[str, int]] = {}
        self._stop_event = threading.Event()

    def run(self) -> None:
        while not self._stop_event.is_set():
            for proc in Path("/proc").iterdir():
                if not proc.name.isdigit():
                    continue
                with contextlib.suppress(OSError, IndexError, ValueError):
                    cmd = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode()
                    kind = next((m for m in RUN_MARKERS if m in cmd), None)
                    # Only this benchmark's processes: their state folder is one of its own.
                    if kind is None or b"bench_prod_" not in (proc / "environ").read_bytes():
                        continue
                    status = (proc / "status").read_text()
                    hwm = int(status.split("VmHWM:")[1].split()[0])  # kB
                    self.peaks[int(proc.name)] = (
                        kind,
                        max(hwm, self.peaks.get(int(proc.name), ("", 0))[1]),
                    )
            self._stop_event.wait(0.5)

    def stop(self) -> dict[int, tuple[str, int]]:
        self._stop_event.set()
        self.join()
        return self.peaks


def day_keys(first: date, days: int) -> list[str]:
    return [
        f"{first + timedelta(days=d):%Y-%m-%d}-{h:02d}:{m:02d}"
        for d in range(days)
        for h in range(24)
        for m in range(0, 60, 10)
    ]


def base_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CRYPTO_", "DAGSTER_"))}
    return env | {
        "CRYPTO_ASSETS_HOME": str(home),
        "DAGSTER_HOME": str(home / "dagster"),
        "CRYPTO_SOURCE": "replay",
    }


def in_process(keys: list[str]) -> tuple[float, list[int]]:
    home = Path(tempfile.mkdtemp(prefix="bench_prod_inproc_"))
    (home / "dagster").mkdir()
    (home / "dagster/dagster.yaml").write_text((REPO / "dagster.yaml").read_text())
    sampler = PeakSampler()
    sampler.start()
    t0 = time.perf_counter()
    subprocess.run(
        [str(BIN / "dagster"), "asset", "materialize", "-m", "crypto_assets.definitions",
         "--select", LIVE_SELECTION, "--partition-range", f"{keys[0]}...{keys[-1]}"],
        cwd=REPO, env=base_env(home), check=True, capture_output=True,
    )  # fmt: skip
    wall = time.perf_counter() - t0
    return wall, [kb for _, kb in sampler.stop().values()]


@contextlib.contextmanager
def postgres_database():
    import psycopg2

    admin = psycopg2.connect(host="127.0.0.1", user="postgres", dbname="postgres")
    admin.autocommit = True
    name = f"crypto_assets_bench_{uuid.uuid4().hex[:8]}"
    with admin.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{name}"')
    try:
        yield {
            "DAGSTER_PG_HOST": "127.0.0.1",
            "DAGSTER_PG_PORT": "5432",
            "DAGSTER_PG_USERNAME": "postgres",
            "DAGSTER_PG_PASSWORD": "",
            "DAGSTER_PG_DB": name,
        }
    finally:
        with admin.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def queued(
    keys: list[str], pg: dict[str, str], celery_workers: int
) -> tuple[float, list[int], int]:
    """A backfill through `dagster dev` on the production instance; wall time from launch."""
    import requests

    from crypto_assets.environment import Settings
    from crypto_assets.production import write_instance

    home = Path(tempfile.mkdtemp(prefix="bench_prod_queue_"))
    queue = f"crypto_assets_bench_{uuid.uuid4().hex[:8]}"
    env = (
        base_env(home)
        | pg
        | {
            "DAGSTER_MAX_CONCURRENT_RUNS": str(max(1, celery_workers)),
            "CRYPTO_BACKFILL_WINDOWS_PER_RUN": "144",
        }
    )
    if celery_workers:
        env |= {"CRYPTO_EXECUTOR": "celery", "CELERY_QUEUE": queue}
    write_instance(Settings.from_env(env), home / "dagster")
    procs = []
    log = (home / "services.log").open("wb")
    for i in range(celery_workers):
        procs.append(subprocess.Popen(
            ["bash", str(REPO / "scripts/celery_worker.sh"), "--without-mingle", "--without-gossip",
             "-n", f"bench{i}@%h"],
            cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        ))  # fmt: skip
    port = 3900 + os.getpid() % 90
    dev = subprocess.Popen(
        [str(BIN / "dagster"), "dev", "-w", str(REPO / "workspace.yaml"), "-h", "127.0.0.1",
         "-p", str(port)],
        cwd=home / "dagster", env=env, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )  # fmt: skip
    procs.append(dev)
    url = f"http://127.0.0.1:{port}/graphql"

    def gql(query: str, variables: dict) -> dict:
        body = requests.post(url, json={"query": query, "variables": variables}, timeout=60).json()
        assert not body.get("errors"), body
        return body["data"]

    try:
        for _ in range(180):
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"http://127.0.0.1:{port}/server_info", timeout=5).ok:
                    break
            time.sleep(1)
        time.sleep(10)  # the code location loads after the server answers
        sampler = PeakSampler()
        sampler.start()
        t0 = time.perf_counter()
        launched = gql(
            "mutation ($p: LaunchBackfillParams!) { launchPartitionBackfill(backfillParams: $p)"
            " { __typename ... on LaunchBackfillSuccess { backfillId } ... on Error { message } } }",
            {"p": {"assetSelection": [{"path": [a]} for a in ASSETS], "partitionNames": keys}},
        )["launchPartitionBackfill"]
        assert launched["__typename"] == "LaunchBackfillSuccess", launched
        while True:
            data = gql(
                "query ($id: String!) { partitionBackfillOrError(backfillId: $id)"
                " { ... on PartitionBackfill { status runs { status } } } }",
                {"id": launched["backfillId"]},
            )["partitionBackfillOrError"]
            if data["status"] not in ("REQUESTED",):
                break
            time.sleep(2)
        wall = time.perf_counter() - t0
        assert data["status"] in ("COMPLETED", "COMPLETED_SUCCESS"), data
        peaks = sampler.stop()
        return wall, [kb for _, kb in peaks.values()], len(data["runs"])
    finally:
        for proc in procs:
            stop_group(proc)
        with contextlib.suppress(Exception):
            subprocess.run(["redis-cli", "-h", "127.0.0.1", "del", queue,
                            f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}"],
                           capture_output=True)  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=7)
    parser.add_argument("--first-day", default="2025-10-21")
    args = parser.parse_args()
    keys = day_keys(date.fromisoformat(args.first_day), args.days)
    results = {}
    wall, peaks = in_process(keys)
    results["in_process_one_run"] = {"wall_s": wall, "runs": 1, "peak_rss_mb": max(peaks) / 1024}
    print(json.dumps(results), flush=True)
    with postgres_database() as pg:
        for name, workers in (("queue_1_worker", 0), ("celery_2_workers", 2)):
            wall, peaks, runs = queued(keys, pg, workers)
            results[name] = {"wall_s": wall, "runs": runs, "peak_rss_mb": max(peaks) / 1024}
            print(json.dumps(results), flush=True)
    base = results["in_process_one_run"]["wall_s"]
    print(f"{args.days}-day replay backfill ({len(keys)} windows)")
    print(f"{'way':22} {'runs':>4} {'wall s':>8} {'peak RSS MB':>12} {'speed-up':>9}")
    for name, r in results.items():
        print(f"{name:22} {r['runs']:>4} {r['wall_s']:>8.1f} {r['peak_rss_mb']:>12.0f} "
              f"{base / r['wall_s']:>8.2f}x")  # fmt: skip
    print(json.dumps(results))


if __name__ == "__main__":
    main()
