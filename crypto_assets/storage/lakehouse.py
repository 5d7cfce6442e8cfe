"""Lake first, warehouse from the lake's files, in one transaction: the two stores never disagree."""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

import pyarrow as pa
import pyarrow.compute as pc

from crypto_assets.storage.lake import LakeFiles, ParquetLake
from crypto_assets.storage.layout import PARTITION_COLUMN, WAREHOUSE_SCHEMAS


class WindowReplace(Protocol):
    """An open warehouse transaction that has deleted [start, end) and holds the table's lock."""

    lock_wait_s: float

    def load(self, files: LakeFiles) -> int:
        """Insert exactly the rows of `files`; returns rows loaded."""

    def commit(self) -> None:
        """Make the replacement visible."""


class Warehouse(Protocol):
    """A SQL warehouse with one table per asset, keyed on `window_start`."""

    def replacing(
        self, schema_name: str, table_name: str, schema: pa.Schema, start: datetime, end: datetime
    ) -> AbstractContextManager[WindowReplace]:
        """Lock the table, begin, delete [start, end); roll back on exit unless committed."""


class NonContiguousWindowsError(ValueError):
    """A run's windows have a gap: one delete over [first, last) would wipe windows it skips."""


@dataclass(frozen=True)
class WrittenWindows:
    """What one replacement wrote: the lake files (one per window) and the warehouse's rows."""

    files: LakeFiles
    rows: int
    lock_wait_s: float


def require_contiguous(starts: Sequence[datetime], length: timedelta) -> None:
    """Fail unless `starts` are sorted, distinct and each `length` after the previous one."""
    for before, after in itertools.pairwise(starts):
        if after - before != length:
            raise NonContiguousWindowsError(
                f"windows must be contiguous: {before:%Y-%m-%d %H:%M} is followed by "
                f"{after:%Y-%m-%d %H:%M}; run each contiguous range on its own"
            )


def replace_windows(
    lake: ParquetLake,
    warehouse: Warehouse,
    asset: str,
    table: pa.Table,
    starts: Sequence[datetime],
    length: timedelta,
) -> WrittenWindows:
    """Replace the windows `starts` of `asset` in the lake and then the warehouse, atomically.

    The warehouse lock is taken first, so two writers of one table never interleave; every
    window's file is encoded in memory and put in one piece; the warehouse loads exactly those
    files in the transaction that deleted the windows. Any failure restores the previous
    lake files while the lock is still held, and the warehouse rolls back.
    """
    require_contiguous(starts, length)
    _require_rows_inside(asset, table, starts)
    transaction = lake.begin()
    schema_name = WAREHOUSE_SCHEMAS[asset]
    with warehouse.replacing(
        schema_name, asset, table.schema, starts[0], starts[-1] + length
    ) as replace:
        try:
            keys = []
            for start in starts:
                key = lake.key([asset], start)
                transaction.put(key, _window_rows(table, start))
                keys.append(key)
            files = LakeFiles(lake, tuple(keys))
            rows = replace.load(files)
            replace.commit()
        except BaseException:
            transaction.rollback()
            raise
    transaction.commit()
    return WrittenWindows(files=files, rows=rows, lock_wait_s=replace.lock_wait_s)


def _window_rows(table: pa.Table, start: datetime) -> pa.Table:
    scalar = pa.scalar(start, type=table.schema.field(PARTITION_COLUMN).type)
    return table.filter(pc.equal(table[PARTITION_COLUMN], scalar))


def _require_rows_inside(asset: str, table: pa.Table, starts: Sequence[datetime]) -> None:
    found = {v.as_py() for v in pc.unique(table[PARTITION_COLUMN])}
    stray = sorted(found - set(starts))
    if stray:
        raise ValueError(f"{asset}: rows for windows outside this run: {stray[:3]}")
