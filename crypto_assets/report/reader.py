"""A day's inputs, read from the lake: its stored mention_counts and sentiment_scores windows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import pandas as pd

from crypto_assets.datasets import ASSET_SCHEMAS
from crypto_assets.history.days import day_window_starts
from crypto_assets.storage.lake import ParquetLake

POST_COLUMNS = ["window_start", "post_id", "combined_compound", "model_sentiment"]
PRICE_COLUMNS = ["window_start", "coin_id", "price_usd", "price_source"]


@dataclass(frozen=True)
class DayInputs:
    """The stored windows of a day, their per-coin counts, listed prices and scored posts."""

    day: date
    stored: list[datetime]  # windows of the day with a mention_counts file
    counts: pd.DataFrame
    prices: pd.DataFrame
    posts: pd.DataFrame


def read_day(lake: ParquetLake, day: date) -> DayInputs:
    """Everything the day's report needs; windows never written are simply absent."""
    starts = day_window_starts(day)
    stored = sorted(lake.existing_windows(["mention_counts"], starts))
    counts = lake.read_windows(["mention_counts"], stored, ASSET_SCHEMAS["mention_counts"])
    posts = _columns(lake, "sentiment_scores", stored, POST_COLUMNS)
    prices = _columns(lake, "coin_listings", stored, PRICE_COLUMNS)
    return DayInputs(day, stored, counts.to_pandas(), prices, posts)


def _columns(
    lake: ParquetLake, asset: str, windows: list[datetime], columns: list[str]
) -> pd.DataFrame:
    present = sorted(lake.existing_windows([asset], windows))
    return lake.read_windows([asset], present, ASSET_SCHEMAS[asset]).select(columns).to_pandas()


def day_numbers(inputs: DayInputs) -> dict[str, float | int]:
    """The day's numbers for the Plots by partition (a mean is left out when nothing to average)."""
    counts, posts = inputs.counts, inputs.posts
    numbers: dict[str, float | int] = {
        "windows": len(inputs.stored),
        "posts": int(posts["post_id"].nunique()),
        "mentions": int(counts["mentions"].sum()),
        "coins": int(counts["coin_id"].nunique()),
    }
    for name, column in (
        ("mean_sentiment", "combined_compound"),
        ("mean_model", "model_sentiment"),
    ):
        mean = posts[column].mean()
        if pd.notna(mean):
            numbers[name] = round(float(mean), 4)
    return numbers
