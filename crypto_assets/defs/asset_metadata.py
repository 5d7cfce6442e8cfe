"""Metadata every asset shows: its column schema, previews, row counts and row-rule checks."""

from __future__ import annotations

import pandas as pd
from dagster import (
    AssetCheckResult,
    AssetCheckSeverity,
    MetadataValue,
    TableColumn,
    TableSchema,
)

from crypto_assets.datasets import DATASETS

PREVIEW_ROWS = 10


def table_schema(asset: str) -> TableSchema:
    """The asset's columns as Dagster table-schema metadata."""
    dataset = DATASETS[asset]
    docs = dataset.column_docs()
    return TableSchema(
        columns=[
            TableColumn(name=f.name, type=str(f.type), description=docs[f.name])
            for f in dataset.schema
        ]
    )


def definition_metadata(asset: str) -> dict:
    """Metadata known before any run: the column schema."""
    return {"dagster/column_schema": table_schema(asset)}


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
