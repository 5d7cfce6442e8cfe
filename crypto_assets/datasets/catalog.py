"""The datasets of the platform, one descriptor each: columns, warehouse layer, key and merge.

Every fact about a dataset lives in its `Dataset`: the lake folder and warehouse table are
its name, the warehouse schema (LOADING / STAGING / WORKING, which terraform/ creates) is its
layer, the asset checks' uniqueness key is `key`, and `merge` says how a write combines the
stored rows of a window with new ones (under the table's lock). Column meanings are in
`datasets.columns`, shared by name. Dagster-free.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pyarrow as pa

from crypto_assets.datasets.columns import COLUMN_DESCRIPTIONS
from crypto_assets.datasets.rereads import keep_stored_listings, merge_posts

# How a write combines a window's stored rows (first) with new ones (second).
Merge = Callable[[pa.Table, pa.Table], pa.Table]
TS = pa.timestamp("us")  # naive UTC everywhere (Snowflake TIMESTAMP_NTZ, session TIMEZONE=UTC)
# The column every table and every lake partition is keyed on (UTC, naive timestamp).
PARTITION_COLUMN = "window_start"


@dataclass(frozen=True)
class Dataset:
    """One dataset: an asset, its lake folder and its warehouse table."""

    name: str
    description: str
    layer: str  # the warehouse schema holding its table
    key: tuple[str, ...]  # columns that identify a row
    schema: pa.Schema
    merge: Merge | None = None  # None: recomputed from its inputs, its windows replaced

    @property
    def lake_folder(self) -> str:
        """Folder of its files under the lake root (one `timestamp=…` folder per window)."""
        return self.name

    def column_docs(self) -> dict[str, str]:
        """What each of its columns means."""
        return {f.name: COLUMN_DESCRIPTIONS[f.name] for f in self.schema}


_PRICE_FIELDS = [
    ("price_usd", pa.float64()),
    ("percent_change_1h", pa.float64()),
    ("percent_change_24h", pa.float64()),
    ("percent_change_7d", pa.float64()),
]

COIN_LISTINGS = Dataset(
    name="coin_listings",
    description="Coinlore's top coins per window: the coin dictionary, and prices when captured in time.",
    layer="LOADING",
    key=("window_start", "coin_id"),
    schema=pa.schema(
        [
            ("window_start", TS),
            ("coin_id", pa.string()),
            ("symbol", pa.string()),
            ("name", pa.string()),
            ("nameid", pa.string()),
            ("rank", pa.int64()),
            *_PRICE_FIELDS,
            ("price_btc", pa.float64()),
            ("market_cap_usd", pa.float64()),
            ("volume24", pa.float64()),
            ("volume24a", pa.float64()),
            ("csupply", pa.float64()),
            ("tsupply", pa.float64()),
            ("msupply", pa.float64()),
            ("as_of", TS),
            ("prices_captured", pa.bool_()),
            ("price_source", pa.string()),
            ("source", pa.string()),
        ]
    ),
    merge=keep_stored_listings,
)

REDDIT_POSTS = Dataset(
    name="reddit_posts",
    description="New posts per window from the configured subreddits; a re-read only adds.",
    layer="LOADING",
    key=("window_start", "post_id"),
    schema=pa.schema(
        [
            ("window_start", TS),
            ("post_id", pa.string()),
            ("subreddit", pa.string()),
            ("title", pa.string()),
            ("selftext", pa.string()),
            ("author", pa.string()),
            ("score", pa.int64()),
            ("num_comments", pa.int64()),
            ("created_utc", TS),
            ("permalink", pa.string()),
            ("flair", pa.string()),
            ("first_seen_at", TS),
            ("last_seen_at", TS),
        ]
    ),
    merge=merge_posts,
)

SENTIMENT_SCORES = Dataset(
    name="sentiment_scores",
    description="VADER (crypto rules) and model sentiment per post.",
    layer="STAGING",
    key=("window_start", "post_id"),
    schema=pa.schema(
        [
            ("window_start", TS),
            ("post_id", pa.string()),
            ("subreddit", pa.string()),
            ("created_utc", TS),
            ("title", pa.string()),
            ("selftext", pa.string()),
            ("title_compound", pa.float64()),
            ("body_compound", pa.float64()),
            ("combined_compound", pa.float64()),
            ("label", pa.string()),
            ("model_sentiment", pa.float64()),
        ]
    ),
)

COIN_MENTIONS = Dataset(
    name="coin_mentions",
    description="Which coins each post mentions, with the post's sentiment.",
    layer="STAGING",
    key=("window_start", "post_id", "coin_id"),
    schema=pa.schema(
        [
            ("window_start", TS),
            ("post_id", pa.string()),
            ("coin_id", pa.string()),
            ("symbol", pa.string()),
            ("name", pa.string()),
            ("title_mentions", pa.int64()),
            ("body_mentions", pa.int64()),
            ("total_mentions", pa.int64()),
            ("combined_compound", pa.float64()),
            ("label", pa.string()),
            ("model_sentiment", pa.float64()),
        ]
    ),
)

MENTION_COUNTS = Dataset(
    name="mention_counts",
    description="Per coin and window: mentions, posts, sentiment and the window's price.",
    layer="WORKING",
    key=("window_start", "coin_id"),
    schema=pa.schema(
        [
            ("window_start", TS),
            ("coin_id", pa.string()),
            ("symbol", pa.string()),
            ("name", pa.string()),
            ("rank", pa.int64()),
            ("mentions", pa.int64()),
            ("posts_mentioning", pa.int64()),
            ("mean_sentiment", pa.float64()),
            ("positive_posts", pa.int64()),
            ("negative_posts", pa.int64()),
            ("neutral_posts", pa.int64()),
            ("mean_model_sentiment", pa.float64()),
            *_PRICE_FIELDS,
            ("market_cap_usd", pa.float64()),
            ("as_of", TS),
            ("prices_captured", pa.bool_()),
            ("price_source", pa.string()),
        ]
    ),
)

DATASETS: dict[str, Dataset] = {
    d.name: d
    for d in (COIN_LISTINGS, REDDIT_POSTS, SENTIMENT_SCORES, COIN_MENTIONS, MENTION_COUNTS)
}
# Views of the catalog by fact, for code that needs one fact of every dataset.
ASSET_SCHEMAS: dict[str, pa.Schema] = {n: d.schema for n, d in DATASETS.items()}
ASSET_KEYS: dict[str, tuple[str, ...]] = {n: d.key for n, d in DATASETS.items()}
ASSET_MERGES: dict[str, Merge] = {n: d.merge for n, d in DATASETS.items() if d.merge}
WAREHOUSE_SCHEMAS: dict[str, str] = {n: d.layer for n, d in DATASETS.items()}


def warehouse_schema_names() -> list[str]:
    """The distinct warehouse schemas the platform writes to, sorted."""
    return sorted(set(WAREHOUSE_SCHEMAS.values()))
