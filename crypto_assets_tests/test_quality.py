"""Data quality rules behind the asset checks: each can fail, and does on crafted bad data."""

from __future__ import annotations

import pandas as pd
import pytest

from crypto_assets.datasets import quality
from crypto_assets.datasets.quality import MENTION_RATE, ZERO_POSTS, trailing_outliers

W = pd.Timestamp("2025-10-05 14:20")
TEN = pd.Timedelta(minutes=10)


def series(values: list[float], last: pd.Timestamp = W) -> pd.Series:
    """Counts of consecutive windows ending with `last`."""
    index = pd.DatetimeIndex([last - (len(values) - 1 - i) * TEN for i in range(len(values))])
    return pd.Series(values, index=index, dtype=float)


@pytest.mark.parametrize(
    ("history", "count", "rule", "kind"),
    [
        ([4] * 36, 0, ZERO_POSTS, "gap"),  # a busy subreddit goes silent
        ([3] * 36, 0, ZERO_POSTS, "gap"),  # the boundary: mean 3 is busy enough
        ([2] * 36, 0, ZERO_POSTS, None),  # quiet subreddit: a zero is normal
        ([4] * 36, 1, ZERO_POSTS, None),
        ([4] * 36, 50, ZERO_POSTS, None),  # many posts are not this rule's business
        ([4] * 11, 0, ZERO_POSTS, None),  # too little history for a verdict
        ([4] * 12, 0, ZERO_POSTS, "gap"),
        ([3] * 36, 26, MENTION_RATE, "spike"),  # > 5x and > mean + 10
        ([3] * 36, 15, MENTION_RATE, None),  # 5x but not 10 above the mean
        ([1] * 36, 12, MENTION_RATE, "spike"),
        ([1] * 36, 11, MENTION_RATE, None),  # not above mean + 10
        ([6] * 36, 0, MENTION_RATE, "gap"),
        ([4] * 36, 0, MENTION_RATE, None),
    ],
)
def test_trailing_outliers(history: list[int], count: int, rule, kind: str | None) -> None:
    counts = series([*history, count])
    found = trailing_outliers(counts, [W], rule)
    assert found["kind"].tolist() == ([kind] if kind else [])
    if kind:
        assert found["baseline_windows"].iloc[0] == min(len(history), 36)


def test_outliers_use_only_the_windows_before_each_window_of_a_range() -> None:
    counts = series([2] * 36 + [40, 40, 40])  # a burst lasting three windows
    windows = list(counts.index[-3:])
    assert trailing_outliers(counts, windows, MENTION_RATE)["kind"].tolist() == ["spike"] * 3


def test_unknown_windows_are_not_zero() -> None:
    counts = series([5] * 36 + [3]).drop(W - 5 * TEN)
    assert trailing_outliers(counts, [W - 5 * TEN], ZERO_POSTS).empty


def test_posts_per_window_counts_known_empty_windows_as_zero() -> None:
    posts = pd.DataFrame({"window_start": [W, W], "subreddit": ["CryptoCurrency", "bitcoin"]})
    counts = quality.posts_per_window(posts, "cryptocurrency", [W - TEN, W])
    assert counts.tolist() == [0, 1]


def listing(windows: list[pd.Timestamp], coins: int, captured: bool) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "window_start": w,
                "coin_id": str(c),
                "as_of": w + pd.Timedelta(hours=0 if captured else 3),
                "prices_captured": captured,
            }
            for w in windows
            for c in range(coins)
        ]
    )


@pytest.mark.parametrize(("coins", "short"), [(100, False), (99, True), (120, False)])
def test_short_listings(coins: int, short: bool) -> None:
    found = quality.short_listings(listing([W], coins, True), [W], requested=100)
    assert len(found) == int(short)


def test_short_listings_look_only_at_windows_fetched_in_the_run() -> None:
    kept = listing([W - TEN], 50, True)  # stored long ago, when the top N was 50
    assert quality.short_listings(kept, [W], requested=100).empty


def test_windows_without_prices_say_how_late_the_listing_was() -> None:
    df = pd.concat([listing([W], 3, True), listing([W + TEN], 3, False)])
    found = quality.windows_without_prices(df)
    assert found["window_start"].tolist() == [W + TEN]
    assert found["taken_after_window_end"].iloc[0] == str(pd.Timedelta(hours=2, minutes=50))


@pytest.mark.parametrize(("seen", "deep"), [(799, False), (800, True), (990, True)])
def test_deep_listings(seen: int, deep: bool) -> None:
    assert len(quality.deep_listings({"CryptoCurrency": seen})) == int(deep)
