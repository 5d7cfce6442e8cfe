"""Synthetic mention_counts, listings and posts of one day, as frames or written to a lake."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pandas as pd

from crypto_assets.datasets import ASSET_SCHEMAS, to_arrow
from crypto_assets.storage.lake import ParquetLake

DAY = date(2022, 5, 8)
MIDNIGHT = datetime(2022, 5, 8)
TEN = timedelta(minutes=10)


def at(hour: int, minute: int = 0) -> datetime:
    """A window start of DAY."""
    return MIDNIGHT + timedelta(hours=hour, minutes=minute)


def hour_windows(*hours: int) -> list[datetime]:
    """The six windows of each given hour of DAY."""
    return [at(h) + i * TEN for h in hours for i in range(6)]


def count(
    window: datetime,
    symbol: str,
    mentions: int,
    posts: int = 1,
    sentiment: float | None = 0.5,
    price: float | None = None,
    source: str | None = None,
    coin_id: str | None = None,
    name: str | None = None,
) -> dict:
    """One mention_counts row (the columns the report reads)."""
    return {
        "window_start": window,
        "coin_id": coin_id or symbol.lower(),
        "symbol": symbol,
        "name": name or symbol.title(),
        "mentions": mentions,
        "posts_mentioning": posts,
        "mean_sentiment": sentiment,
        "mean_model_sentiment": None if sentiment is None else sentiment / 2,
        "price_usd": price,
        "price_source": source,
    }


def counts(*rows: dict) -> pd.DataFrame:
    """A mention_counts frame of `rows`."""
    return pd.DataFrame(list(rows), columns=list(count(MIDNIGHT, "X", 0)))


def prices(*rows: tuple[datetime, str, float | None, str | None]) -> pd.DataFrame:
    """A listing prices frame: (window_start, coin_id, price_usd, price_source) rows."""
    return pd.DataFrame(rows, columns=["window_start", "coin_id", "price_usd", "price_source"])


def _full(asset: str, frame: pd.DataFrame) -> pd.DataFrame:
    full = frame.copy()
    for name in ASSET_SCHEMAS[asset].names:
        if name not in full.columns:
            full[name] = None
    return full[ASSET_SCHEMAS[asset].names]


def write_day(lake: ParquetLake, windows: list[datetime], rows: pd.DataFrame, price_rows=None):
    """Write each window's mention_counts, coin_listings and one scored post per window."""
    price_rows = prices() if price_rows is None else price_rows
    for window in windows:
        own = rows[rows["window_start"] == window]
        lake.write_window(
            ["mention_counts"], window, to_arrow("mention_counts", _full("mention_counts", own))
        )
        listed = price_rows[price_rows["window_start"] == window]
        lake.write_window(
            ["coin_listings"], window, to_arrow("coin_listings", _full("coin_listings", listed))
        )
        post = pd.DataFrame(
            [
                {
                    "window_start": window,
                    "post_id": f"p{window:%H%M}",
                    "combined_compound": 0.2,
                    "model_sentiment": 0.1,
                    "created_utc": window,
                    "title": "t",
                    "selftext": "",
                }
            ]
        )
        lake.write_window(
            ["sentiment_scores"],
            window,
            to_arrow("sentiment_scores", _full("sentiment_scores", post)),
        )
