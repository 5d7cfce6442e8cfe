"""The embedded warehouse: DuckDB tables per asset, each window replaced from the lake's files."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from crypto_assets.datasets import PARTITION_COLUMN
from crypto_assets.storage.lake import LakeFiles
from crypto_assets.storage.warehouse_sql import (
    DUCKDB_TYPES,
    column_ddl,
    column_type,
    missing_fields,
    naive_utc,
    quoted,
)


class DuckDBWarehouse:
    """Writes and reads asset tables in one DuckDB file (one writer process at a time)."""

    def __init__(self, path: str | Path, lock_timeout_s: float = 120.0) -> None:
        self.path = Path(path)
        self.lock_timeout_s = lock_timeout_s

    def _connect(self, read_only: bool) -> tuple[duckdb.DuckDBPyConnection, float]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        began, waited = time.monotonic(), 0.0  # 0.0 exactly when the lock was free at once
        while True:
            try:
                return duckdb.connect(str(self.path), read_only=read_only), waited
            except duckdb.IOException as exc:
                # DuckDB's file lock admits one writer process; runs of other windows wait here.
                # Polled by hand: DuckDB has no blocking open, and the holder may be any process
                # (an analyst's read-only connection too), so a filelock among our own writers
                # would add a second lock without removing this wait.
                if "lock" not in str(exc).lower() or time.monotonic() - began > self.lock_timeout_s:
                    raise
                time.sleep(0.2 + random.random() * 0.5)
                waited = time.monotonic() - began

    @contextmanager
    def connect(self, read_only: bool = False) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection; waits while another process holds the file's write lock."""
        con, _ = self._connect(read_only)
        try:
            yield con
        finally:
            con.close()

    @contextmanager
    def replacing(
        self, schema_name: str, table_name: str, schema: pa.Schema, start: datetime, end: datetime
    ) -> Iterator[DuckDBWindowReplace]:
        """Take the file's write lock, begin, delete [start, end); roll back unless committed."""
        con, waited = self._connect(read_only=False)
        replace = DuckDBWindowReplace(con, schema_name, table_name, waited)
        try:
            con.execute("BEGIN TRANSACTION")
            replace.prepare(schema, start, end)
            yield replace
        except BaseException as exc:
            # After a failed statement or COMMIT (a full disk) DuckDB may have ended the
            # transaction itself: its "cannot rollback" must not replace the real error.
            _quietly(con.execute, "ROLLBACK", cause=exc)
            _quietly(con.close, cause=exc)
            raise
        if not replace.committed:
            con.execute("ROLLBACK")
        con.close()

    def query(self, sql: str, params: list | None = None) -> pd.DataFrame:
        """Run a read-only query and return a DataFrame."""
        with self.connect(read_only=True) as con:
            return con.execute(sql, params or []).df()


def _quietly(call: Callable[..., object], *args: object, cause: BaseException) -> None:
    try:
        call(*args)
    except duckdb.Error as exc:
        cause.add_note(f"then {getattr(call, '__name__', 'cleanup')}{args!r} failed too: {exc}")


class DuckDBWindowReplace:
    """One open transaction on one table: delete a window range, insert from Parquet files."""

    def __init__(
        self, con: duckdb.DuckDBPyConnection, schema_name: str, table_name: str, waited: float
    ) -> None:
        self.con = con
        self.schema_name = schema_name
        self.table_name = table_name
        self.qualified = f"{quoted(schema_name)}.{quoted(table_name)}"
        self.lock_wait_s = waited
        self.committed = False
        self._columns = ""

    def prepare(self, schema: pa.Schema, start: datetime, end: datetime) -> None:
        """Create the table or add new columns, then delete the window range."""
        self.con.execute(f"CREATE SCHEMA IF NOT EXISTS {quoted(self.schema_name)}")
        ddl = column_ddl(schema, DUCKDB_TYPES)
        self.con.execute(f"CREATE TABLE IF NOT EXISTS {self.qualified} ({ddl})")
        existing = self.con.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = ? AND table_name = ?",
            [self.schema_name, self.table_name],
        ).fetchall()
        for field in missing_fields(schema, (row[0] for row in existing)):
            self.con.execute(
                f"ALTER TABLE {self.qualified} "
                f"ADD COLUMN {quoted(field.name)} {column_type(field, DUCKDB_TYPES)}"
            )
        window = quoted(PARTITION_COLUMN)
        self.con.execute(
            f"DELETE FROM {self.qualified} WHERE {window} >= ? AND {window} < ?",
            [naive_utc(start), naive_utc(end)],
        )
        self._columns = ", ".join(quoted(n) for n in schema.names)

    def load(self, files: LakeFiles) -> int:
        """INSERT … SELECT from read_parquet over exactly these files (S3 through s3fs)."""
        if not files.keys:
            return 0
        if files.lake.store.scheme:
            # httpfs cannot be installed offline; the lake's own fsspec filesystem reads S3.
            self.con.register_filesystem(files.lake.store.filesystem())
        paths = "[" + ", ".join("'" + u.replace("'", "''") + "'" for u in files.uris) + "]"
        inserted = self.con.execute(
            f"INSERT INTO {self.qualified} ({self._columns}) "
            f"SELECT {self._columns} FROM read_parquet({paths}, union_by_name = true)"
        ).fetchone()
        return int(inserted[0]) if inserted else 0

    def commit(self) -> None:
        """Commit the transaction."""
        self.con.execute("COMMIT")
        self.committed = True
