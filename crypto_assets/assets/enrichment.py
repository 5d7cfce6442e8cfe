"""Enrichment assets: VADER sentiment per post, and the coins each post mentions."""

from collections.abc import Iterator
from functools import cache

import pandas as pd
from dagster import AssetCheckSpec, AssetExecutionContext, Output, asset

from crypto_assets.assets.common import (
    ASSET_DEFAULTS,
    definition_metadata,
    frame_metadata,
    rows_check,
    window_starts,
)
from crypto_assets.frames import mentions_frame, sentiment_frame
from crypto_assets.nlp.sentiment import SentimentScorer
from crypto_assets.quality import duplicate_keys, sentiment_out_of_bounds, unlisted_mentions
from crypto_assets.schemas import ASSET_KEYS


@cache
def _scorer() -> SentimentScorer:
    return SentimentScorer(use_crypto_lexicon=True)


@asset(
    **ASSET_DEFAULTS,
    group_name="enrichment",
    metadata=definition_metadata("sentiment_scores"),
    check_specs=[
        AssetCheckSpec("compound_within_bounds", asset="sentiment_scores", blocking=True),
        AssetCheckSpec("unique_post_score", asset="sentiment_scores"),
    ],
)
def sentiment_scores(
    context: AssetExecutionContext, reddit_posts: pd.DataFrame
) -> Iterator[object]:
    """VADER compound (crypto lexicon added) for title, body and both; label at ±0.05."""
    df = sentiment_frame(reddit_posts, _scorer())
    labels = df["label"].value_counts().to_dict()
    yield Output(
        df,
        metadata={
            **frame_metadata("sentiment_scores", df, len(window_starts(context))),
            "positive_posts": int(labels.get("positive", 0)),
            "negative_posts": int(labels.get("negative", 0)),
            "neutral_posts": int(labels.get("neutral", 0)),
        },
    )
    yield rows_check(
        "compound_within_bounds",
        sentiment_out_of_bounds(df),
        len(df),
        "Every compound score lies in [-1, 1]",
    )
    yield rows_check(
        "unique_post_score",
        duplicate_keys(df, ASSET_KEYS["sentiment_scores"]),
        len(df),
        "One score row per post",
    )


@asset(
    **ASSET_DEFAULTS,
    group_name="enrichment",
    metadata=definition_metadata("coin_mentions"),
    check_specs=[
        AssetCheckSpec("mentions_name_listed_coins", asset="coin_mentions", blocking=True),
        AssetCheckSpec("unique_post_coin", asset="coin_mentions"),
    ],
)
def coin_mentions(
    context: AssetExecutionContext, sentiment_scores: pd.DataFrame, coin_listings: pd.DataFrame
) -> Iterator[object]:
    """Which listed coins each scored post mentions, by name or ticker, in title and body."""
    df = mentions_frame(sentiment_scores, coin_listings)
    yield Output(
        df,
        metadata={
            **frame_metadata("coin_mentions", df, len(window_starts(context))),
            "posts_with_mentions": int(df["post_id"].nunique()),
            "coins_mentioned": int(df["coin_id"].nunique()),
        },
    )
    yield rows_check(
        "mentions_name_listed_coins",
        unlisted_mentions(df, coin_listings),
        len(df),
        "Every mention names a coin in the same window's listing",
    )
    yield rows_check(
        "unique_post_coin",
        duplicate_keys(df, ASSET_KEYS["coin_mentions"]),
        len(df),
        "One row per post and coin",
    )
