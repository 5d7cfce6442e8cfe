"""Data quality rules behind the asset checks (pure functions over DataFrames).

Each rule looks for something the pipeline cannot rule out by construction: a source that
answered with less than asked, a listing taken too far from its window, a window far outside
the recent history of its own series, a listing close to the end of Reddit's reach.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd

from crypto_assets.windows import WINDOW

BASELINE_WINDOWS = 36  # six hours of history per window
MIN_BASELINE_WINDOWS = 12  # fewer known windows than this: no verdict
# Reddit serves about 1000 posts per listing; past this many, older windows are near the edge.
LISTING_DEPTH_WARN_POSTS = 800


@dataclass(frozen=True)
class OutlierRule:
    """When a window's count is far outside the mean of its trailing baseline windows."""

    high_ratio: float  # count > high_ratio * mean (and > mean + high_margin) is a spike
    high_margin: float
    zero_when_mean_at_least: float  # 0 while the mean says at least this many is a gap


ZERO_POSTS = OutlierRule(high_ratio=float("inf"), high_margin=0.0, zero_when_mean_at_least=3.0)
MENTION_RATE = OutlierRule(high_ratio=5.0, high_margin=10.0, zero_when_mean_at_least=5.0)


def short_listings(listings: pd.DataFrame, windows: Sequence, requested: int) -> pd.DataFrame:
    """Windows among `windows` whose listing holds fewer coins than requested."""
    fetched = listings[listings["window_start"].isin(list(windows))]
    coins = fetched.groupby("window_start")["coin_id"].nunique().rename("coins").reset_index()
    coins["requested"] = requested
    return coins[coins["coins"] < requested]


def windows_without_prices(listings: pd.DataFrame) -> pd.DataFrame:
    """Windows whose listing is a coin dictionary only, with how long after the window it was taken."""
    per_window = listings.drop_duplicates("window_start")
    missing = per_window[~per_window["prices_captured"].astype(bool)]
    lag = missing["as_of"] - (missing["window_start"] + WINDOW)
    return pd.DataFrame(
        {
            "window_start": missing["window_start"],
            "as_of": missing["as_of"],
            "taken_after_window_end": lag.astype(str),
        }
    )


def trailing_outliers(
    counts: pd.Series, windows: Sequence, rule: OutlierRule, baseline: int = BASELINE_WINDOWS
) -> pd.DataFrame:
    """Windows of `windows` whose count is far outside the mean of the `baseline` windows before.

    `counts` is indexed by window_start over the windows known (history and this run); a
    missing window is unknown, not zero. A window with too little history gets no verdict.
    """
    rows = []
    for window in windows:
        history = counts[(counts.index < window) & (counts.index >= window - baseline * WINDOW)]
        if len(history) < MIN_BASELINE_WINDOWS or window not in counts.index:
            continue
        mean, count = float(history.mean()), float(counts[window])
        spike = count > rule.high_ratio * mean and count > mean + rule.high_margin
        gap = count == 0 and mean >= rule.zero_when_mean_at_least
        if spike or gap:
            rows.append(
                {
                    "window_start": window,
                    "count": count,
                    "baseline_mean": round(mean, 2),
                    "baseline_windows": len(history),
                    "kind": "spike" if spike else "gap",
                }
            )
    columns = ["window_start", "count", "baseline_mean", "baseline_windows", "kind"]
    return pd.DataFrame(rows, columns=columns)


def posts_per_window(posts: pd.DataFrame, subreddit: str, known_windows: Sequence) -> pd.Series:
    """Posts of one subreddit per known window (0 where a known window has none)."""
    mine = posts[posts["subreddit"].str.lower() == subreddit.lower()]
    counts = mine.groupby("window_start").size()
    return counts.reindex(pd.DatetimeIndex(sorted(set(known_windows))), fill_value=0)


def deep_listings(
    posts_seen: Mapping[str, int], limit: int = LISTING_DEPTH_WARN_POSTS
) -> pd.DataFrame:
    """Subreddits whose listing had to be read this deep to reach the run's first window."""
    rows = [{"subreddit": s, "posts_seen": n} for s, n in posts_seen.items() if n >= limit]
    return pd.DataFrame(rows, columns=["subreddit", "posts_seen"])
