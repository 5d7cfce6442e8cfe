"""History ingestion: a past day's coin universe priced by klines, and its archived posts."""

from collections.abc import Iterator
from datetime import UTC, datetime

import dagster as dg
import pandas as pd
from dagster import AssetCheckSpec, AssetExecutionContext, MetadataValue, Output, asset

from crypto_assets.datasets import to_arrow
from crypto_assets.datasets.frames import posts_frame, replace_unencodable
from crypto_assets.datasets.rereads import merge_posts
from crypto_assets.defs.asset_metadata import definition_metadata, frame_metadata, rows_check
from crypto_assets.defs.asset_parts import stored_windows
from crypto_assets.defs.history.parts import HISTORY_DEFAULTS, daily, run_days, run_window_starts
from crypto_assets.defs.scope import current_scope
from crypto_assets.history.days import (
    DAY,
    captured_listings,
    day_listing_frame,
    day_universe,
    universe_with_listing,
)
from crypto_assets.history.universe import universe_version
from crypto_assets.resources.history_sources import PriceHistoryResource, RedditArchiveResource
from crypto_assets.resources.lake import LakeResource


@asset(
    **HISTORY_DEFAULTS,
    name="coin_listings",
    pool="price_history_api",
    metadata=definition_metadata("coin_listings"),
    # The shipped universe's hash: a corrected universe marks stored days stale in the UI.
    code_version=f"universe-{universe_version()}",
    check_specs=[
        AssetCheckSpec(
            "pairs_have_candles",
            asset=dg.AssetKey(["history", "coin_listings"]),
            description="Every Binance pair of the day's universe has at least one 5-minute "
            "candle that day. WARN: a pair the universe gets wrong (delisted, renamed) leaves "
            "its coin unpriced.",
        ),
    ],
)
def history_coin_listings(
    context: AssetExecutionContext, price_history: PriceHistoryResource, lake: LakeResource
) -> Iterator[object]:
    """The day's coin universe in every window, priced by the close of its last 5-minute candle."""
    source = "replay" if price_history.source == "replay" else "live"
    # A day the live graph captured in part: its first captured listing extends the universe,
    # so the day's other windows list the coins Coinlore listed that day.
    captured = captured_listings(
        stored_windows(lake.lake(), "coin_listings", run_window_starts(context))
    )
    frames, unpriced, requests = [], [], 0
    for day in run_days(context):
        rows = universe_with_listing(day, captured[day]) if day in captured else None
        universe = day_universe(day, rows)
        pairs = [coin.pair for coin in universe if coin.pair and coin.fixed_usdt is None]
        found = price_history.day_closes(day, pairs)
        requests += found.requests
        frames.append(day_listing_frame(day, universe, found.closes, source))
        silent = [p for p in pairs if not found.closes.get(p)]
        unpriced += [{"day": day.isoformat(), "pair": p} for p in silent]
    df = pd.concat(frames, ignore_index=True)
    yield Output(
        df,
        metadata={
            **frame_metadata("coin_listings", df, len(run_window_starts(context))),
            "price_source": price_history.describe,
            "coins": int(df["coin_id"].nunique()),
            "priced_rows": int(df["price_usd"].notna().sum()),
            "kline_requests": requests,
            "universe_version": universe_version(),
            "days_extended_by_live_listings": len(captured),
        },
    )
    yield rows_check(
        "pairs_have_candles",
        pd.DataFrame(unpriced, columns=["day", "pair"]),
        requests,
        f"{len(unpriced)} of {requests} pairs had no candle on the day",
    )


@asset(
    **HISTORY_DEFAULTS,
    name="reddit_posts",
    pool="reddit_archive_api",
    metadata=definition_metadata("reddit_posts"),
    check_specs=[
        AssetCheckSpec(
            "archive_has_posts",
            asset=dg.AssetKey(["history", "reddit_posts"]),
            description="Each configured subreddit has posts in the archive on the day. WARN: "
            "an archive gap, a misspelt or private subreddit, or a subreddit not yet created.",
        ),
    ],
)
def history_reddit_posts(
    context: AssetExecutionContext, reddit_archive: RedditArchiveResource, lake: LakeResource
) -> Iterator[object]:
    """Posts created on the day in the configured subreddits, from the archive, added to those stored."""
    starts = run_window_starts(context)
    seen_at = datetime.now(UTC)
    posts = []
    for day in run_days(context):
        start = datetime(day.year, day.month, day.day, tzinfo=UTC)
        posts += reddit_archive.fetch_posts(start, start + DAY)
    posts, replaced = replace_unencodable(posts)
    fetched = posts_frame(posts, seen_at)
    stored = stored_windows(lake.lake(), "reddit_posts", starts)
    df = merge_posts(
        to_arrow("reddit_posts", stored), to_arrow("reddit_posts", fetched)
    ).to_pandas()
    per_subreddit = fetched["subreddit"].value_counts().to_dict()
    yield Output(
        df,
        metadata={
            **frame_metadata("reddit_posts", df, len(starts)),
            "source": reddit_archive.describe,
            "subreddits": ", ".join(reddit_archive.subreddits),
            "posts_fetched": len(fetched),
            "posts_stored_before": len(stored),
            "posts_added": len(df) - len(stored),
            "posts_per_subreddit": MetadataValue.json(
                {k: int(v) for k, v in per_subreddit.items()}
            ),
            "unencodable_characters_replaced": replaced,
        },
    )
    lower = {name.lower() for name in fetched["subreddit"]}
    silent = [s for s in reddit_archive.subreddits if s.lower() not in lower]
    yield rows_check(
        "archive_has_posts",
        pd.DataFrame({"subreddit": silent}),
        len(reddit_archive.subreddits),
        f"{len(silent)} of {len(reddit_archive.subreddits)} subreddits had no archived post",
    )


@dg.definitions
def defs() -> dg.Definitions:
    """The history ingestion assets on the daily partitions of the settings being built."""
    scope = current_scope()
    return dg.Definitions(assets=daily([history_coin_listings, history_reddit_posts], scope))
