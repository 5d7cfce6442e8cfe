"""Warehouse resources: where every asset partition lands as a table."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import pyarrow as pa
from dagster import ConfigurableResource
from pydantic import Field

from crypto_assets.storage.duckdb_warehouse import DuckDBWarehouse
from crypto_assets.storage.snowflake_warehouse import (
    SnowflakeWarehouse,
    private_key_der,
    snowflake_name,
)


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


class SnowflakeWarehouseResource(WarehouseResource):
    """The cloud warehouse: one Snowflake database, key-pair (or password) authentication."""

    account: str
    user: str
    database: str
    role: str | None = None
    warehouse: str | None = None
    private_key: str | None = Field(default=None, description="PEM text; wins over password")
    password: str | None = None
    host: str | None = Field(default=None, description="Overrides <account>.snowflakecomputing.com")
    port: int | None = None
    protocol: str | None = None

    def _warehouse(self) -> SnowflakeWarehouse:
        kwargs: dict[str, object] = {"account": self.account, "user": self.user}
        for name in ("database", "role", "warehouse", "host", "port", "protocol"):
            if getattr(self, name) is not None:
                kwargs[name] = getattr(self, name)
        if self.private_key:
            kwargs["private_key"] = private_key_der(self.private_key)
        elif self.password:
            kwargs["password"] = self.password
        else:
            raise ValueError("Snowflake: set SNOWFLAKE_PRIVATE_KEY or SNOWFLAKE_PASSWORD")
        return SnowflakeWarehouse(kwargs)

    def replace_windows(
        self, schema_name: str, table_name: str, table: pa.Table, start: datetime, end: datetime
    ) -> int:
        """Delete-window + insert in one Snowflake transaction."""
        return self._warehouse().replace_windows(schema_name, table_name, table, start, end)

    def query(self, sql: str) -> pd.DataFrame:
        """Run a read-only query in the database."""
        return self._warehouse().query(sql)

    def describe(self, schema_name: str, table_name: str) -> str:
        """`snowflake:DATABASE.SCHEMA.TABLE`."""
        table = ".".join(snowflake_name(n) for n in (schema_name, table_name))
        return f"snowflake:{self.database.upper()}.{table}"
