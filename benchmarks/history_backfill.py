"""Benchmark: a month of history days at real volume, in one process and as queued day-runs.

Recordings at real volume (benchmarks/history_volume.py): posts per subreddit per UTC day
CryptoCurrency 2000, Bitcoin 700, ethereum 150. Source: r/CryptoCurrency had 281,770 posts from
August 2017 to May 2018 (~930/day, richardred.medium.com "Reddit Cryptocurrency observations
Part 1"), doubled as an ASSUMPTION for the 2021-22 boom; Bitcoin and ethereum are ASSUMED (no
figure found). Real May 2022 posts cloned with new ids across each day, 288 five-minute candles
a day for every universe pair (real BTC/LUNA shapes, scaled), served by a HistoryFake on
127.0.0.1. Both modes run with request pacing off, in one invocation:

1. in one process: `dagster.materialize` of the history group, day by day (as the tests do);
2. day-runs through the run queue: `dagster-daemon run` on a temporary DAGSTER_HOME with the
   project's dagster.yaml, then `dagster job backfill -j history_days --from D1 --to DN`.
   Pacing is switched off in those processes by a sitecustomize that zeroes the clients'
   ARCHIVE_MIN_INTERVAL_S / KLINES_MIN_INTERVAL_S (no setting exists for it); the live
   pipeline's schedule is stopped first, and every API URL points at the fake.

The fake leaves out Binance's used-weight header (at 500 requests a minute the client would wait
for the next minute): rate limits belong to the projection. Each process gets a bytecode cache in
the temp dir (this environment sets PYTHONDONTWRITEBYTECODE).

Then projects 2021-01-01..2025-12-31 at the pacing the clients enforce (archive 1.0 s a page,
klines 0.2 s a request). Figures and ratios measured in one run, never a pass/fail on time.

    .venv/bin/python benchmarks/history_backfill.py [--days 30] [--json report.json]
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

from history_volume import (
    ASSUMED_VOLUME,
    OTHER_VOLUME,
    PROJECTION,
    VOLUME_SOURCE,
    WINDOWS_PER_DAY,
    PeakSampler,
    VolumeFake,
    cloned_posts,
    day_pairs,
    expected_requests,
    kill_left,
    month_days,
    print_report,
    projection,
    queue_env,
    requests_by_day,
    run_figures,
    sampled_pairs_per_day,
    step_seconds,
    subprocess_env,
)

from crypto_assets.defs.operations.schedule import SCHEDULE_NAME
from crypto_assets_tests.e2e.support import stop_group, wait_until
from crypto_assets_tests.sources.history_fake import running

REPO = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
MODULE = "crypto_assets.definitions"


def history_env(home: Path, base_url: str, subreddits: list[str]) -> dict[str, str]:
    """Live settings whose APIs are all the fake, state in `home`."""
    return {
        "CRYPTO_ASSETS_HOME": str(home),
        "CRYPTO_SOURCE": "live",
        "CRYPTO_PARTITIONS_START": "2025-10-01",
        "CRYPTO_SUBREDDITS": ",".join(subreddits),
        "CRYPTO_REDDIT_ARCHIVE_URL": base_url,
        "CRYPTO_PRICE_HISTORY_URL": base_url,
        # The live pipeline's APIs too (its schedule is stopped): nothing leaves 127.0.0.1.
        "CRYPTO_COINLORE_URL": base_url,
        "CRYPTO_REDDIT_URL": base_url,
        "CRYPTO_REDDIT_OAUTH_URL": base_url,
    }


def child(days: list[str]) -> None:
    """Materialize the history group day by day in this process, pacing off; a JSON line a day."""
    from dagster import DagsterInstance, materialize

    from crypto_assets.definitions import build_definitions
    from crypto_assets.environment import Settings
    from crypto_assets.resources.history_sources import PriceHistoryResource, RedditArchiveResource

    defs = build_definitions(Settings.from_env())
    assets = [a for a in defs.assets or [] if any(k.path[0] == "history" for k in a.keys)]  # type: ignore[union-attr]
    resources = dict(defs.resources or {})
    archive, prices = resources["reddit_archive"], resources["price_history"]
    resources["reddit_archive"] = RedditArchiveResource(
        subreddits=archive.subreddits, base_url=archive.base_url, min_interval_s=0
    )
    resources["price_history"] = PriceHistoryResource(base_url=prices.base_url, min_interval_s=0)
    with DagsterInstance.ephemeral() as instance:
        for day in days:
            t0 = time.perf_counter()
            result = materialize(
                assets, resources=resources, instance=instance, partition_key=day,
                raise_on_error=False,
            )  # fmt: skip
            line = {"day": day, "s": time.perf_counter() - t0, "ok": result.success}
            print(json.dumps(line | {"steps": step_seconds(instance, result.run_id)}), flush=True)
    print(json.dumps({"peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def in_process(fake: VolumeFake, scratch: Path, days: list[str], subreddits: list[str]) -> dict:
    """Mode 1: every day in one child process (the fake stays here, out of its memory)."""
    env = subprocess_env(**history_env(scratch / "in_process", fake.base_url, subreddits))
    mark = len(fake.seen())
    with (scratch / "in_process.log").open("w") as log:
        done = subprocess.run(
            [sys.executable, __file__, "--child", *days], cwd=REPO, env=env, text=True,
            stdout=subprocess.PIPE, stderr=log, timeout=3600,
        )  # fmt: skip
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    per_day = [line for line in lines if "day" in line]
    if done.returncode or len(per_day) != len(days):
        log = (scratch / "in_process.log").read_text()[-3000:]
        raise SystemExit(f"the in-process run failed:\n{log}")
    wall = sum(line["s"] for line in per_day)
    steps = [line["steps"] for line in per_day]
    return {
        "wall_s": wall,
        "day_s": [round(line["s"], 2) for line in per_day],
        "mean_step_s": {k: round(sum(s[k] for s in steps) / len(steps), 2) for k in steps[0]},
        "days_succeeded": sum(line["ok"] for line in per_day),
        "windows_per_s": WINDOWS_PER_DAY * len(days) / wall,
        "peak_rss_mb": lines[-1]["peak_rss_mb"],
        "wall_how": "the days' materialize calls (process start and imports excluded)",
        "peak_rss_how": "ru_maxrss (getrusage RUSAGE_SELF) of the materializing child process",
        "requests_per_day": requests_by_day(fake.seen()[mark:]),
    }


def queue_mode(
    fake: VolumeFake,
    scratch: Path,
    days: list[str],
    env: dict[str, str],
    timeout: float,
    meanwhile: Callable[[], object],
) -> dict:
    """Mode 2: `dagster job backfill` queues a run per day, `dagster-daemon run` runs them;
    `meanwhile` runs while the live schedule is being stopped (off the clock)."""
    from dagster import DagsterInstance, RunsFilter
    from dagster._core.instance.ref import InstanceRef

    home, env, limits = queue_env(scratch, env)
    marker, mark = f"CRYPTO_ASSETS_HOME={home}\0", len(fake.seen())
    instance = DagsterInstance.from_ref(InstanceRef.from_dir(str(home / "dagster")))
    sampler = PeakSampler(marker)
    # The live pipeline's schedule runs by default: stopped before the daemon starts.
    stop = [str(BIN / "dagster"), "schedule", "stop", SCHEDULE_NAME, "-m", MODULE]
    stopping = subprocess.Popen(
        stop, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    meanwhile()
    if stopping.wait(timeout=300):
        raise SystemExit(f"{' '.join(stop)} failed")
    with (scratch / "daemon.log").open("wb") as log:
        daemon = subprocess.Popen(
            [str(BIN / "dagster-daemon"), "run", "-m", MODULE], cwd=REPO, env=env,
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip

    def alive(probe):
        if daemon.poll() is not None:
            log = (scratch / "daemon.log").read_text()[-3000:]
            raise SystemExit(f"dagster-daemon exited:\n{log}")
        return probe()

    def finished():
        found = instance.get_run_records(RunsFilter(job_name="history_days"))
        done = len(found) == len(days) and all(r.dagster_run.is_finished for r in found)
        return found if done else None

    try:
        beat = lambda: "QUEUED_RUN_COORDINATOR" in instance.get_daemon_heartbeats()  # noqa: E731
        wait_until(lambda: alive(beat), 180, "the daemon's run queue", 0.5)
        sampler.start()
        t0 = time.time()
        cli = subprocess.run(
            [str(BIN / "dagster"), "job", "backfill", "-m", MODULE, "-j", "history_days",
             "--from", days[0], "--to", days[-1], "--noprompt"],
            cwd=REPO, env=env, capture_output=True, text=True, timeout=600,
        )  # fmt: skip
        if cli.returncode:
            raise SystemExit(f"dagster job backfill failed:\n{cli.stderr[-3000:]}")
        cli_s = time.time() - t0
        records = wait_until(lambda: alive(finished), timeout, f"{len(days)} day-runs", 1.0)
    finally:
        stop_group(daemon)
        peak_mb = sampler.stop()
        left = kill_left(marker)  # started by this daemon: none may outlive the benchmark
        instance.dispose()
    return (
        run_figures(records, t0, fake.seen()[mark:])
        | limits
        | {
            "wall_how": "from starting `dagster job backfill` to the last run's end",
            "backfill_cli_s": cli_s,
            "peak_rss_mb": peak_mb,
            "peak_rss_how": "VmHWM of the run worker processes, sampled from /proc every 0.5 s",
            "processes_left_behind": left,
        }
    )


def main(argv: list[str] | None = None) -> int:
    """Parse arguments, build the recordings, run both modes, report."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--days", type=int, default=30, help="days benchmarked (default 30)")
    parser.add_argument("--first-day", type=date.fromisoformat, default=date(2022, 5, 1))
    parser.add_argument("--subreddits", default="CryptoCurrency,Bitcoin,ethereum")
    parser.add_argument(
        "--posts-per-day", help="one number, or one per subreddit (default: assumed)"
    )
    parser.add_argument("--seed", type=int, default=20220501)
    parser.add_argument("--timeout", type=float, default=3600, help="queue mode's limit, s")
    parser.add_argument("--json", type=Path, help="also write the report here")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(args.child)
        return 0
    subreddits = args.subreddits.split(",")
    volumes = [ASSUMED_VOLUME.get(s.lower(), OTHER_VOLUME) for s in subreddits]
    if args.posts_per_day:
        given = [int(n) for n in args.posts_per_day.split(",")]
        volumes = given * len(subreddits) if len(given) == 1 else given
    days = month_days(args.first_day, args.days)
    keys = [d.isoformat() for d in days]
    posts = [
        p
        for s, n in zip(subreddits, volumes, strict=True)
        for p in cloned_posts(s, n, days, args.seed)
    ]
    pairs = {d: day_pairs(d) for d in days}
    fake = VolumeFake(posts, days, {p for day in pairs.values() for p in day})
    expected = expected_requests(fake, days, pairs)
    with tempfile.TemporaryDirectory(prefix="history_bench_") as tmp, running(fake):
        scratch = Path(tmp)
        one = in_process(fake, scratch, keys, subreddits)
        universe: dict[str, float] = {}
        queue = queue_mode(
            fake, scratch, keys, history_env(scratch / "queue", fake.base_url, subreddits),
            args.timeout, lambda: universe.update(pairs=sampled_pairs_per_day(*PROJECTION)),
        )  # fmt: skip
    rec = {
        "days": len(days), "first_day": keys[0], "last_day": keys[-1], "subreddits": subreddits,
        "posts_per_day": dict(zip(subreddits, volumes, strict=True)), "volume_source": VOLUME_SOURCE,
        "posts": len(posts), "pairs": len(fake.symbols),
        "archive_pages_per_day": sum(e["archive_pages"] for e in expected.values()) / len(days),
        "kline_requests_per_day": sum(e["kline_requests"] for e in expected.values()) / len(days),
    }  # fmt: skip
    report = {
        "recordings": rec, "expected_per_day": expected, "in_process": one, "queue": queue,
        "ratios": {
            "queue_vs_in_process_wall": queue["wall_s"] / one["wall_s"],
            "in_process_vs_queue_windows_per_s": one["windows_per_s"] / queue["windows_per_s"],
        },
        "projection": projection(
            rec["archive_pages_per_day"], universe["pairs"],
            one["wall_s"] / len(days), queue["wall_s"] / len(days), queue,
        ),
    }  # fmt: skip
    print_report(report)
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
