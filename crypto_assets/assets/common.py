"""What every asset shares: partitions, backfill policy, IO manager, metadata and checks."""

from __future__ import annotations

import warnings
from datetime import datetime

import pandas as pd
from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    AssetExecutionContext,
    BackfillPolicy,
    BetaWarning,
    MetadataValue,
    TableColumn,
    TableSchema,
)

from crypto_assets.column_docs import COLUMN_DESCRIPTIONS
from crypto_assets.environment import current_settings
from crypto_assets.partitions import WINDOW, ten_minute_partitions
from crypto_assets.schemas import ASSET_SCHEMAS
from crypto_assets.storage.lake import ParquetLake

# BackfillPolicy is stable in use (dagster asset materialize --partition-range relies on it).
warnings.filterwarnings("ignore", category=BetaWarning, message=".*backfill_policy.*")

WAREHOUSE_KIND = current_settings().warehouse
PREVIEW_ROWS = 10

# The lake takes any window range in one write, so a backfill of a day is one run, not 144.
# CRYPTO_BACKFILL_WINDOWS_PER_RUN (production: 144, a day) splits UI / GraphQL backfills into
# runs of that many windows, bounding one run's memory; unset keeps one run per backfill, which
# `dagster asset materialize --partition-range` requires (it refuses multi-run policies).
_WINDOWS_PER_RUN = current_settings().backfill_windows_per_run
ASSET_DEFAULTS = {
    "partitions_def": ten_minute_partitions,
    "backfill_policy": (
        BackfillPolicy.multi_run(_WINDOWS_PER_RUN)
        if _WINDOWS_PER_RUN
        else BackfillPolicy.single_run()
    ),
    "io_manager_key": "lakehouse",
    "kinds": {"python", "parquet", WAREHOUSE_KIND},
}


def table_schema(asset: str) -> TableSchema:
    """The asset's columns as Dagster table-schema metadata."""
    return TableSchema(
        columns=[
            TableColumn(name=f.name, type=str(f.type), description=COLUMN_DESCRIPTIONS[f.name])
            for f in ASSET_SCHEMAS[asset]
        ]
    )


def definition_metadata(asset: str) -> dict:
    """Metadata known before any run: the column schema."""
    return {"dagster/column_schema": table_schema(asset)}


def window_starts(context: AssetExecutionContext) -> list[datetime]:
    """Naive-UTC starts of every 10-minute window this run materializes."""
    keys = sorted(context.partition_keys)
    return [
        ten_minute_partitions.time_window_for_partition_key(k).start.replace(tzinfo=None)
        for k in keys
    ]


def markdown_table(df: pd.DataFrame, rows: int = PREVIEW_ROWS) -> MetadataValue:
    """A markdown preview of the first rows, long texts shortened."""
    head = df.head(rows).copy()
    for column in head.columns:
        if head[column].dtype == object:
            head[column] = head[column].astype(str).str.slice(0, 60)
    return MetadataValue.md(head.to_markdown(index=False) if len(head) else "_no rows_")


def frame_metadata(asset: str, df: pd.DataFrame, windows: int) -> dict:
    """Row count and window count; a preview only for one window.

    A range run's metadata is copied onto each of its windows' materializations, where a
    preview of the whole range would be both wrong for the window and N times the bytes.
    """
    metadata: dict = {"dagster/row_count": len(df), "windows": windows}
    if windows == 1:
        metadata["preview"] = markdown_table(df)
    return metadata


def rows_check(
    check_name: str,
    failing: pd.DataFrame,
    checked: int,
    description: str,
    severity: AssetCheckSeverity = AssetCheckSeverity.WARN,
) -> AssetCheckResult:
    """Passes when no row fails the rule; shows the failures otherwise."""
    return AssetCheckResult(
        check_name=check_name,
        passed=failing.empty,
        severity=severity,
        description=description,
        metadata={
            "failing": len(failing),
            "checked": checked,
            "failing_sample": markdown_table(failing, 10),
        },
    )


def stored_windows(lake: ParquetLake, asset: str, starts: list[datetime]) -> pd.DataFrame:
    """The asset's stored rows of those of `starts` that have been written."""
    present = sorted(lake.existing_windows([asset], starts))
    return lake.read_windows([asset], present, ASSET_SCHEMAS[asset]).to_pandas()


def history_windows(
    lake: ParquetLake, asset: str, starts: list[datetime], baseline: int
) -> pd.DataFrame:
    """The asset's stored rows of the `baseline` windows before `starts[0]` (those that exist)."""
    first = starts[0]
    return stored_windows(lake, asset, [first - (i + 1) * WINDOW for i in range(baseline)])
