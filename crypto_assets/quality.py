"""Data quality rules behind the asset checks (pure functions over DataFrames)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

WINDOW = pd.Timedelta(minutes=10)
COMPOUND_COLUMNS = ("title_compound", "body_compound", "combined_compound")


def duplicate_keys(df: pd.DataFrame, keys: Sequence[str]) -> pd.DataFrame:
    """Rows whose key columns repeat (all copies)."""
    return df[df.duplicated(subset=list(keys), keep=False)]


def sentiment_out_of_bounds(df: pd.DataFrame) -> pd.DataFrame:
    """Rows with a compound score outside [-1, 1] (nulls are allowed: an empty body)."""
    bad = pd.Series(False, index=df.index)
    for column in COMPOUND_COLUMNS:
        values = df[column]
        bad |= values.notna() & ((values < -1.0) | (values > 1.0))
    return df[bad]


def unlisted_mentions(mentions: pd.DataFrame, listings: pd.DataFrame) -> pd.DataFrame:
    """Mentions whose coin is not in the same window's listing."""
    listed = listings[["window_start", "coin_id"]].drop_duplicates().assign(_listed=True)
    joined = mentions.merge(listed, on=["window_start", "coin_id"], how="left")
    return mentions[joined["_listed"].isna().to_numpy()]


def posts_outside_window(posts: pd.DataFrame) -> pd.DataFrame:
    """Posts whose created_utc is not inside [window_start, window_start + 10 minutes)."""
    created, start = posts["created_utc"], posts["window_start"]
    return posts[(created < start) | (created >= start + WINDOW)]
