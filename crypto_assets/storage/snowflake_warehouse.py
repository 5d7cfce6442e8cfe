"""The cloud warehouse: Snowflake tables per asset, each window replaced in one transaction."""

from __future__ import annotations

import contextlib
import math
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any

import pandas as pd
import pyarrow as pa

from crypto_assets.storage.layout import PARTITION_COLUMN
from crypto_assets.storage.warehouse_sql import (
    SNOWFLAKE_TYPES,
    column_ddl,
    column_type,
    missing_fields,
    naive_utc,
    quoted,
)

if TYPE_CHECKING:
    from snowflake.connector.cursor import SnowflakeCursor

# Set on every session: window bounds and TIMESTAMP_NTZ values are naive UTC.
SESSION_PARAMETERS = {"TIMEZONE": "UTC"}
# Snowflake advises at most 1 MB of SQL text per statement, literals included.
MAX_INSERT_CHARS = 500_000
MAX_INSERT_ROWS = 1_000


def private_key_der(pem: str) -> bytes:
    """An unencrypted PEM private key as the DER bytes the connector's `private_key` takes."""
    from cryptography.hazmat.primitives import serialization

    text = pem.strip()
    if "\\n" in text and "\n" not in text:  # a PEM pasted into a one-line .env value
        text = text.replace("\\n", "\n")
    try:
        key = serialization.load_pem_private_key(text.encode(), password=None)
    except Exception:
        # `from None`: neither this message nor a chained one may carry key material.
        raise ValueError("SNOWFLAKE_PRIVATE_KEY: not an unencrypted PEM private key") from None
    return key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def snowflake_name(name: str) -> str:
    """Tables and columns are upper case, so unquoted SQL (`loading.reddit_posts`) finds them."""
    return name.upper()


class SnowflakeWarehouse:
    """Writes and reads asset tables in one Snowflake database."""

    def __init__(self, connect_kwargs: Mapping[str, Any]) -> None:
        self._connect_kwargs = dict(connect_kwargs)

    def __repr__(self) -> str:
        account, database = (self._connect_kwargs.get(k) for k in ("account", "database"))
        return f"SnowflakeWarehouse(account={account!r}, database={database!r})"

    @contextmanager
    def cursor(self) -> Iterator[SnowflakeCursor]:
        """A cursor on a fresh session with TIMEZONE=UTC, closed afterwards."""
        import snowflake.connector

        params = {**self._connect_kwargs.get("session_parameters", {}), **SESSION_PARAMETERS}
        con = snowflake.connector.connect(**{**self._connect_kwargs, "session_parameters": params})
        try:
            with con.cursor() as cur:
                yield cur
        finally:
            con.close()

    def replace_windows(
        self, schema_name: str, table_name: str, table: pa.Table, start: datetime, end: datetime
    ) -> int:
        """Delete rows in [start, end) and insert `table`, atomically; returns rows inserted."""
        schema, name = snowflake_name(schema_name), snowflake_name(table_name)
        qualified = f"{quoted(schema)}.{quoted(name)}"
        columns = ", ".join(quoted(snowflake_name(n)) for n in table.schema.names)
        placeholders = ", ".join(["%s"] * table.num_columns)
        with self.cursor() as cur:
            # DDL commits any open transaction in Snowflake, so it runs (idempotently) before it.
            self._ensure_table(cur, schema, name, table.schema)
            cur.execute("BEGIN")
            try:
                window = quoted(snowflake_name(PARTITION_COLUMN))
                cur.execute(
                    f"DELETE FROM {qualified} WHERE {window} >= %s::TIMESTAMP_NTZ "
                    f"AND {window} < %s::TIMESTAMP_NTZ",
                    (naive_utc(start), naive_utc(end)),
                )
                for rows in _chunks(_rows(table)):
                    # pyformat: the connector rewrites this into one multi-row INSERT per chunk.
                    cur.executemany(
                        f"INSERT INTO {qualified} ({columns}) VALUES ({placeholders})", rows
                    )
                cur.execute("COMMIT")
            except BaseException:
                # The original error matters; a lost session rolls back on its own anyway.
                with contextlib.suppress(Exception):
                    cur.execute("ROLLBACK")
                raise
        return table.num_rows

    def query(self, sql: str, params: Mapping[str, Any] | tuple | None = None) -> pd.DataFrame:
        """Run a read-only query and return a DataFrame (column names as Snowflake reports them)."""
        with self.cursor() as cur:
            cur.execute(sql, params)
            names = [column.name for column in cur.description]
            return pd.DataFrame.from_records(cur.fetchall(), columns=names)

    @staticmethod
    def _ensure_table(cur: SnowflakeCursor, schema: str, name: str, arrow: pa.Schema) -> None:
        # CREATE SCHEMA IF NOT EXISTS needs the CREATE SCHEMA privilege even when the schema
        # exists, and the runtime role has only USAGE + CREATE TABLE (terraform/); look first.
        cur.execute(
            "SELECT count(*) FROM information_schema.schemata WHERE schema_name = %s", (schema,)
        )
        if not cur.fetchone()[0]:
            cur.execute(f"CREATE SCHEMA IF NOT EXISTS {quoted(schema)}")
        qualified = f"{quoted(schema)}.{quoted(name)}"
        cur.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = %s AND table_name = %s",
            (schema, name),
        )
        existing = [row[0] for row in cur.fetchall()]
        if not existing:
            ddl = column_ddl(arrow, SNOWFLAKE_TYPES, snowflake_name)
            cur.execute(f"CREATE TABLE IF NOT EXISTS {qualified} ({ddl})")
            return
        upper = pa.schema([f.with_name(snowflake_name(f.name)) for f in arrow])
        for field in missing_fields(upper, existing):
            cur.execute(
                f"ALTER TABLE {qualified} ADD COLUMN IF NOT EXISTS "
                f"{quoted(field.name)} {column_type(field, SNOWFLAKE_TYPES)}"
            )


def _rows(table: pa.Table) -> list[tuple]:
    columns = []
    for field, column in zip(table.schema, table.columns, strict=True):
        values = column.to_pylist()
        if pa.types.is_floating(field.type):
            # NaN is pandas' missing value, and `nan` is no SQL literal.
            values = [None if v is not None and math.isnan(v) else v for v in values]
        columns.append(values)
    return list(zip(*columns, strict=True))


def _chunks(rows: list[tuple]) -> Iterator[list[tuple]]:
    chunk: list[tuple] = []
    size = 0
    for row in rows:
        row_size = sum(len(v) if isinstance(v, str) else 32 for v in row) + 4 * len(row)
        if chunk and (size + row_size > MAX_INSERT_CHARS or len(chunk) >= MAX_INSERT_ROWS):
            yield chunk
            chunk, size = [], 0
        chunk.append(row)
        size += row_size
    if chunk:
        yield chunk
