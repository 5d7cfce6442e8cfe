"""Published asset: per-coin mention counts and sentiment for each window."""

from collections.abc import Iterator

import pandas as pd
from dagster import AssetCheckSpec, AssetExecutionContext, MetadataValue, Output, asset

from crypto_assets.assets.common import (
    ASSET_DEFAULTS,
    definition_metadata,
    frame_metadata,
    rows_check,
    window_starts,
)
from crypto_assets.frames import counts_frame
from crypto_assets.quality import duplicate_keys
from crypto_assets.schemas import ASSET_KEYS

TOP_COINS = 15


@asset(
    **ASSET_DEFAULTS,
    group_name="publication",
    metadata=definition_metadata("mention_counts"),
    check_specs=[AssetCheckSpec("unique_coin_per_window", asset="mention_counts", blocking=True)],
)
def mention_counts(
    context: AssetExecutionContext, coin_mentions: pd.DataFrame, coin_listings: pd.DataFrame
) -> Iterator[object]:
    """Per coin and window: mentions, posts mentioning, their sentiment, price and % changes."""
    df = counts_frame(coin_mentions, coin_listings)
    yield Output(df, metadata=_metadata(df, coin_mentions, len(window_starts(context))))
    yield rows_check(
        "unique_coin_per_window",
        duplicate_keys(df, ASSET_KEYS["mention_counts"]),
        len(df),
        "One row per coin and window",
    )


def _metadata(df: pd.DataFrame, mentions: pd.DataFrame, windows: int) -> dict:
    # Numeric values are plotted by the UI across partitions (the asset's Plots tab).
    posts = mentions.drop_duplicates("post_id")
    mean = float(posts["combined_compound"].mean()) if len(posts) else 0.0
    top = (
        df.groupby(["symbol", "name"], as_index=False)
        .agg(
            mentions=("mentions", "sum"),
            posts=("posts_mentioning", "sum"),
            mean_sentiment=("mean_sentiment", "mean"),
            price_usd=("price_usd", "last"),
        )
        .sort_values("mentions", ascending=False)
        .head(TOP_COINS)
        .round({"mean_sentiment": 3})
    )
    return {
        **frame_metadata("mention_counts", df, windows),
        "total_mentions": int(df["mentions"].sum()),
        "coins_mentioned": int(df["coin_id"].nunique()),
        "posts_mentioning_coins": len(posts),
        "mean_sentiment": round(mean, 4),
        "top_coins": MetadataValue.md(
            top.to_markdown(index=False) if len(top) else "_no mentions in this window_"
        ),
    }
