"""Column schemas of every asset: what the lake files and warehouse tables hold."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from crypto_assets.rereads import keep_stored_listings, merge_posts
from crypto_assets.storage.lakehouse import Merge

TS = pa.timestamp("us")  # naive UTC everywhere (Snowflake TIMESTAMP_NTZ, session TIMEZONE=UTC)

_PRICE_FIELDS = [
    ("price_usd", pa.float64()),
    ("percent_change_1h", pa.float64()),
    ("percent_change_24h", pa.float64()),
    ("percent_change_7d", pa.float64()),
]

ASSET_SCHEMAS: dict[str, pa.Schema] = {
    "coin_listings": pa.schema(
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
            ("source", pa.string()),
        ]
    ),
    "reddit_posts": pa.schema(
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
    "sentiment_scores": pa.schema(
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
    "coin_mentions": pa.schema(
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
    "mention_counts": pa.schema(
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
        ]
    ),
}

# Columns that identify a row; asset checks assert they are unique.
ASSET_KEYS: dict[str, tuple[str, ...]] = {
    "coin_listings": ("window_start", "coin_id"),
    "reddit_posts": ("window_start", "post_id"),
    "sentiment_scores": ("window_start", "post_id"),
    "coin_mentions": ("window_start", "post_id", "coin_id"),
    "mention_counts": ("window_start", "coin_id"),
}


# How a write combines a window's stored rows with new ones (under the table's lock); other
# assets are recomputed from their inputs and replace their windows.
ASSET_MERGES: dict[str, Merge] = {
    "coin_listings": keep_stored_listings,
    "reddit_posts": merge_posts,
}


def empty_frame(asset: str) -> pd.DataFrame:
    """A zero-row DataFrame with the asset's columns and dtypes."""
    return ASSET_SCHEMAS[asset].empty_table().to_pandas()


def to_arrow(asset: str, df: pd.DataFrame) -> pa.Table:
    """Cast a DataFrame to the asset's schema; a missing or extra column fails naming it."""
    schema = ASSET_SCHEMAS[asset]
    missing = [n for n in schema.names if n not in df.columns]
    extra = [c for c in df.columns if c not in schema.names]
    if missing or extra:
        raise ValueError(
            f"{asset}: columns differ from its schema: missing {missing}, extra {extra}"
        )
    frame = df[schema.names].copy()
    for field in schema:
        if pa.types.is_timestamp(field.type):
            frame[field.name] = _naive_utc(frame[field.name])
    try:
        return pa.Table.from_pandas(frame, schema=schema, preserve_index=False)
    except (pa.ArrowException, UnicodeError, ValueError, TypeError, OverflowError) as exc:
        raise ValueError(f"{asset}: {_bad_cell(asset, frame, schema) or exc}") from exc


def _bad_cell(asset: str, frame: pd.DataFrame, schema: pa.Schema) -> str | None:
    """Which row (by its key) and field cannot be converted, and why."""
    for field in schema:
        column = frame[field.name]
        try:
            pa.array(column, type=field.type, from_pandas=True)
            continue
        except (pa.ArrowException, UnicodeError, ValueError, TypeError, OverflowError):
            pass
        for position, value in enumerate(column):
            try:
                pa.array([value], type=field.type, from_pandas=True)
            except (pa.ArrowException, UnicodeError, ValueError, TypeError, OverflowError) as exc:
                row = frame.iloc[position]
                key = ", ".join(f"{k}={row[k]!s}" for k in ASSET_KEYS[asset] if k != "window_start")
                return f"row {key or position}: field {field.name!r}: {type(exc).__name__}: {exc}"
    return None


def conform(asset: str, df: pd.DataFrame) -> pd.DataFrame:
    """The DataFrame with exactly the asset's columns, in order, with the schema's dtypes."""
    return to_arrow(asset, df).to_pandas()


def _naive_utc(series: pd.Series) -> pd.Series:
    values = pd.to_datetime(series, utc=True)
    return values.dt.tz_convert("UTC").dt.tz_localize(None).astype("datetime64[us]")
