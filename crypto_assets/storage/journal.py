"""Replace journals: what a lake + warehouse replacement is changing, kept beside its backups.

A writer journals a replacement after taking the warehouse table's lock and keeping backups of
the windows' current files, and before it puts any new file. The journal goes when the
replacement is committed or rolled back. A journal still present when the table's lock is
free again was left by a writer that died (kill -9, out of memory, a lost container) between
its first put and its end; `lakehouse.finish_unfinished` then finishes it from the lake.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pyarrow as pa

from crypto_assets.storage.lake_stores import STAGING_DIR, LakeStore

JOURNAL_DIR = f"{STAGING_DIR}/journal"


def _owner() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass(frozen=True)
class ReplaceJournal:
    """One replacement of windows [start, end) of a warehouse table and their lake files."""

    schema_name: str
    table_name: str
    schema: pa.Schema
    start: datetime
    end: datetime
    keys: tuple[str, ...] = ()  # every window file of [start, end): the warehouse loads these
    replaced: tuple[tuple[str, str | None], ...] = ()  # (key put, its backup's key or None)
    txid: str = field(default_factory=lambda: uuid.uuid4().hex)
    created_at: datetime = field(default_factory=lambda: datetime.now(UTC))
    owner: str = field(default_factory=_owner)  # host:pid, for the repair log

    @property
    def key(self) -> str:
        """Where the journal is stored in the lake."""
        return f"{JOURNAL_DIR}/{self.txid}.json"

    def with_files(
        self, keys: Sequence[str], replaced: Sequence[tuple[str, str | None]]
    ) -> ReplaceJournal:
        """This journal naming the range's files, and those it replaces with their backups."""
        return ReplaceJournal(
            self.schema_name,
            self.table_name,
            self.schema,
            self.start,
            self.end,
            tuple(keys),
            tuple(replaced),
            self.txid,
            self.created_at,
            self.owner,
        )

    def to_bytes(self) -> bytes:
        """JSON, the arrow schema as base64 IPC (recovery recreates a table that never existed)."""
        return json.dumps(
            {
                "txid": self.txid,
                "schema_name": self.schema_name,
                "table_name": self.table_name,
                "schema": base64.b64encode(self.schema.serialize().to_pybytes()).decode(),
                "start": self.start.isoformat(),
                "end": self.end.isoformat(),
                "keys": list(self.keys),
                "replaced": [list(pair) for pair in self.replaced],
                "created_at": self.created_at.isoformat(),
                "owner": self.owner,
            }
        ).encode()

    @classmethod
    def from_bytes(cls, data: bytes) -> ReplaceJournal:
        """Parse a stored journal."""
        raw = json.loads(data)
        schema = pa.ipc.read_schema(pa.py_buffer(base64.b64decode(raw["schema"])))
        return cls(
            raw["schema_name"],
            raw["table_name"],
            schema,
            datetime.fromisoformat(raw["start"]),
            datetime.fromisoformat(raw["end"]),
            tuple(raw["keys"]),
            tuple((key, backup) for key, backup in raw["replaced"]),
            raw["txid"],
            datetime.fromisoformat(raw["created_at"]),
            raw["owner"],
        )


def write_journal(store: LakeStore, journal: ReplaceJournal) -> None:
    """Store the journal (one atomic put)."""
    store.put(journal.key, journal.to_bytes())


def delete_journal(store: LakeStore, journal: ReplaceJournal) -> None:
    """Remove the journal: its replacement is resolved."""
    store.delete(journal.key)


def read_journals(store: LakeStore) -> list[ReplaceJournal]:
    """Every stored journal, oldest first; one that vanished meanwhile is skipped."""
    journals = []
    for name in sorted(store.children(JOURNAL_DIR)):
        if not name.endswith(".json"):
            continue
        try:
            journals.append(ReplaceJournal.from_bytes(store.get(f"{JOURNAL_DIR}/{name}")))
        except FileNotFoundError:
            continue  # resolved by its writer between the listing and the read
    return sorted(journals, key=lambda j: j.created_at)


def referenced_backups(journals: Sequence[ReplaceJournal]) -> frozenset[str]:
    """Backups an unresolved replacement may still need: the sweep keeps them."""
    return frozenset(b for j in journals for _, b in j.replaced if b is not None)
