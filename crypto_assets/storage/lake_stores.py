"""Where lake objects live: a local folder or an S3 prefix, each with atomic puts and backups."""

from __future__ import annotations

import contextlib
import os
import time
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

import fsspec

# Temp files and backups live here, outside every asset folder, so that no `asset/*/*` glob
# and no hive reader ever sees them; leftovers of a crashed writer are swept after this age.
STAGING_DIR = "_staging"
STALE_AFTER = timedelta(hours=1)


class LakeStore(Protocol):
    """Byte storage under one base (a folder path or `bucket/prefix`), keyed by relative path."""

    base: str
    scheme: str  # "" for local paths, "s3://" for S3

    def put(self, key: str, data: bytes) -> None:
        """Replace the object at `key` with `data`; readers see the old or the new bytes."""

    def get(self, key: str) -> bytes:
        """The bytes stored at `key` (FileNotFoundError when there are none)."""

    def delete(self, key: str) -> None:
        """Remove the object at `key`, if any."""

    def backup(self, key: str) -> str | None:
        """Keep the current object of `key` under a staging key; None when there is none."""

    def restore(self, key: str, backup: str | None) -> None:
        """Put `key` back as it was when `backup` was taken (absent if backup is None)."""

    def discard(self, backup: str) -> None:
        """Drop a backup that is no longer needed (gone already is fine)."""

    def exists(self, key: str) -> bool:
        """Whether an object is stored at `key`."""

    def children(self, key: str, name_prefix: str = "") -> set[str]:
        """Names directly below folder `key` that start with `prefix` (window folders)."""

    def complete(self, keys: Sequence[str]) -> set[str]:
        """Those of `keys`, found by listing their folders, whose object is fully stored."""

    def sweep(self, keep: frozenset[str] = frozenset()) -> int:
        """Delete staging leftovers older than STALE_AFTER, except the keys in `keep`."""

    def filesystem(self) -> fsspec.AbstractFileSystem:
        """An fsspec filesystem for readers (pyarrow datasets, DuckDB)."""


class LocalStore:
    """A lake in a local folder: temp file + rename (atomic on one filesystem), hard-link backups."""

    scheme = ""

    def __init__(self, base: str) -> None:
        self.base = os.path.abspath(os.path.expanduser(base))

    def _path(self, key: str) -> str:
        return os.path.join(self.base, key)

    def _staging(self, suffix: str) -> str:
        os.makedirs(self._path(STAGING_DIR), exist_ok=True)
        return f"{STAGING_DIR}/{uuid.uuid4().hex}{suffix}"

    def put(self, key: str, data: bytes) -> None:
        """Write beside the lake, fsync, then rename over the target."""
        final = self._path(key)
        tmp = self._path(self._staging(".parquet.tmp"))
        try:
            with open(tmp, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            # The window folder appears only once its file is durable: listing folders lists
            # windows, so a reader must never see the folder while the file is still being written.
            os.makedirs(os.path.dirname(final), exist_ok=True)
            os.replace(tmp, final)
        except BaseException:
            _remove_empty_folder(os.path.dirname(final))
            raise
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.remove(tmp)
        _remove_old_temp_files(os.path.dirname(final))

    def get(self, key: str) -> bytes:
        """The file's bytes."""
        with open(self._path(key), "rb") as handle:
            return handle.read()

    def delete(self, key: str) -> None:
        """Remove the file and its folder once empty."""
        with contextlib.suppress(FileNotFoundError):
            os.remove(self._path(key))
        _remove_empty_folder(os.path.dirname(self._path(key)))

    def backup(self, key: str) -> str | None:
        """A hard link to the current file: the window never disappears while it is replaced."""
        backup = self._staging(".bak")
        try:
            os.link(self._path(key), self._path(backup))
        except FileNotFoundError:
            return None
        return backup

    def restore(self, key: str, backup: str | None) -> None:
        """Rename the backup over the key, or remove the key if it did not exist before."""
        if backup is None:
            self.delete(key)
            return
        try:
            os.replace(self._path(backup), self._path(key))
        except FileNotFoundError:
            # Restored already (a recovery that died half-way is run again): nothing to move.
            if not os.path.isfile(self._path(key)):
                raise

    def discard(self, backup: str) -> None:
        """Remove a backup link."""
        with contextlib.suppress(FileNotFoundError):
            os.remove(self._path(backup))

    def exists(self, key: str) -> bool:
        """Whether the file exists."""
        return os.path.isfile(self._path(key))

    def children(self, key: str, name_prefix: str = "") -> set[str]:
        """Entries of a folder starting with `name_prefix` (empty when it does not exist)."""
        try:
            names = os.listdir(self._path(key))
            return {name for name in names if name.startswith(name_prefix)}
        except FileNotFoundError:
            return set()

    def complete(self, keys: Sequence[str]) -> set[str]:
        """The keys whose file exists: a folder can be listed in the instant between its
        creation and the rename of its file into it, or after a rolled-back first write."""
        return {key for key in keys if os.path.isfile(self._path(key))}

    def sweep(self, keep: frozenset[str] = frozenset()) -> int:
        """Delete temp files and backups older than STALE_AFTER from the staging folder."""
        kept = {self._path(k) for k in keep}
        return _remove_old_temp_files(self._path(STAGING_DIR), prefix="", keep=kept)

    def filesystem(self) -> fsspec.AbstractFileSystem:
        """fsspec's local filesystem."""
        return fsspec.filesystem("file")


def _remove_empty_folder(folder: str) -> None:
    # Window folders exist only while they hold their file: listing folders lists windows.
    with contextlib.suppress(OSError):
        os.rmdir(folder)


def _remove_old_temp_files(
    folder: str, prefix: str = ".", keep: set[str] | frozenset[str] = frozenset()
) -> int:
    # Also removes `.part-0.parquet.<uuid>.tmp` files that older versions left inside window folders.
    cutoff = time.time() - STALE_AFTER.total_seconds()
    removed = 0
    with contextlib.suppress(FileNotFoundError), os.scandir(folder) as entries:
        for entry in entries:
            name = entry.name
            stale = entry.is_file() and entry.stat().st_mtime < cutoff
            ours = name.startswith(prefix) and name.endswith((".tmp", ".bak"))
            if stale and ours and entry.path not in keep:
                os.remove(entry.path)
                removed += 1
    return removed


class S3Store:
    """A lake under `s3://bucket/prefix`: one PUT per object (it appears only when complete)."""

    scheme = "s3://"

    def __init__(self, base: str, client: Any, fs: fsspec.AbstractFileSystem) -> None:
        self.base = base.strip("/")
        self.bucket, _, self.prefix = self.base.partition("/")
        self._client = client
        self._fs = fs

    def _key(self, key: str) -> str:
        return f"{self.prefix}/{key}" if self.prefix else key

    def put(self, key: str, data: bytes) -> None:
        """One put_object with the whole encoded file."""
        self._client.put_object(Bucket=self.bucket, Key=self._key(key), Body=data)

    def get(self, key: str) -> bytes:
        """GET the object's bytes."""
        try:
            response = self._client.get_object(Bucket=self.bucket, Key=self._key(key))
        except self._client.exceptions.NoSuchKey:
            raise FileNotFoundError(f"s3://{self.bucket}/{self._key(key)}") from None
        return response["Body"].read()

    def delete(self, key: str) -> None:
        """DELETE the object (S3 answers the same for a missing one)."""
        self._client.delete_object(Bucket=self.bucket, Key=self._key(key))

    def backup(self, key: str) -> str | None:
        """A server-side copy of the current object under the staging prefix."""
        if not self.exists(key):
            return None
        backup = f"{STAGING_DIR}/{uuid.uuid4().hex}.bak"
        source = {"Bucket": self.bucket, "Key": self._key(key)}
        self._client.copy_object(Bucket=self.bucket, Key=self._key(backup), CopySource=source)
        return backup

    def restore(self, key: str, backup: str | None) -> None:
        """Copy the backup back over the key, or delete the key if it did not exist before."""
        if backup is None:
            self.delete(key)
            return
        if self.exists(backup):  # absent: restored already by a recovery that died half-way
            source = {"Bucket": self.bucket, "Key": self._key(backup)}
            self._client.copy_object(Bucket=self.bucket, Key=self._key(key), CopySource=source)
        self.discard(backup)

    def discard(self, backup: str) -> None:
        """Delete a backup object."""
        self.delete(backup)

    def exists(self, key: str) -> bool:
        """HEAD the object."""
        try:
            self._client.head_object(Bucket=self.bucket, Key=self._key(key))
        except self._client.exceptions.ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True

    def children(self, key: str, name_prefix: str = "") -> set[str]:
        """Common prefixes directly below `key` starting with `name_prefix` (a LIST per 1,000)."""
        paginator = self._client.get_paginator("list_objects_v2")
        names: set[str] = set()
        prefix = self._key(key).rstrip("/") + "/"
        listed = prefix + name_prefix
        for page in paginator.paginate(Bucket=self.bucket, Prefix=listed, Delimiter="/"):
            for common in page.get("CommonPrefixes", []):
                names.add(common["Prefix"][len(prefix) :].rstrip("/"))
            for obj in page.get("Contents", []):
                names.add(obj["Key"][len(prefix) :])
        return names

    def complete(self, keys: Sequence[str]) -> set[str]:
        """All of them: an S3 object appears only whole, with the prefix that lists it."""
        return set(keys)

    def sweep(self, keep: frozenset[str] = frozenset()) -> int:
        """Delete staging objects (temp files, backups) older than STALE_AFTER."""
        cutoff = datetime.now(UTC) - STALE_AFTER
        paginator = self._client.get_paginator("list_objects_v2")
        staging = self._key(STAGING_DIR + "/")
        removed = 0
        for page in paginator.paginate(Bucket=self.bucket, Prefix=staging, Delimiter="/"):
            for obj in page.get("Contents", []):
                relative = STAGING_DIR + "/" + obj["Key"][len(staging) :]
                if obj["LastModified"] < cutoff and relative not in keep:
                    self.delete(relative)
                    removed += 1
        return removed

    def filesystem(self) -> fsspec.AbstractFileSystem:
        """The s3fs filesystem this store reads with."""
        return self._fs
