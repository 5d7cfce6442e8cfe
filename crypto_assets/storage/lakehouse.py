"""Lake first, warehouse from the lake's files, in one transaction: the two stores never disagree."""

from __future__ import annotations

import itertools
import logging
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Protocol

import pyarrow as pa
import pyarrow.compute as pc

from crypto_assets.datasets import PARTITION_COLUMN, WAREHOUSE_SCHEMAS
from crypto_assets.storage.journal import ReplaceJournal, delete_journal, read_journals
from crypto_assets.storage.lake import LakeFiles, LakeTransaction, ParquetLake, encode_parquet

logger = logging.getLogger(__name__)
# How a write combines the windows' stored rows (first) with the new rows (second).
Merge = Callable[[pa.Table, pa.Table], pa.Table]


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
class Repair:
    """An unfinished replacement of a dead writer, finished from the lake."""

    journal: ReplaceJournal
    files: int
    rows: int

    def describe(self) -> str:
        """One line for the log and the run's metadata."""
        j = self.journal
        return (
            f"finished an unfinished replace of {j.schema_name}.{j.table_name} "
            f"[{j.start:%Y-%m-%d %H:%M}, {j.end:%Y-%m-%d %H:%M}) left by {j.owner} at "
            f"{j.created_at:%Y-%m-%d %H:%M:%S} UTC: {self.files} lake files, {self.rows} rows "
            "reloaded into the warehouse"
        )


@dataclass(frozen=True)
class WrittenWindows:
    """What one replacement wrote: the lake files (one per window) and the warehouse's rows."""

    files: LakeFiles
    rows: int
    lock_wait_s: float
    repairs: list[Repair] = field(default_factory=list)


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
    merge: Merge | None = None,
) -> WrittenWindows:
    """Replace the windows `starts` of `asset` in the lake and then the warehouse, atomically.

    Unfinished replacements of the table left by dead writers are finished first. The
    warehouse lock is then taken, so two writers of one table never interleave; with `merge`,
    the windows' stored rows are combined with `table` under that lock (a re-read only adds);
    every window's file is encoded in memory, journalled with backups, and put in one piece;
    the warehouse loads exactly those files in the transaction that deleted the windows. Any
    failure restores the previous lake files while the lock is still held, and the warehouse
    rolls back; the error that caused it is the one raised.
    """
    require_contiguous(starts, length)
    _require_rows_inside(asset, table, starts)
    schema_name = WAREHOUSE_SCHEMAS[asset]
    repairs = finish_unfinished(lake, warehouse, table_name=asset)
    start, end = starts[0], starts[-1] + length
    with warehouse.replacing(schema_name, asset, table.schema, start, end) as replace:
        keys = {s: lake.key([asset], s) for s in starts}
        unchanged: set[datetime] = set()
        if merge is not None:
            present = sorted(lake.existing_windows([asset], starts))
            stored = lake.read_windows([asset], present, table.schema)
            table = merge(stored, table)
            _require_rows_inside(asset, table, starts)
            # A window the merge leaves as stored is not rewritten (kept byte for byte).
            unchanged = {
                s for s in present if _window_rows(table, s).equals(_window_rows(stored, s))
            }
        files = {
            keys[s]: encode_parquet(_window_rows(table, s)) for s in starts if s not in unchanged
        }
        transaction = lake.begin(ReplaceJournal(schema_name, asset, table.schema, start, end))
        try:
            transaction.put_all(files, window_keys=list(keys.values()))
            lake_files = LakeFiles(lake, tuple(keys.values()))
            rows = replace.load(lake_files)
            replace.commit()
        except BaseException as exc:
            _undo_quietly(transaction, exc)
            raise
    transaction.commit()
    return WrittenWindows(
        files=lake_files, rows=rows, lock_wait_s=replace.lock_wait_s, repairs=repairs
    )


def finish_unfinished(
    lake: ParquetLake, warehouse: Warehouse, table_name: str | None = None
) -> list[Repair]:
    """Finish the replacements dead writers left (of one table, or all): lake = warehouse.

    Each journalled window range is reloaded into the warehouse from the lake's files as they
    are (new where the writer put them, old where it had not), under the table's lock, then
    the journal and its backups go. A live writer holds that lock until its warehouse commit,
    so a journal seen with the lock taken belongs to a writer that died, or to one that has
    committed both stores and is about to drop it: reloading the same files is then harmless.
    """
    repairs = []
    for journal in read_journals(lake.store):
        if table_name is not None and journal.table_name != table_name:
            continue
        with warehouse.replacing(
            journal.schema_name, journal.table_name, journal.schema, journal.start, journal.end
        ) as replace:
            present = tuple(k for k in journal.keys if lake.store.exists(k))
            rows = replace.load(LakeFiles(lake, present))
            replace.commit()
        for _, backup in journal.replaced:
            if backup is not None:
                lake.store.discard(backup)
        delete_journal(lake.store, journal)
        repairs.append(Repair(journal, files=len(present), rows=rows))
        logger.warning("lakehouse: %s", repairs[-1].describe())
    return repairs


def _undo_quietly(transaction: LakeTransaction, cause: BaseException) -> None:
    # A failed restore must not hide why the write failed; the journal stays for recovery.
    try:
        transaction.rollback()
    except Exception as exc:
        cause.add_note(f"restoring the previous lake files also failed: {exc!r}")
        logger.error("lakehouse: restoring lake files failed: %r", exc)


def _window_rows(table: pa.Table, start: datetime) -> pa.Table:
    scalar = pa.scalar(start, type=table.schema.field(PARTITION_COLUMN).type)
    return table.filter(pc.equal(table[PARTITION_COLUMN], scalar))


def _require_rows_inside(asset: str, table: pa.Table, starts: Sequence[datetime]) -> None:
    found = {v.as_py() for v in pc.unique(table[PARTITION_COLUMN])}
    stray = sorted(found - set(starts))
    if stray:
        raise ValueError(f"{asset}: rows for windows outside this run: {stray[:3]}")
