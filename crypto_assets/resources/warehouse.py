"""Warehouse resources: where every asset partition lands as a table."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import pyarrow as pa
from dagster import ConfigurableResource

from crypto_assets.storage.duckdb_warehouse import DuckDBWarehouse


class WarehouseResource(ConfigurableResource):
    """A SQL warehouse holding one table per asset, keyed on `window_start`."""

    def replace_windows(
        self, schema_name: str, table_name: str, table: pa.Table, start: datetime, end: datetime
    ) -> int:
        """Atomically replace the rows of [start, end) with `table`; returns rows written."""
        raise NotImplementedError

    def query(self, sql: str) -> pd.DataFrame:
        """Run a read-only query."""
        raise NotImplementedError

    def describe(self, schema_name: str, table_name: str) -> str:
        """A human-readable name of the table, for metadata."""
        raise NotImplementedError


class DuckDBWarehouseResource(WarehouseResource):
    """The embedded warehouse: a DuckDB file."""

    path: str

    def replace_windows(
        self, schema_name: str, table_name: str, table: pa.Table, start: datetime, end: datetime
    ) -> int:
        """Delete-window + insert in one DuckDB transaction."""
        return DuckDBWarehouse(self.path).replace_windows(
            schema_name, table_name, table, start, end
        )

    def query(self, sql: str) -> pd.DataFrame:
        """Run a read-only query against the DuckDB file."""
        return DuckDBWarehouse(self.path).query(sql)

    def describe(self, schema_name: str, table_name: str) -> str:
        """`duckdb:<file>#SCHEMA.table`."""
        return f"duckdb:{self.path}#{schema_name}.{table_name}"
