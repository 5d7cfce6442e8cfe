"""Where each asset lands: its warehouse schema and table, and its lake folder."""

from __future__ import annotations

# Warehouse schema per asset; terraform/ creates exactly these schemas.
WAREHOUSE_SCHEMAS: dict[str, str] = {
    "coin_listings": "LOADING",
    "reddit_posts": "LOADING",
    "sentiment_scores": "STAGING",
    "coin_mentions": "STAGING",
    "mention_counts": "WORKING",
}

# The column every table and every lake partition is keyed on (UTC, naive timestamp).
PARTITION_COLUMN = "window_start"


def warehouse_schema_names() -> list[str]:
    """The distinct warehouse schemas the platform writes to, sorted."""
    return sorted(set(WAREHOUSE_SCHEMAS.values()))
