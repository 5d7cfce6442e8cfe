"""The cloud warehouse: Snowflake tables per asset, each window range replaced by COPY from the lake."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from datetime import datetime
from typing import TYPE_CHECKING, Any

import pandas as pd
import pyarrow as pa

from crypto_assets.datasets import PARTITION_COLUMN
from crypto_assets.storage.lake import LakeFiles
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

# COPY's FILES list takes at most 1,000 names; longer runs are loaded in several statements.
MAX_COPY_FILES = 1_000
_PART = r'(?:"[^"]+"|[A-Za-z_][A-Za-z0-9_$]*)'
_STAGE_NAME = re.compile(rf"{_PART}(?:\.{_PART}){{0,2}}")
_PLAIN_NAME = re.compile(r"[A-Z_][A-Z0-9_$]*")
# USE_LOGICAL_TYPE: naive Parquet timestamps have no legacy converted type. FORCE: lake files are
# rewritten under the same names, and load metadata would skip an unchanged one after the DELETE.
_COPY_OPTIONS = (
    "FILE_FORMAT = (TYPE = PARQUET USE_LOGICAL_TYPE = TRUE) "
    "MATCH_BY_COLUMN_NAME = CASE_INSENSITIVE ON_ERROR = ABORT_STATEMENT FORCE = TRUE"
)

Connect = Callable[[], AbstractContextManager[Any]]  # e.g. SnowflakeResource.get_connection


def snowflake_name(name: str) -> str:
    """Tables and columns are upper case, so unquoted SQL (`loading.reddit_posts`) finds them."""
    return name.upper()


class SnowflakeWarehouse:
    """Writes and reads asset tables in one Snowflake database, one session per operation."""

    def __init__(self, connect: Connect, lake_stage: str | None = None) -> None:
        if lake_stage is not None and not _STAGE_NAME.fullmatch(lake_stage):
            raise ValueError(f"SNOWFLAKE_LAKE_STAGE: expected DB.SCHEMA.STAGE, got {lake_stage!r}")
        self._connect = connect
        self.lake_stage = lake_stage

    def __repr__(self) -> str:
        # Not the connect callable: a bound SnowflakeResource method would print its secrets.
        return f"SnowflakeWarehouse(lake_stage={self.lake_stage!r})"

    @contextmanager
    def session(self) -> Iterator[SnowflakeCursor]:
        """A cursor on a new session, closed afterwards."""
        with self._connect() as con:
            try:
                with con.cursor() as cur:
                    yield cur
            except BaseException:
                # SnowflakeResource.get_connection closes only after a block that succeeded.
                con.close()
                raise

    @contextmanager
    def replacing(
        self, schema_name: str, table_name: str, schema: pa.Schema, start: datetime, end: datetime
    ) -> Iterator[SnowflakeWindowReplace]:
        """Create or widen the table, begin, delete [start, end); roll back unless committed."""
        table = f"{quoted(snowflake_name(schema_name))}.{quoted(snowflake_name(table_name))}"
        window = quoted(snowflake_name(PARTITION_COLUMN))
        with self.session() as cur:
            _ensure_table(cur, table, schema)  # DDL commits an open transaction: before BEGIN
            cur.execute("BEGIN")
            replace = None
            try:
                began = time.monotonic()
                # The DELETE takes the table's lock: another writer of this table waits here.
                cur.execute(
                    f"DELETE FROM {table} WHERE {window} >= %s::TIMESTAMP_NTZ "
                    f"AND {window} < %s::TIMESTAMP_NTZ",
                    (naive_utc(start), naive_utc(end)),
                )
                replace = SnowflakeWindowReplace(cur, schema_name, table_name, self.lake_stage)
                replace.lock_wait_s = time.monotonic() - began
                yield replace
            finally:
                if replace is None or not replace.committed:
                    # Snowflake keeps a transaction open after a failed statement, so a later
                    # COMMIT would keep the DELETE; the original error matters more than ours.
                    with contextlib.suppress(Exception):
                        cur.execute("ROLLBACK")
                    if replace is not None:
                        replace.discard_uploads()

    def query(self, sql: str, params: Any = None) -> pd.DataFrame:
        """Run a read-only query and return a DataFrame (column names as Snowflake reports them)."""
        with self.session() as cur:
            cur.execute(sql, params)
            names = [column.name for column in cur.description]
            return pd.DataFrame.from_records(cur.fetchall(), columns=names)


class SnowflakeWindowReplace:
    """One open transaction on one table: its window range deleted, lake files COPYed in."""

    def __init__(
        self, cur: SnowflakeCursor, schema_name: str, table_name: str, lake_stage: str | None
    ) -> None:
        self.cur = cur
        self.schema_name, self.table_name = snowflake_name(schema_name), snowflake_name(table_name)
        self.table = f"{quoted(self.schema_name)}.{quoted(self.table_name)}"
        self.lake_stage = lake_stage
        self.lock_wait_s = 0.0
        self.committed = False
        self._uploaded: str | None = None

    def load(self, files: LakeFiles) -> int:
        """COPY exactly `files`: named on the lake's stage, or PUT to the table's stage first."""
        if not files.keys:
            return 0
        if self.lake_stage:
            return sum(
                self._copy(f"@{self.lake_stage}", files.keys[i : i + MAX_COPY_FILES])
                for i in range(0, len(files.keys), MAX_COPY_FILES)
            )
        return self._copy(self._upload(files), (), "PURGE = TRUE")  # the lake keeps originals

    def commit(self) -> None:
        """Commit the transaction."""
        self.cur.execute("COMMIT")
        self.committed = True

    def discard_uploads(self) -> None:
        """Best effort: remove files PUT for a load that was rolled back."""
        if self._uploaded:
            with contextlib.suppress(Exception):
                self.cur.execute(f"REMOVE {self._uploaded}")

    def _copy(self, location: str, names: Sequence[str], extra: str = "") -> int:
        files = f" FILES = ({', '.join(_string(n) for n in names)})" if names else ""
        self.cur.execute(f"COPY INTO {self.table} FROM {location}{files} {_COPY_OPTIONS} {extra}")
        return _rows_loaded(self.cur)

    def _upload(self, files: LakeFiles) -> str:
        # The table's own stage needs only table ownership (no CREATE STAGE); a fresh folder.
        if not (_PLAIN_NAME.fullmatch(self.schema_name) and _PLAIN_NAME.fullmatch(self.table_name)):
            raise ValueError(f"{self.table}: table stages need plain upper-case names")
        location = f"@{self.schema_name}.%{self.table_name}/{uuid.uuid4().hex}/"
        with tempfile.TemporaryDirectory(prefix="snowflake_put_") as folder:
            # Every window's file is part-0.parquet: numbered copies, one parallel PUT.
            local = [os.path.join(folder, f"{i:05d}.parquet") for i in range(len(files.keys))]
            files.lake.store.filesystem().get(files.uris, local)
            self._uploaded = location
            self.cur.execute(
                f"PUT {_string('file://' + folder + '/*.parquet')} {location} AUTO_COMPRESS = FALSE"
            )
        return location


def _ensure_table(cur: SnowflakeCursor, table: str, arrow: pa.Schema) -> None:
    # Two metadata statements; the runtime role may CREATE TABLE, never CREATE SCHEMA.
    cur.execute(
        f"CREATE TABLE IF NOT EXISTS {table} ({column_ddl(arrow, SNOWFLAKE_TYPES, snowflake_name)})"
    )
    existing = [row[0] for row in cur.execute(f"DESCRIBE TABLE {table}").fetchall()]
    upper = pa.schema([f.with_name(snowflake_name(f.name)) for f in arrow])
    for field in missing_fields(upper, existing):
        cur.execute(
            f"ALTER TABLE {table} ADD COLUMN IF NOT EXISTS "
            f"{quoted(field.name)} {column_type(field, SNOWFLAKE_TYPES)}"
        )


def _rows_loaded(cur: SnowflakeCursor) -> int:
    names = [column.name.lower() for column in cur.description]
    rows = cur.fetchall()
    if "rows_loaded" not in names:  # "Copy executed with 0 files processed."
        return 0
    status, loaded = names.index("status"), names.index("rows_loaded")
    failed = [row for row in rows if str(row[status]).upper() != "LOADED"]
    if failed:
        raise RuntimeError(f"COPY did not load {failed[0][0]}: {failed[0][status]}")
    return sum(int(row[loaded]) for row in rows)


def _string(text: str) -> str:
    """A single-quoted SQL string (file names and paths, never data)."""
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"
