"""benchmarks/history_backfill.py run tiny: two days, in one process and as queued day-runs, every
day succeeding and asking the two APIs for exactly what its recordings imply."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from crypto_assets.environment import PROJECT_ROOT
from crypto_assets.history.days import day_universe
from crypto_assets.sources.reddit_archive import ARCHIVE_MIN_INTERVAL_S
from crypto_assets_tests.support.subprocess_env import clean_env

pytestmark = [pytest.mark.slow, pytest.mark.timeout(300)]

DAYS = ("2022-05-01", "2022-05-02")  # the benchmark's default first day
SUBREDDITS = ("CryptoCurrency", "Bitcoin", "ethereum")
# 200 posts a day in distinct seconds, pages of 100: each next page starts at the second before
# the last post's, so it repeats that post: 100 + 99 + 1 posts, 3 pages per subreddit and day.
PAGES_PER_SUBREDDIT = 3


def kline_requests(day: str) -> int:
    """One request per universe pair of the day: 288 candles fit one page of 1,000."""
    universe = day_universe(date.fromisoformat(day))
    return len({coin.pair for coin in universe if coin.pair and coin.fixed_usdt is None})


def test_two_days_run_in_both_modes_with_the_requests_the_recordings_imply(
    tmp_path: Path,
) -> None:
    report_path = tmp_path / "report.json"
    done = subprocess.run(
        [sys.executable, str(PROJECT_ROOT / "benchmarks" / "history_backfill.py"),
         "--days", "2", "--posts-per-day", "200", "--json", str(report_path)],
        cwd=PROJECT_ROOT, env=clean_env(), capture_output=True, text=True, timeout=280,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(report_path.read_text())
    assert set(report) == {
        "recordings", "expected_per_day", "in_process", "queue", "ratios", "projection",
    }  # fmt: skip
    recordings = report["recordings"]
    assert recordings["posts_per_day"] == dict.fromkeys(SUBREDDITS, 200)
    assert recordings["posts"] == 200 * len(SUBREDDITS) * len(DAYS)
    expected = {
        day: {
            "archive_pages": PAGES_PER_SUBREDDIT * len(SUBREDDITS),
            "kline_requests": kline_requests(day),
        }
        for day in DAYS
    }
    assert report["expected_per_day"] == expected
    one, queue = report["in_process"], report["queue"]
    for mode in (one, queue):
        assert mode["days_succeeded"] == len(DAYS)
        assert mode["requests_per_day"] == expected
        assert mode["wall_s"] > 0 and mode["windows_per_s"] > 0 and mode["peak_rss_mb"] > 0
    assert len(one["day_s"]) == len(DAYS)
    assert set(one["mean_step_s"]) == {
        "coin_listings", "reddit_posts", "sentiment_scores", "coin_mentions", "mention_counts",
    }  # fmt: skip
    assert queue["runs"] == len(DAYS)  # one run per day
    assert queue["processes_left_behind"] == []
    assert queue["median_archive_gap_s"] < ARCHIVE_MIN_INTERVAL_S  # pacing was off in the runs
    assert report["ratios"]["queue_vs_in_process_wall"] > 0
    projection = report["projection"]
    assert projection["days"] == 1826
    assert projection["archive_pages_per_day"] == PAGES_PER_SUBREDDIT * len(SUBREDDITS)
    assert projection["queue_hours"] > 0 and projection["parallel_hours"] > 0
    assert "queued day-runs" in done.stdout and "projection" in done.stdout
