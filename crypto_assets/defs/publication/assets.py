"""Published asset: per-coin mention counts and sentiment for each window."""

from collections.abc import Iterator
from datetime import datetime

import dagster as dg
import pandas as pd
from dagster import (
    AssetCheckSpec,
    AssetExecutionContext,
    AssetObservation,
    MetadataValue,
    Output,
    asset,
)

from crypto_assets.datasets.frames import counts_frame
from crypto_assets.datasets.quality import BASELINE_WINDOWS, MENTION_RATE, trailing_outliers
from crypto_assets.defs.asset_metadata import definition_metadata, frame_metadata, rows_check
from crypto_assets.defs.asset_parts import ASSET_DEFAULTS, history_windows, window_starts, windowed
from crypto_assets.defs.scope import current_scope
from crypto_assets.resources.lake import LakeResource
from crypto_assets.windows import WINDOW

TOP_COINS = 15
# Numbers the asset's Plots tab charts across partitions.
PLOTTED = ("total_mentions", "coins_mentioned", "posts_mentioning_coins", "mean_sentiment")


@asset(
    **ASSET_DEFAULTS,
    group_name="publication",
    metadata=definition_metadata("mention_counts"),
    check_specs=[
        AssetCheckSpec(
            "mention_rate_vs_baseline",
            asset="mention_counts",
            description="A window's total mentions stay within 5x (and 10 above) the mean of its "
            "trailing six hours, and are not zero when that mean is 5 or more. WARN: a burst of "
            "spam or a matcher regression, or a silent gap in the posts.",
        ),
    ],
)
def mention_counts(
    context: AssetExecutionContext,
    coin_mentions: pd.DataFrame,
    coin_listings: pd.DataFrame,
    lake: LakeResource,
) -> Iterator[object]:
    """Per coin and window: mentions, posts mentioning, their sentiment, price and % changes."""
    df = counts_frame(coin_mentions, coin_listings)
    starts = window_starts(context)
    summary = window_summary(df, coin_mentions, starts)
    metadata = frame_metadata("mention_counts", df, len(starts))
    rows = summary.to_dict("records")
    if len(starts) == 1:
        metadata |= {"top_coins": top_coins(df), **{k: rows[0][k] for k in PLOTTED}}
    else:
        # One Output's metadata is copied onto each of the range's N materializations
        # (dagster#18123), so per-window numbers go to one observation per window instead:
        # an N-row table there would make the event log grow with N squared.
        for key, row in zip(
            sorted(context.partition_keys), summary.to_dict("records"), strict=True
        ):
            context.log_event(
                AssetObservation(
                    asset_key=context.asset_key,
                    partition=key,
                    metadata={k: row[k] for k in PLOTTED},
                )
            )
    yield Output(df, metadata=metadata)
    history = history_windows(lake.lake(), "mention_counts", starts, BASELINE_WINDOWS)
    # History windows with no mentions have no rows but were stored: they count as zero.
    known = pd.DatetimeIndex(sorted({*_stored_windows(lake, starts), *starts}))
    totals = pd.concat([history, df]).groupby("window_start")["mentions"].sum()
    yield rows_check(
        "mention_rate_vs_baseline",
        trailing_outliers(totals.reindex(known, fill_value=0), starts, MENTION_RATE),
        len(starts),
        "Total mentions per window against the trailing six hours",
    )


def _stored_windows(lake: LakeResource, starts: list[datetime]) -> set[datetime]:
    wanted = [starts[0] - (i + 1) * WINDOW for i in range(BASELINE_WINDOWS)]
    return lake.lake().existing_windows(["mention_counts"], wanted)


def window_summary(
    counts: pd.DataFrame, mentions: pd.DataFrame, starts: list[datetime]
) -> pd.DataFrame:
    """Per window: total mentions, coins mentioned, posts mentioning coins, their mean sentiment."""
    posts = mentions.drop_duplicates(["window_start", "post_id"]).groupby("window_start")
    by_window = pd.DataFrame(
        {
            "total_mentions": counts.groupby("window_start")["mentions"].sum(),
            "coins_mentioned": counts.groupby("window_start")["coin_id"].nunique(),
            "posts_mentioning_coins": posts["post_id"].count(),
            "mean_sentiment": posts["combined_compound"].mean().round(4),
        }
    )
    summary = by_window.reindex(pd.DatetimeIndex(starts, name="window_start"))
    summary = summary.fillna(
        {"total_mentions": 0, "coins_mentioned": 0, "posts_mentioning_coins": 0}
    )
    summary = summary.astype({c: int for c in PLOTTED[:3]}).reset_index()
    # No posts mention a coin: no sentiment to average (0.0 would read as "neutral").
    summary["mean_sentiment"] = (
        summary["mean_sentiment"].astype(object).where(summary["mean_sentiment"].notna(), None)
    )
    return summary


def top_coins(df: pd.DataFrame) -> MetadataValue:
    """The most mentioned coins of `df` as a markdown table."""
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
    return MetadataValue.md(
        top.to_markdown(index=False) if len(top) else "_no mentions in this window_"
    )


@dg.definitions
def defs() -> dg.Definitions:
    """The published asset on the live windows of the settings being built."""
    return dg.Definitions(assets=windowed([mention_counts], current_scope()))
