"""The Parquet lake: one hive-style folder per asset and 10-minute window, replaced atomically."""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

import pyarrow as pa
import pyarrow.parquet as pq

from crypto_assets.storage.journal import (
    ReplaceJournal,
    delete_journal,
    read_journals,
    referenced_backups,
    write_journal,
)
from crypto_assets.storage.lake_stores import LakeStore, LocalStore

PART_FILE = "part-0.parquet"
_FOLDER_FORMAT = "timestamp=%Y-%m-%dT%H:%M:%S.000Z"


class LakePartitionMissingError(LookupError):
    """A window that a downstream asset needs was never written to the lake."""


def window_folder(window_start: datetime) -> str:
    """The hive partition folder name of a window, e.g. `timestamp=2025-10-01T00:10:00.000Z`."""
    return window_start.strftime(_FOLDER_FORMAT)


def encode_parquet(table: pa.Table) -> bytes:
    """The whole Parquet file in memory: an encoding error never reaches the storage."""
    sink = pa.BufferOutputStream()
    pq.write_table(table, sink)
    return sink.getvalue().to_pybytes()


@dataclass(frozen=True)
class LakeFiles:
    """Files just written to the lake: what a warehouse loads, exactly these and nothing else."""

    lake: ParquetLake
    keys: tuple[
        str, ...
    ]  # relative to the lake root, e.g. `mention_counts/timestamp=…/part-0.parquet`

    @property
    def uris(self) -> list[str]:
        """Absolute paths or `s3://` URIs, readable through `self.lake.store.filesystem()`."""
        return [self.lake.store_path(key) for key in self.keys]

    def read(self, schema: pa.Schema) -> pa.Table:
        """The files' rows as one table with `schema`."""
        return self.lake.read_keys(self.keys, schema)


class LakeTransaction:
    """Puts windows with backups of what they replace; `rollback` restores, `commit` forgets.

    With a journal, every backup is taken and the journal stored before the first put, so a
    writer that dies at any later line leaves a journal naming everything it changed.
    """

    def __init__(self, store: LakeStore, journal: ReplaceJournal | None = None) -> None:
        self.store = store
        self.journal = journal
        self._backups: list[tuple[str, str | None]] = []

    def put_all(self, files: Mapping[str, bytes], window_keys: Sequence[str] = ()) -> None:
        """Keep the current objects, journal them, then replace each in one put.

        `window_keys` are all the files of the journalled range, replaced or kept as they are.
        """
        self._backups = [(key, self.store.backup(key)) for key in files]
        if self.journal is not None:
            self.journal = self.journal.with_files(window_keys or list(files), self._backups)
            write_journal(self.store, self.journal)
        for key, data in files.items():
            self.store.put(key, data)

    def rollback(self) -> None:
        """Restore every replaced object, newest first, then drop the journal."""
        while self._backups:
            key, backup = self._backups.pop()
            self.store.restore(key, backup)
        if self.journal is not None:
            delete_journal(self.store, self.journal)

    def commit(self) -> None:
        """Drop the backups and the journal: the new objects are final."""
        while self._backups:
            _, backup = self._backups.pop()
            if backup is not None:
                self.store.discard(backup)
        if self.journal is not None:
            delete_journal(self.store, self.journal)


class ParquetLake:
    """Reads and writes asset windows under a lake root (local folder or `s3://bucket/prefix`)."""

    def __init__(self, root: str, store: LakeStore | None = None) -> None:
        self.root = root.rstrip("/")
        self.store = store if store is not None else LocalStore(root)

    def key(self, asset_path: Sequence[str], window_start: datetime) -> str:
        """A window's file relative to the lake root."""
        return "/".join([*asset_path, window_folder(window_start), PART_FILE])

    def uri(self, asset_path: Sequence[str], window_start: datetime) -> str:
        """The user-facing location of one window's file (a local path or an s3:// URI)."""
        return f"{self.root}/{self.key(asset_path, window_start)}"

    def store_path(self, key: str) -> str:
        """`key` as its store's filesystem names it (an absolute path or `s3://bucket/...`)."""
        return f"{self.store.scheme}{self.store.base}/{key}"

    def begin(self, journal: ReplaceJournal | None = None) -> LakeTransaction:
        """A new write transaction; crash leftovers no journal needs are swept first."""
        self.store.sweep(keep=referenced_backups(read_journals(self.store)))
        return LakeTransaction(self.store, journal)

    def write_window(
        self, asset_path: Sequence[str], window_start: datetime, table: pa.Table
    ) -> str:
        """Replace one window's file on its own (no warehouse); readers see old or new."""
        transaction = self.begin()
        transaction.put_all({self.key(asset_path, window_start): encode_parquet(table)})
        transaction.commit()
        return self.uri(asset_path, window_start)

    def read_keys(self, keys: Sequence[str], schema: pa.Schema) -> pa.Table:
        """One dataset read over a file list (fetched concurrently, not one request at a time)."""
        if not keys:
            return schema.empty_table()
        paths = [self.store_path(k).removeprefix(self.store.scheme) for k in keys]
        return pq.read_table(paths, schema=schema, filesystem=self.store.filesystem())

    def read_windows(
        self, asset_path: Sequence[str], window_starts: Sequence[datetime], schema: pa.Schema
    ) -> pa.Table:
        """The given windows' rows; a window never written raises a clear error."""
        present = self.existing_windows(asset_path, window_starts)
        for start in window_starts:
            if start not in present:
                raise LakePartitionMissingError(
                    f"{'/'.join(asset_path)}: no lake file for window {start:%Y-%m-%d %H:%M} UTC "
                    f"({self.uri(asset_path, start)}); materialize that partition first"
                )
        keys = [self.key(asset_path, start) for start in window_starts]
        return self.read_keys(keys, schema).select(schema.names)

    def existing_windows(
        self, asset_path: Sequence[str], window_starts: Sequence[datetime]
    ) -> set[datetime]:
        """Which of the windows have a file, from one listing of the asset's folder."""
        if not window_starts:
            return set()
        names = {window_folder(s): s for s in window_starts}
        # One listing narrowed to the requested span (a history day lists one day, not years);
        # the prefix is of folder names, character by character, as intended.
        prefix = os.path.commonprefix(list(names))  # noqa: RUF071
        folders = self.store.children("/".join(asset_path), prefix)
        listed = {self.key(asset_path, names[f]): names[f] for f in names.keys() & folders}
        return {listed[key] for key in self.store.complete(list(listed))}

    def exists(self, asset_path: Sequence[str], window_start: datetime) -> bool:
        """Whether a window's file is in the lake."""
        return self.store.exists(self.key(asset_path, window_start))
