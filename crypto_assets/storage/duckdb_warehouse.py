"""The embedded warehouse: DuckDB tables per asset, replaced window by window in one transaction."""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from crypto_assets.storage.layout import PARTITION_COLUMN
from crypto_assets.storage.warehouse_sql import (
    DUCKDB_TYPES,
    column_ddl,
    column_type,
    missing_fields,
    naive_utc,
)


class DuckDBWarehouse:
    """Writes and reads asset tables in one DuckDB file."""

    def __init__(self, path: str | Path, lock_timeout_s: float = 120.0) -> None:
        self.path = Path(path)
        self.lock_timeout_s = lock_timeout_s

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection; waits while another process holds the file's write lock."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        deadline = time.monotonic() + self.lock_timeout_s
        while True:
            try:
                con = duckdb.connect(str(self.path), read_only=read_only)
                break
            except duckdb.IOException as exc:
                # Each Dagster step is its own process; DuckDB allows one writer process at a time.
                if "lock" not in str(exc).lower() or time.monotonic() > deadline:
                    raise
                time.sleep(0.2 + random.random() * 0.5)
        try:
            yield con
        finally:
            con.close()

    def replace_windows(
        self, schema_name: str, table_name: str, table: pa.Table, start: datetime, end: datetime
    ) -> int:
        """Delete rows in [start, end) and insert `table`, atomically; returns rows inserted."""
        qualified = f'"{schema_name}"."{table_name}"'
        columns = ", ".join(f'"{n}"' for n in table.schema.names)
        with self.connect() as con:
            con.execute("BEGIN TRANSACTION")
            try:
                con.execute(f'CREATE SCHEMA IF NOT EXISTS "{schema_name}"')
                ddl = column_ddl(table.schema, DUCKDB_TYPES)
                con.execute(f"CREATE TABLE IF NOT EXISTS {qualified} ({ddl})")
                self._add_new_columns(con, schema_name, table_name, table.schema)
                con.execute(
                    f'DELETE FROM {qualified} WHERE "{PARTITION_COLUMN}" >= ? '
                    f'AND "{PARTITION_COLUMN}" < ?',
                    [naive_utc(start), naive_utc(end)],
                )
                con.register("incoming_rows", table)
                con.execute(
                    f"INSERT INTO {qualified} ({columns}) SELECT {columns} FROM incoming_rows"
                )
                con.unregister("incoming_rows")
                con.execute("COMMIT")
            except BaseException:
                con.execute("ROLLBACK")
                raise
        return table.num_rows

    def query(self, sql: str, params: list | None = None) -> pd.DataFrame:
        """Run a read-only query and return a DataFrame."""
        with self.connect(read_only=True) as con:
            return con.execute(sql, params or []).df()

    @staticmethod
    def _add_new_columns(con, schema_name: str, table_name: str, schema: pa.Schema) -> None:
        existing = con.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = ? AND table_name = ?",
            [schema_name, table_name],
        ).fetchall()
        for field in missing_fields(schema, (row[0] for row in existing)):
            con.execute(
                f'ALTER TABLE "{schema_name}"."{table_name}" '
                f'ADD COLUMN "{field.name}" {column_type(field, DUCKDB_TYPES)}'
            )
