"""Ingestion assets: Coinlore listings and Reddit posts for each 10-minute window."""

from collections.abc import Iterator
from datetime import UTC, datetime

import dagster as dg
import pandas as pd
from dagster import AssetCheckSpec, AssetExecutionContext, MetadataValue, Output, asset

from crypto_assets.datasets import ASSET_SCHEMAS, conform, to_arrow
from crypto_assets.datasets.frames import listing_frame, posts_frame, replace_unencodable
from crypto_assets.datasets.quality import (
    BASELINE_WINDOWS,
    ZERO_POSTS,
    deep_listings,
    posts_per_window,
    short_listings,
    trailing_outliers,
    windows_without_prices,
)
from crypto_assets.datasets.rereads import merge_posts, unseen_posts
from crypto_assets.defs.asset_metadata import definition_metadata, frame_metadata, rows_check
from crypto_assets.defs.asset_parts import (
    ASSET_DEFAULTS,
    history_windows,
    stored_windows,
    window_starts,
    windowed,
)
from crypto_assets.defs.scope import current_scope
from crypto_assets.resources.history_sources import RedditArchiveResource
from crypto_assets.resources.lake import LakeResource
from crypto_assets.resources.sources import CoinloreResource, RedditResource
from crypto_assets.sources.errors import ListingDepthError
from crypto_assets.windows import WINDOW


@asset(
    **ASSET_DEFAULTS,
    group_name="ingestion",
    pool="coinlore_api",
    metadata=definition_metadata("coin_listings"),
    check_specs=[
        AssetCheckSpec(
            "listing_depth",
            asset="coin_listings",
            description="Each window fetched in the run lists as many coins as were requested "
            "(CRYPTO_TOP_N_COINS; the replay recording holds 100). WARN: coins below the cut are "
            "not matched in posts.",
        ),
        AssetCheckSpec(
            "listing_has_prices",
            asset="coin_listings",
            description="Each window's listing was taken during the window or within 15 minutes "
            "after it, so its prices are the window's own. WARN: backfilled or late windows keep "
            "only the coin dictionary (prices null).",
        ),
    ],
)
def coin_listings(
    context: AssetExecutionContext, coinlore: CoinloreResource, lake: LakeResource
) -> Iterator[object]:
    """Coinlore's top-N coins per window; a window's listing, once stored, is kept as history."""
    starts = window_starts(context)
    stored = lake.lake()
    kept_starts = sorted(stored.existing_windows(["coin_listings"], starts))
    missing = [s for s in starts if s not in set(kept_starts)]
    frames = []
    if kept_starts:
        # Reruns and late-post re-reads keep what was captured; they never refetch it.
        kept = stored.read_windows(["coin_listings"], kept_starts, ASSET_SCHEMAS["coin_listings"])
        frames.append(kept.to_pandas())
    metadata: dict[str, object] = {"api_pages": 0, "source": coinlore.source}
    if missing:
        snapshot = coinlore.fetch_listing()
        coins, replaced = replace_unencodable(snapshot.coins)
        frames.append(listing_frame(coins, snapshot.as_of, missing, coinlore.source))
        metadata |= {
            "unencodable_characters_replaced": replaced,
            "api_pages": snapshot.pages,
            "coins": len(snapshot.coins),
            "as_of": MetadataValue.timestamp(snapshot.as_of),
        }
    df = pd.concat(frames, ignore_index=True).sort_values(["window_start", "rank", "coin_id"])
    df = conform("coin_listings", df)
    captured = df.drop_duplicates("window_start")["prices_captured"]
    yield Output(
        df,
        metadata={
            **frame_metadata("coin_listings", df, len(starts)),
            **metadata,
            "windows_kept": len(kept_starts),
            "windows_fetched": len(missing),
            "windows_with_prices": int(captured.sum()),
        },
    )
    requested = coinlore.requested_coins()
    yield rows_check(
        "listing_depth",
        short_listings(df, missing, requested),
        len(missing),
        f"Fetched windows list {requested} coins",
    )
    no_prices = windows_without_prices(df)
    yield rows_check(
        "listing_has_prices",
        no_prices,
        len(starts),
        f"{len(starts) - len(no_prices)} of {len(starts)} windows have prices of their own",
    )


@asset(
    **ASSET_DEFAULTS,
    group_name="ingestion",
    pool="reddit_api",
    metadata=definition_metadata("reddit_posts"),
    check_specs=[
        AssetCheckSpec(
            "posts_vs_baseline",
            asset="reddit_posts",
            description="No window has zero posts from a subreddit whose trailing six hours "
            "average 3 or more posts per window (an honest zero is then under 5% likely). "
            "WARN: the listing or the subreddit may be failing silently.",
        ),
        AssetCheckSpec(
            "listing_depth_headroom",
            asset="reddit_posts",
            description="Reaching the run's first window took fewer than 800 of the ~1000 posts "
            "Reddit's /new listing serves. WARN: older windows are about to become unreachable; "
            "backfill them now.",
        ),
        AssetCheckSpec(
            "reread_returned_stored_posts",
            asset="reddit_posts",
            description="A re-read of stored windows returned every post already stored. WARN: "
            "posts removed at the source, or a short or empty reply (a Reddit hiccup, a "
            "subreddit gone private); the stored posts are kept, with their last_seen_at.",
        ),
    ],
)
def reddit_posts(
    context: AssetExecutionContext,
    reddit: RedditResource,
    reddit_archive: RedditArchiveResource,
    lake: LakeResource,
) -> Iterator[object]:
    """Posts created in each window from /new (too old: the Reddit archive), added to those stored."""
    starts = window_starts(context)
    window = context.partition_time_window
    seen_at = datetime.now(UTC)
    source = reddit.source
    try:
        posts, posts_seen = reddit.fetch_window_with_depth(window.start, window.end)
    except ListingDepthError as exc:
        if not reddit_archive.serves_old_live_windows:
            raise
        context.log.warning(f"reddit_posts: {exc}; reading the Reddit archive instead")
        posts, posts_seen = reddit_archive.fetch_posts(window.start, window.end), {}
        source = reddit_archive.describe
    posts, replaced = replace_unencodable(posts)
    fetched = posts_frame(posts, seen_at)
    stored = stored_windows(lake.lake(), "reddit_posts", starts)
    merged = merge_posts(to_arrow("reddit_posts", stored), to_arrow("reddit_posts", fetched))
    df = merged.to_pandas()
    unseen = unseen_posts(stored, fetched)
    yield Output(
        df,
        metadata={
            **frame_metadata("reddit_posts", df, len(starts)),
            "source": source,
            "subreddits": ", ".join(reddit.subreddits),
            "authenticated": reddit.authenticated,
            "listing_posts_read": MetadataValue.json(posts_seen),
            "range": f"{starts[0]:%Y-%m-%d %H:%M} to {starts[-1] + WINDOW:%Y-%m-%d %H:%M} UTC",
            "posts_fetched": len(fetched),
            "posts_stored_before": len(stored),
            "posts_added": len(df) - len(stored),
            "posts_not_seen_again": len(unseen),
            "unencodable_characters_replaced": replaced,
        },
    )
    if replaced:
        context.log.warning(f"reddit_posts: replaced {replaced} unencodable characters with U+FFFD")
    history = history_windows(lake.lake(), "reddit_posts", starts, BASELINE_WINDOWS)
    known = [*history["window_start"].drop_duplicates(), *starts]
    gaps = []
    for subreddit in reddit.subreddits:
        counts = posts_per_window(pd.concat([history, df]), subreddit, known)
        found = trailing_outliers(counts, starts, ZERO_POSTS)
        gaps.append(found.assign(subreddit=subreddit))
    yield rows_check(
        "posts_vs_baseline",
        pd.concat(gaps, ignore_index=True),
        len(starts) * len(reddit.subreddits),
        "Windows with zero posts against a busy trailing baseline",
    )
    yield rows_check(
        "listing_depth_headroom",
        deep_listings(posts_seen),
        len(posts_seen),
        "Listing posts read to reach the run's first window, per subreddit",
    )
    yield rows_check(
        "reread_returned_stored_posts",
        unseen[["window_start", "post_id", "subreddit", "title", "last_seen_at"]],
        len(stored),
        f"{len(unseen)} of {len(stored)} stored posts were not returned by this read; kept",
    )


@dg.definitions
def defs() -> dg.Definitions:
    """The ingestion assets on the live windows of the settings being built."""
    return dg.Definitions(assets=windowed([coin_listings, reddit_posts], current_scope()))
