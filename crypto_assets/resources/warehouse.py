"""Warehouse resources: where every asset partition lands as a table, loaded from the lake."""

from __future__ import annotations

import pandas as pd
from dagster import ConfigurableResource

from crypto_assets.storage.duckdb_warehouse import DuckDBWarehouse
from crypto_assets.storage.lakehouse import Warehouse


class WarehouseResource(ConfigurableResource):
    """A SQL warehouse holding one table per asset, keyed on `window_start`."""

    def open(self) -> Warehouse:
        """The storage object that replaces windows from lake files."""
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

    def open(self) -> DuckDBWarehouse:
        """The DuckDB file's warehouse."""
        return DuckDBWarehouse(self.path)

    def query(self, sql: str) -> pd.DataFrame:
        """Run a read-only query against the DuckDB file."""
        return self.open().query(sql)

    def describe(self, schema_name: str, table_name: str) -> str:
        """`duckdb:<file>#SCHEMA.table`."""
        return f"duckdb:{self.path}#{schema_name}.{table_name}"
