"""History enrichment and publication: the same sentiment, mentions and counts, a day at a time."""

from collections.abc import Iterator
from datetime import date

import dagster as dg
import pandas as pd
from dagster import AssetExecutionContext, AssetIn, AssetObservation, Output, asset

from crypto_assets.datasets.frames import counts_frame
from crypto_assets.defs.asset_metadata import definition_metadata, frame_metadata
from crypto_assets.defs.enrichment.assets import (
    mentioned_coins,
    scored_posts,
    with_sentiment_version,
)
from crypto_assets.defs.history.parts import (
    HISTORY_DEFAULTS,
    KEY_PREFIX,
    daily,
    run_days,
    run_window_starts,
)
from crypto_assets.defs.publication.assets import top_coins
from crypto_assets.defs.scope import current_scope
from crypto_assets.history.days import day_window_starts
from crypto_assets.nlp.mentions import MENTION_RULES_VERSION
from crypto_assets.nlp.sentiment import SENTIMENT_RULES_VERSION

# The numbers each day's materialization carries: the asset's Plots draw them across days.
PLOTTED = ("posts", "posts_mentioning_coins", "total_mentions", "coins_mentioned", "mean_sentiment")


def _input(name: str) -> AssetIn:
    return AssetIn(key=dg.AssetKey([KEY_PREFIX, name]))


@asset(
    **HISTORY_DEFAULTS,
    name="sentiment_scores",
    ins={"reddit_posts": _input("reddit_posts")},
    metadata=definition_metadata("sentiment_scores"),
    code_version=SENTIMENT_RULES_VERSION,
)
def history_sentiment_scores(
    context: AssetExecutionContext, reddit_posts: pd.DataFrame
) -> Iterator[object]:
    """VADER compound (crypto rules) and model sentiment of each archived post of the day."""
    yield scored_posts(reddit_posts, len(run_window_starts(context)))


@asset(
    **HISTORY_DEFAULTS,
    name="coin_mentions",
    ins={"sentiment_scores": _input("sentiment_scores"), "coin_listings": _input("coin_listings")},
    metadata=definition_metadata("coin_mentions"),
    code_version=MENTION_RULES_VERSION,
)
def history_coin_mentions(
    context: AssetExecutionContext, sentiment_scores: pd.DataFrame, coin_listings: pd.DataFrame
) -> Iterator[object]:
    """Which coins of the day's universe each post mentions (LUNA is Terra in May 2022)."""
    yield mentioned_coins(sentiment_scores, coin_listings, len(run_window_starts(context)))


@asset(
    **HISTORY_DEFAULTS,
    name="mention_counts",
    ins={
        "coin_mentions": _input("coin_mentions"),
        "coin_listings": _input("coin_listings"),
        "sentiment_scores": _input("sentiment_scores"),
    },
    metadata=definition_metadata("mention_counts"),
)
def history_mention_counts(
    context: AssetExecutionContext,
    coin_mentions: pd.DataFrame,
    coin_listings: pd.DataFrame,
    sentiment_scores: pd.DataFrame,
) -> Iterator[object]:
    """Per coin and window of the day: mentions, posts, sentiment and the window's kline price."""
    df = counts_frame(coin_mentions, coin_listings)
    days = run_days(context)
    summaries = {day: day_summary(day, df, coin_mentions, sentiment_scores) for day in days}
    metadata = frame_metadata("mention_counts", df, len(run_window_starts(context)))
    if len(days) == 1:
        metadata |= {**summaries[days[0]], "top_coins": top_coins(df)}
    else:
        # One Output's metadata is copied onto every day of the run: per-day numbers go to
        # one observation per day instead.
        for day, summary in summaries.items():
            context.log_event(
                AssetObservation(
                    asset_key=context.asset_key, partition=day.isoformat(), metadata=summary
                )
            )
    yield Output(df, metadata=metadata)


def day_summary(
    day: date, counts: pd.DataFrame, mentions: pd.DataFrame, scores: pd.DataFrame
) -> dict[str, float | int | None]:
    """One day's numbers: posts, posts mentioning coins, mentions, coins, mean sentiment."""
    windows = set(day_window_starts(day))

    def of_day(frame: pd.DataFrame) -> pd.DataFrame:
        return frame[frame["window_start"].isin(windows)]

    day_mentions = of_day(mentions).drop_duplicates("post_id")
    sentiment = day_mentions["combined_compound"].mean()
    return {
        "posts": int(of_day(scores)["post_id"].nunique()),
        "posts_mentioning_coins": len(day_mentions),
        "total_mentions": int(of_day(counts)["mentions"].sum()),
        "coins_mentioned": int(of_day(counts)["coin_id"].nunique()),
        # No post mentions a coin: no sentiment to average (0.0 would read as neutral).
        "mean_sentiment": None if pd.isna(sentiment) else round(float(sentiment), 4),
    }


@dg.definitions
def defs() -> dg.Definitions:
    """The history enrichment and publication assets on the daily partitions."""
    assets = [history_sentiment_scores, history_coin_mentions, history_mention_counts]
    scope = current_scope()
    versioned = with_sentiment_version(daily(assets, scope), scope.settings.sentiment_model)
    return dg.Definitions(assets=versioned)
