"""Enrichment assets: VADER sentiment per post, and the coins each post mentions."""

from collections.abc import Iterator
from functools import cache

import dagster as dg
import pandas as pd
from dagster import AssetExecutionContext, Output, asset

from crypto_assets.config.sentiment_fields import SentimentFields
from crypto_assets.datasets.frames import mentions_frame, sentiment_frame
from crypto_assets.defs.asset_metadata import definition_metadata, frame_metadata
from crypto_assets.defs.asset_parts import ASSET_DEFAULTS, window_starts, windowed
from crypto_assets.defs.scope import current_scope
from crypto_assets.nlp.mentions import MENTION_RULES_VERSION
from crypto_assets.nlp.sentiment import SENTIMENT_RULES_VERSION, SentimentScorer
from crypto_assets.nlp.sentiment.selection import sentiment_code_version


@cache
def scorer() -> SentimentScorer:
    """The crypto-tuned VADER scorer, built once per process."""
    return SentimentScorer(use_crypto_lexicon=True)


@cache
def sentiment_model() -> str:
    """The model that writes model_sentiment in this process (CRYPTO_SENTIMENT_MODEL alone)."""
    return SentimentFields.from_env().sentiment_model


def with_sentiment_version(assets: list[dg.AssetsDefinition], model: str) -> list:
    """The assets with the sentiment_scores code version of ``model`` (light: unchanged)."""

    def versioned(spec: dg.AssetSpec) -> dg.AssetSpec:
        if spec.key.path[-1] != "sentiment_scores":
            return spec
        return spec.replace_attributes(code_version=sentiment_code_version(model))

    return [a.map_asset_specs(versioned) for a in assets]


@asset(
    **ASSET_DEFAULTS,
    group_name="enrichment",
    metadata=definition_metadata("sentiment_scores"),
    # A lexicon, phrase, threshold or model-weight change marks stored windows stale in the UI.
    code_version=SENTIMENT_RULES_VERSION,
)
def sentiment_scores(
    context: AssetExecutionContext, reddit_posts: pd.DataFrame
) -> Iterator[object]:
    """VADER compound (crypto rules) for title, body and both, label at ±0.05, model_sentiment."""
    yield scored_posts(reddit_posts, len(window_starts(context)))


@asset(
    **ASSET_DEFAULTS,
    group_name="enrichment",
    metadata=definition_metadata("coin_mentions"),
    code_version=MENTION_RULES_VERSION,
)
def coin_mentions(
    context: AssetExecutionContext, sentiment_scores: pd.DataFrame, coin_listings: pd.DataFrame
) -> Iterator[object]:
    """Which listed coins each scored post mentions, by name or ticker, in title and body."""
    yield mentioned_coins(sentiment_scores, coin_listings, len(window_starts(context)))


def scored_posts(posts: pd.DataFrame, windows: int) -> Output:
    """The sentiment_scores output of `posts` over `windows` windows, with its label counts."""
    df = sentiment_frame(posts, scorer(), sentiment_model())
    labels = df["label"].value_counts().to_dict()
    return Output(
        df,
        metadata={
            **frame_metadata("sentiment_scores", df, windows),
            "positive_posts": int(labels.get("positive", 0)),
            "negative_posts": int(labels.get("negative", 0)),
            "neutral_posts": int(labels.get("neutral", 0)),
            "mean_model_sentiment": round(float(df["model_sentiment"].mean()), 4)
            if len(df)
            else None,
        },
    )


def mentioned_coins(scores: pd.DataFrame, listings: pd.DataFrame, windows: int) -> Output:
    """The coin_mentions output of scored posts against a coin listing, over `windows` windows."""
    df = mentions_frame(scores, listings)
    return Output(
        df,
        metadata={
            **frame_metadata("coin_mentions", df, windows),
            "posts_with_mentions": int(df["post_id"].nunique()),
            "coins_mentioned": int(df["coin_id"].nunique()),
        },
    )


@dg.definitions
def defs() -> dg.Definitions:
    """The enrichment assets on the live windows of the settings being built."""
    scope = current_scope()
    assets = windowed([sentiment_scores, coin_mentions], scope)
    return dg.Definitions(assets=with_sentiment_version(assets, scope.settings.sentiment_model))
