"""Ingestion assets: Coinlore listings and Reddit posts for each 10-minute window."""

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
from crypto_assets.frames import WINDOW, listing_frame, posts_frame
from crypto_assets.quality import duplicate_keys, posts_outside_window
from crypto_assets.resources.lake import LakeResource
from crypto_assets.resources.sources import CoinloreResource, RedditResource
from crypto_assets.schemas import ASSET_KEYS, ASSET_SCHEMAS, conform


@asset(
    **ASSET_DEFAULTS,
    group_name="ingestion",
    pool="coinlore_api",
    metadata=definition_metadata("coin_listings"),
    check_specs=[
        AssetCheckSpec("unique_coin_per_window", asset="coin_listings", blocking=True),
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
        frames.append(listing_frame(snapshot.coins, snapshot.as_of, missing, coinlore.source))
        metadata |= {
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
    yield rows_check(
        "unique_coin_per_window",
        duplicate_keys(df, ASSET_KEYS["coin_listings"]),
        len(df),
        "Each coin appears once per window",
    )


@asset(
    **ASSET_DEFAULTS,
    group_name="ingestion",
    pool="reddit_api",
    metadata=definition_metadata("reddit_posts"),
    check_specs=[
        AssetCheckSpec("unique_post_per_window", asset="reddit_posts", blocking=True),
        AssetCheckSpec("created_inside_window", asset="reddit_posts", blocking=True),
    ],
)
def reddit_posts(context: AssetExecutionContext, reddit: RedditResource) -> Iterator[object]:
    """Posts created inside each window, from the configured subreddits' /new listings."""
    starts = window_starts(context)
    window = context.partition_time_window
    posts = reddit.fetch_window(window.start, window.end)
    df = posts_frame(posts)
    yield Output(
        df,
        metadata={
            **frame_metadata("reddit_posts", df, len(starts)),
            "source": reddit.source,
            "subreddits": ", ".join(reddit.subreddits),
            "authenticated": reddit.authenticated,
            "range": f"{starts[0]:%Y-%m-%d %H:%M} to {starts[-1] + WINDOW:%Y-%m-%d %H:%M} UTC",
        },
    )
    yield rows_check(
        "unique_post_per_window",
        duplicate_keys(df, ASSET_KEYS["reddit_posts"]),
        len(df),
        "Each post appears once",
    )
    yield rows_check(
        "created_inside_window",
        posts_outside_window(df),
        len(df),
        "created_utc lies inside the post's 10-minute window",
    )
