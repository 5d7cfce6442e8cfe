"""Data quality rules behind the asset checks."""

from __future__ import annotations

import pandas as pd
import pytest

from crypto_assets import quality

W = pd.Timestamp("2025-10-05 14:20")


@pytest.mark.parametrize(
    ("created", "outside"),
    [
        (W, False),
        (W + pd.Timedelta(minutes=9, seconds=59), False),
        (W + pd.Timedelta(minutes=10), True),
        (W - pd.Timedelta(seconds=1), True),
    ],
)
def test_posts_outside_window(created: pd.Timestamp, outside: bool) -> None:
    df = pd.DataFrame({"window_start": [W], "created_utc": [created]})
    assert len(quality.posts_outside_window(df)) == int(outside)


@pytest.mark.parametrize(
    ("value", "bad"), [(-1.0, False), (1.0, False), (None, False), (1.0001, True), (-3, True)]
)
def test_sentiment_bounds(value: float | None, bad: bool) -> None:
    df = pd.DataFrame(
        {"title_compound": [0.0], "body_compound": [value], "combined_compound": [0.5]}
    )
    assert len(quality.sentiment_out_of_bounds(df)) == int(bad)


def test_duplicate_keys_returns_every_copy() -> None:
    df = pd.DataFrame({"window_start": [W, W, W], "coin_id": ["90", "90", "80"]})
    assert quality.duplicate_keys(df, ["window_start", "coin_id"])["coin_id"].tolist() == [
        "90",
        "90",
    ]


def test_unlisted_mentions_are_per_window() -> None:
    listings = pd.DataFrame({"window_start": [W, W], "coin_id": ["90", "80"]})
    later = W + pd.Timedelta(minutes=10)
    mentions = pd.DataFrame(
        {"window_start": [W, W, later], "post_id": ["p", "q", "r"], "coin_id": ["90", "1", "90"]}
    )
    assert quality.unlisted_mentions(mentions, listings)["post_id"].tolist() == ["q", "r"]
