"""Recordings at real volume for benchmarks/history_backfill.py, the figures derived from them,
and the process helpers of its queue mode.

Posts: the shipped May 2022 archive posts (crypto_assets/sources/recordings/history/) cloned with
new ids and created_utc spread over each benchmarked day, texts kept. Candles: the recorded real
BTCUSDT and LUNAUSDT days (5-minute, 288 a day) as shapes relative to the day's first open,
scaled to a price per pair, served to every universe pair for every day, made per request.
"""

from __future__ import annotations

import bisect
import os
import random
import shutil
import signal
import threading
import time
import zlib
from collections import Counter
from contextlib import suppress
from datetime import UTC, date, datetime, timedelta
from itertools import pairwise
from pathlib import Path
from typing import Any

import yaml

from crypto_assets.history.days import day_universe
from crypto_assets.sources.history_replay import (
    aggregate_klines,
    klines_answer,
    parse_archive_date,
    recorded_history_klines,
    recorded_history_posts,
    search_posts,
)
from crypto_assets.sources.klines import INTERVAL_MS, KLINES_MIN_INTERVAL_S, KLINES_PATH
from crypto_assets.sources.reddit_archive import ARCHIVE_MIN_INTERVAL_S, MAX_PAGE_LIMIT
from crypto_assets.sources.reddit_archive import SEARCH_PATH as POSTS_PATH
from crypto_assets_tests.sources.history_fake import HistoryFake
from crypto_assets_tests.sources.scripted_server import Reply, SeenRequest
from crypto_assets_tests.support.subprocess_env import clean_env

# Posts per UTC day of a subreddit (2021-2022). r/CryptoCurrency: 281,770 submissions from
# August 2017 to May 2018 (~930/day; richardred.medium.com, "Reddit Cryptocurrency observations
# Part 1"), about doubled for the 2021-22 boom (1M subscribers in April 2020, 5.8M in 2022).
# r/Bitcoin and r/ethereum: assumed, no figure found; Bitcoin a third of CryptoCurrency, ethereum
# a fifth of Bitcoin (the shipped listing snapshots hold 278 vs 47 posts of the same three days).
ASSUMED_VOLUME = {"cryptocurrency": 2000, "bitcoin": 700, "ethereum": 150}
OTHER_VOLUME = 300  # any other subreddit
VOLUME_SOURCE = (
    "r/CryptoCurrency: 281,770 posts Aug 2017-May 2018 = ~930/day (richardred.medium.com 'Reddit "
    "Cryptocurrency observations Part 1'), x2 assumed for the 2021-22 boom (subscribers 1M in "
    "2020 -> 5.8M in 2022); r/Bitcoin (1/3 of it) and r/ethereum (1/5 of Bitcoin, the ratio of "
    "the shipped listing snapshots, 278:47 posts): ASSUMED, no published figure found"
)
FIVE_MIN = INTERVAL_MS["5m"]
DAY_S = 86_400
CANDLES_PER_DAY = DAY_S * 1000 // FIVE_MIN  # 288
REPO = Path(__file__).resolve().parents[1]
WINDOWS_PER_DAY = 144
PROJECTION = (date(2021, 1, 1), date(2025, 12, 31))  # 1,826 days
# Imported first by every Python process of queue mode (PYTHONPATH): no pacing, as in mode 1.
PACING_OFF = """
import os
if os.environ.get("HISTORY_BENCH_PACING") == "off":
    import crypto_assets.sources.klines as klines
    import crypto_assets.sources.reddit_archive as archive
    archive.ARCHIVE_MIN_INTERVAL_S = klines.KLINES_MIN_INTERVAL_S = 0.0
"""
Shape = list[tuple[float, float, float, float, float]]  # open, high, low, close (x first open), vol


def epoch(day: date) -> int:
    """The day's UTC midnight in epoch seconds."""
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())


def day_pairs(day: date) -> list[str]:
    """The Binance pairs the history asset requests for `day` (the universe's, no fixed price)."""
    return sorted({c.pair for c in day_universe(day) if c.pair and c.fixed_usdt is None})


def cloned_posts(subreddit: str, volume: int, days: list[date], seed: int) -> list[dict[str, Any]]:
    """`volume` real posts a day for `subreddit`: new ids, one distinct second each, texts kept."""
    recorded = recorded_history_posts()
    pool = [p for p in recorded if p["subreddit"].lower() == subreddit.lower()] or list(recorded)
    rng, tag = random.Random(f"{seed}:{subreddit}"), f"{zlib.crc32(subreddit.encode()):x}"[:4]
    posts = []
    for n, day in enumerate(days):
        for i, second in enumerate(sorted(rng.sample(range(DAY_S), volume))):
            post_id, created = f"z{tag}{n:03d}{i:05d}", epoch(day) + second
            posts.append(
                rng.choice(pool)
                | {"id": post_id, "subreddit": subreddit, "created_utc": created}
                | {"permalink": f"/r/{subreddit}/comments/{post_id}/", "retrieved_on": created}
            )
    return posts


def candle_shapes() -> list[Shape]:
    """Every complete recorded day of 5-minute candles, relative to its first open."""
    shapes = []
    for finest, rows in recorded_history_klines().values():
        buckets: dict[int, list[list[Any]]] = {}
        for row in rows:
            buckets.setdefault(row[0] - row[0] % FIVE_MIN, []).append(row)
        candles = [
            group[0] if finest == FIVE_MIN else aggregate_klines(group, start, FIVE_MIN)
            for start, group in sorted(buckets.items())
        ]
        by_day: dict[int, list[list[Any]]] = {}
        for candle in candles:
            by_day.setdefault(candle[0] // (DAY_S * 1000), []).append(candle)
        for day in by_day.values():
            if len(day) == CANDLES_PER_DAY:
                first = float(day[0][1])
                shapes.append(
                    [(*(float(c[k]) / first for k in (1, 2, 3, 4)), float(c[5])) for c in day]
                )
    return shapes


def kline_rows(pair: str, day: date, shapes: list[Shape]) -> list[list[Any]]:
    """The pair's 288 candles of `day`: a recorded day's shape at the pair's own price."""
    shape = shapes[zlib.crc32(f"{pair}{day}".encode()) % len(shapes)]
    price = 10 ** (zlib.crc32(pair.encode()) % 700 / 100 - 3)  # 0.001 to 10,000 USDT
    rows, start = [], epoch(day) * 1000
    for i, (o, h, lo, c, v) in enumerate(shape):
        t = start + i * FIVE_MIN
        prices = [f"{x * price:.8f}" for x in (o, h, lo, c)]
        rows.append(
            [t, *prices, f"{v:.8f}", t + FIVE_MIN - 1, f"{v * c * price:.8f}", 0, "0", "0", "0"]
        )
    return rows


class VolumeFake(HistoryFake):
    """The HistoryFake, its posts indexed by subreddit and time, its candles made per request
    (the same answers as the HistoryFake over all of them, without scanning a month per page)."""

    def __init__(self, posts: list[dict[str, Any]], days: list[date], pairs: set[str]) -> None:
        super().__init__()
        self.days, self.shapes = set(days), candle_shapes()
        self.symbols |= pairs
        self.by_subreddit: dict[str, tuple[list[int], list[dict[str, Any]]]] = {}
        for post in sorted(posts, key=lambda p: p["created_utc"]):
            times, found = self.by_subreddit.setdefault(post["subreddit"].lower(), ([], []))
            times.append(post["created_utc"])
            found.append(post)

    def answer(self, request: SeenRequest) -> Reply:
        """The HistoryFake's answer without Binance's used-weight header: with pacing off, 500
        kline requests a minute would make the client wait for the next minute (its soft limit
        of 1,000 weight), rate limiting that the projection accounts for instead."""
        reply = super().answer(request)
        reply.headers.pop("X-MBX-USED-WEIGHT-1M", None)
        return reply

    def _posts(self, query: dict[str, str]) -> Reply:
        times, posts = self.by_subreddit.get(query.get("subreddit", "").lower(), ([], []))
        try:
            low = bisect.bisect_right(times, parse_archive_date(query.get("after", "0")))
            high = bisect.bisect_left(times, parse_archive_date(query.get("before", "1e12")))
        except ValueError:
            low, high = 0, len(posts)  # search_posts answers the 400
        status, body = search_posts(posts[low:high], query)
        return Reply(body, status=status)

    def _klines(self, query: dict[str, str]) -> Reply:
        symbol, first = query.get("symbol", ""), int(query.get("startTime", 0))
        last = int(query.get("endTime", 2**62))
        days = [
            d
            for d in sorted(self.days)
            if first < (epoch(d) + DAY_S) * 1000 and epoch(d) * 1000 <= last
        ]
        rows = [row for day in days for row in kline_rows(symbol, day, self.shapes)]
        status, body = klines_answer({symbol: (FIVE_MIN, rows)}, self.symbols, query)
        return Reply(body, status=status)


def archive_pages(times: list[int], start: int, end: int, limit: int = MAX_PAGE_LIMIT) -> int:
    """Pages the archive client asks for [start, end) over sorted distinct-second `times`."""
    after, pages = start - 1, 0
    while True:
        low, pages = bisect.bisect_right(times, after), pages + 1
        page = times[low : min(bisect.bisect_left(times, end), low + limit)]
        if len(page) < limit:
            return pages
        after = page[-1] - 1


def expected_requests(fake: VolumeFake, days: list[date], pairs: dict[date, list[str]]) -> dict:
    """Per day, the archive pages and kline requests the recordings imply."""
    return {
        d.isoformat(): {
            "archive_pages": sum(
                archive_pages(times, epoch(d), epoch(d) + DAY_S)
                for times, _ in fake.by_subreddit.values()
            ),
            "kline_requests": len(pairs[d]),
        }
        for d in days
    }


def request_day(request: SeenRequest) -> tuple[str, str] | None:
    """Which count a request adds to ("archive_pages" or "kline_requests") and its UTC day."""
    if request.path == POSTS_PATH:
        moment, kind = int(request.query["after"]) + 1, "archive_pages"
    elif request.path == KLINES_PATH:
        moment, kind = int(request.query["startTime"]) // 1000, "kline_requests"
    else:
        return None
    return kind, datetime.fromtimestamp(moment, UTC).date().isoformat()


def requests_by_day(seen: list[SeenRequest]) -> dict[str, dict[str, int]]:
    """Per day, the archive pages and kline requests the fake received."""
    counts: dict[str, Counter[str]] = {}
    for kind, day in filter(None, map(request_day, seen)):
        counts.setdefault(day, Counter())[kind] += 1
    kinds = ("archive_pages", "kline_requests")
    return {day: {k: c[k] for k in kinds} for day, c in sorted(counts.items())}


def sampled_pairs_per_day(first: date, last: date, every_months: int = 6) -> float:
    """Mean pairs a day over first..last, from the universe on the 1st of every few months."""
    days, day = [], first
    while day <= last:
        days.append(day)
        month = day.month - 1 + every_months
        day = date(day.year + month // 12, month % 12 + 1, 1)
    return sum(len(day_pairs(d)) for d in days) / len(days)


def month_days(first: date, count: int) -> list[date]:
    """`count` consecutive days from `first`."""
    return [first + timedelta(days=i) for i in range(count)]


def marked_pids(marker: str, command: str = "") -> list[int]:
    """Processes whose environment holds `marker` and whose command line holds `command`."""
    found = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit() and int(proc.name) != os.getpid():
            with suppress(OSError):
                environ, cmdline = (proc / "environ").read_bytes(), (proc / "cmdline").read_bytes()
                if marker.encode() in environ and command.encode() in cmdline:
                    found.append(int(proc.name))
    return found


def kill_left(marker: str, grace_s: float = 20.0) -> list[str]:
    """SIGKILL the marked processes still alive `grace_s` after their group was stopped (a
    child in a session of its own); their command lines."""
    deadline = time.monotonic() + grace_s
    while (left := marked_pids(marker)) and time.monotonic() < deadline:
        time.sleep(0.5)
    commands = []
    for pid in left:
        with suppress(OSError):
            commands.append(Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")[:160])
            os.kill(pid, signal.SIGKILL)
    return [command.decode(errors="replace") for command in commands]


class PeakSampler(threading.Thread):
    """Every 0.5 s: the highest VmHWM (peak RSS) of the marked run workers (the code
    server's spawned run processes)."""

    def __init__(self, marker: str) -> None:
        super().__init__(daemon=True)
        self.marker, self.peak_kb, self.done = marker, 0, threading.Event()

    def run(self) -> None:
        """Sample until stopped."""
        while not self.done.is_set():
            for pid in marked_pids(self.marker, "spawn_main"):
                with suppress(OSError, IndexError, ValueError):
                    status = Path(f"/proc/{pid}/status").read_text()
                    self.peak_kb = max(self.peak_kb, int(status.split("VmHWM:")[1].split()[0]))
            self.done.wait(0.5)

    def stop(self) -> float:
        """Stop sampling; the peak in MB."""
        self.done.set()
        if self.is_alive():
            self.join()
        return self.peak_kb / 1024


def max_overlap(spans: list[tuple[float, float]]) -> int:
    """Most spans in progress at one moment (an end before a start at the same instant)."""
    points = sorted([(s, 1) for s, _ in spans] + [(e, -1) for _, e in spans])
    best = now = 0
    for _, step in points:
        now += step
        best = max(best, now)
    return best


def subprocess_env(**extra: str) -> dict[str, str]:
    """clean_env() plus `extra`, writing bytecode to a cache beside the homes: with
    PYTHONDONTWRITEBYTECODE set, every run worker would compile ~2,400 modules again (~4 s)."""
    env = clean_env(**extra)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env | {"PYTHONPYCACHEPREFIX": str(Path(extra["CRYPTO_ASSETS_HOME"]).parent / "pyc")}


def queue_env(scratch: Path, env: dict[str, str]) -> tuple[Path, dict[str, str], dict]:
    """Queue mode's home (DAGSTER_HOME with the project's dagster.yaml), its environment (pacing
    off) and the instance's concurrency settings."""
    home = Path(env["CRYPTO_ASSETS_HOME"])
    (home / "dagster").mkdir(parents=True)
    shutil.copy(REPO / "dagster.yaml", home / "dagster" / "dagster.yaml")
    (scratch / "shim").mkdir()
    (scratch / "shim" / "sitecustomize.py").write_text(PACING_OFF)
    path = os.pathsep.join(filter(None, [str(scratch / "shim"), os.environ.get("PYTHONPATH")]))
    env = subprocess_env(**env, DAGSTER_HOME=str(home / "dagster"), PYTHONPATH=path)
    concurrency = yaml.safe_load((REPO / "dagster.yaml").read_text())["concurrency"]
    limits = {
        "max_concurrent_runs": int(concurrency["runs"]["max_concurrent_runs"]),
        "pool_granularity": concurrency["pools"].get("granularity", "op"),
    }
    return home, env | {"HISTORY_BENCH_PACING": "off"}, limits


def step_seconds(instance: Any, run_id: str) -> dict[str, float]:
    """Seconds from start to end of each step of a run (history assets by their names)."""
    from dagster import DagsterEventType

    starts, seconds = {}, {}
    for entry in instance.all_logs(run_id):
        event = entry.dagster_event
        if event is None or event.step_key is None:
            continue
        if event.event_type == DagsterEventType.STEP_START:
            starts[event.step_key] = entry.timestamp
        elif event.event_type in (DagsterEventType.STEP_SUCCESS, DagsterEventType.STEP_FAILURE):
            name = event.step_key.removeprefix("history__")
            seconds[name] = round(entry.timestamp - starts[event.step_key], 3)
    return seconds


def api_overlap(seen: list[SeenRequest]) -> dict[str, int]:
    """Per API, the most days whose requests (first to last) were in progress at one moment."""
    spans: dict[tuple[str, str], tuple[float, float]] = {}
    for request in seen:
        if key := request_day(request):
            first, last = spans.get(key, (request.at, request.at))
            spans[key] = (min(first, request.at), max(last, request.at))
    return {
        kind: max_overlap([span for (k, _), span in spans.items() if k == kind])
        for kind in ("archive_pages", "kline_requests")
    }


def run_figures(records: list[Any], t0: float, seen: list[SeenRequest]) -> dict[str, Any]:
    """Wall time from `t0` (epoch s) to the last run's end, rates, and the requests seen."""
    from dagster import DagsterRunStatus

    spans = [(r.start_time or t0, r.end_time or t0) for r in records]
    wall = max(end for _, end in spans) - t0
    created = [r.create_timestamp.timestamp() for r in records]
    pages = [r.at for r in seen if r.path == POSTS_PATH]
    gaps = sorted(b - a for a, b in pairwise(pages))
    return {
        "wall_s": wall,
        "windows_per_s": WINDOWS_PER_DAY * len(records) / wall,
        "runs": len(records),
        "days_succeeded": sum(r.dagster_run.status == DagsterRunStatus.SUCCESS for r in records),
        "mean_run_s": sum(e - s for s, e in spans) / len(spans),
        "mean_launch_s": sum(s - c for (s, _), c in zip(spans, created, strict=True)) / len(spans),
        "max_runs_at_once": max_overlap(spans),
        "max_days_at_once_per_api": api_overlap(seen),
        "median_archive_gap_s": gaps[len(gaps) // 2] if gaps else 0.0,
        "requests_per_day": requests_by_day(seen),
    }


def projection(pages: float, pairs: float, one_s: float, queue_s: float, limits: dict) -> dict:
    """2021-2025 at the clients' pacing: per day the API time plus the compute measured (in one
    process, or as queued day-runs), serial and with parallel day-runs."""
    days = (PROJECTION[1] - PROJECTION[0]).days + 1
    archive_s, klines_s = pages * ARCHIVE_MIN_INTERVAL_S, pairs * KLINES_MIN_INTERVAL_S
    # The archive and kline steps are separate steps: one after the other in a run (in-process
    # executor), so a day's API time is their sum.
    api_s, n = archive_s + klines_s, limits["max_concurrent_runs"]
    queue = days * (api_s + queue_s)
    # Pools (default_limit 1): one step at a time per API, so API time never parallelizes;
    # with granularity `run` a day-run holds both pools throughout: day-runs go one at a time.
    op_bound = max(days * archive_s, days * klines_s, queue / n)
    return {
        "days": days, "archive_pages_per_day": pages, "kline_requests_per_day": round(pairs, 1),
        "api_s_per_day": round(api_s, 1), "in_process_s_per_day": round(one_s, 2),
        "queue_s_per_day": round(queue_s, 2),
        "in_process_hours": round(days * (api_s + one_s) / 3600, 1),
        "queue_hours": round(queue / 3600, 1), "parallel_runs": n,
        "pool_granularity": limits["pool_granularity"],
        "parallel_hours": round((queue if limits["pool_granularity"] == "run" else op_bound) / 3600, 1),
        "parallel_hours_if_op_granularity": round(op_bound / 3600, 1),
    }  # fmt: skip


def print_report(r: dict) -> None:
    """The report as plain text."""
    rec, one, q, p = r["recordings"], r["in_process"], r["queue"], r["projection"]
    print(f"history backfill: {rec['days']} days {rec['first_day']}..{rec['last_day']}, "
          f"posts/day {rec['posts_per_day']}\n  volume source: {VOLUME_SOURCE}")  # fmt: skip
    print(f"recordings: {rec['posts']} posts, {rec['pairs']} pairs x 288 candles a day; the "
          f"recordings imply per day {rec['archive_pages_per_day']:.1f} archive pages, "
          f"{rec['kline_requests_per_day']:.1f} kline requests")  # fmt: skip
    for name, m in (("in one process", one), ("queued day-runs", q)):
        print(f"{name:15}: wall {m['wall_s']:7.1f} s, {m['windows_per_s']:5.1f} windows/s, "
              f"{m['wall_s'] / rec['days']:5.1f} s/day, days ok {m['days_succeeded']}/"
              f"{rec['days']}, peak RSS {m['peak_rss_mb']:.0f} MB, requests per day as the "
              f"recordings imply: {m['requests_per_day'] == r['expected_per_day']}")  # fmt: skip
    print(f"  in one process, s per day: {one['day_s']}\n  in one process, mean s per step: "
          f"{one['mean_step_s']}\n  wall: in one process "
          f"{one['wall_how']}; queued: {q['wall_how']}\n  peak RSS: in one process "
          f"{one['peak_rss_how']}; queued: {q['peak_rss_how']}")  # fmt: skip
    print(f"  queue: `dagster job backfill` {q['backfill_cli_s']:.1f} s, mean run "
          f"{q['mean_run_s']:.1f} s, mean queued->started {q['mean_launch_s']:.1f} s, most runs "
          f"at once {q['max_runs_at_once']} (max_concurrent_runs {q['max_concurrent_runs']}, "
          f"pool granularity {p['pool_granularity']}), most days at once per API "
          f"{q['max_days_at_once_per_api']}, median gap between archive requests "
          f"{q['median_archive_gap_s']:.3f} s (pacing off), processes left behind "
          f"{q['processes_left_behind']}")  # fmt: skip
    print(
        f"ratios (one run): queue/in-process wall {r['ratios']['queue_vs_in_process_wall']:.2f},"
        f" in-process/queue windows/s {r['ratios']['in_process_vs_queue_windows_per_s']:.2f}"
    )
    print(f"projection {PROJECTION[0]}..{PROJECTION[1]} ({p['days']} days) at the pacing: per day "
          f"{p['archive_pages_per_day']:.0f} pages x 1.0 s + {p['kline_requests_per_day']} kline "
          f"requests x 0.2 s = {p['api_s_per_day']} s of API (archive and kline steps are "
          f"separate steps, sequential in a run), plus compute:\n  in one process "
          f"+{p['in_process_s_per_day']} s/day: {p['in_process_hours']} h; as queued day-runs "
          f"+{p['queue_s_per_day']} s/day: {p['queue_hours']} h "
          f"({p['queue_hours'] / 24:.1f} days)\n  {p['parallel_runs']} parallel day-runs: "
          f"{p['parallel_hours']} h with granularity {p['pool_granularity']} (a run holds both "
          f"API pools, limit 1: runs go one at a time); with granularity op at best "
          f"{p['parallel_hours_if_op_granularity']} h: pools keep one step per API at a time, "
          "API time does not parallelize")  # fmt: skip
