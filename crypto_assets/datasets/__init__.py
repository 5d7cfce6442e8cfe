"""The platform's datasets: one descriptor each (`catalog`), their column meanings, how their
frames are built and merged, and the data-quality rules their checks apply. Dagster-free."""

from crypto_assets.datasets.catalog import (
    ASSET_KEYS,
    ASSET_MERGES,
    ASSET_SCHEMAS,
    DATASETS,
    PARTITION_COLUMN,
    WAREHOUSE_SCHEMAS,
    Dataset,
    Merge,
    warehouse_schema_names,
)
from crypto_assets.datasets.columns import COLUMN_DESCRIPTIONS
from crypto_assets.datasets.tables import conform, empty_frame, to_arrow

__all__ = [
    "ASSET_KEYS",
    "ASSET_MERGES",
    "ASSET_SCHEMAS",
    "COLUMN_DESCRIPTIONS",
    "DATASETS",
    "PARTITION_COLUMN",
    "WAREHOUSE_SCHEMAS",
    "Dataset",
    "Merge",
    "conform",
    "empty_frame",
    "to_arrow",
    "warehouse_schema_names",
]
