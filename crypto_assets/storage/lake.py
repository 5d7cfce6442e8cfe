"""The Parquet lake: one hive-style folder per asset and 10-minute window, written atomically."""

from __future__ import annotations

import os
import uuid
from collections.abc import Sequence
from datetime import datetime
from urllib.parse import urlparse

import pyarrow as pa
import pyarrow.fs as pafs
import pyarrow.parquet as pq

PART_FILE = "part-0.parquet"


class LakePartitionMissingError(LookupError):
    """A window that a downstream asset needs was never written to the lake."""


def window_folder(window_start: datetime) -> str:
    """The hive partition folder name of a window, e.g. `timestamp=2025-10-01T00:10:00.000Z`."""
    return f"timestamp={window_start:%Y-%m-%dT%H:%M:%S}.000Z"


def filesystem_for(root: str, endpoint_url: str | None = None) -> tuple[pafs.FileSystem, str]:
    """A pyarrow filesystem and the base path inside it for a local folder or `s3://bucket/prefix`."""
    if root.startswith("s3://"):
        parsed = urlparse(root)
        kwargs: dict[str, object] = {
            "region": os.environ.get("AWS_REGION")
            or os.environ.get("AWS_DEFAULT_REGION")
            or "us-east-1"
        }
        if endpoint_url:
            endpoint = urlparse(endpoint_url)
            kwargs |= {"endpoint_override": endpoint.netloc, "scheme": endpoint.scheme or "https"}
        return pafs.S3FileSystem(**kwargs), f"{parsed.netloc}{parsed.path}".rstrip("/")
    path = os.path.abspath(os.path.expanduser(root))
    return pafs.LocalFileSystem(), path


class ParquetLake:
    """Reads and writes asset windows under a lake root (local folder or S3 prefix)."""

    def __init__(self, root: str, endpoint_url: str | None = None) -> None:
        self.root = root.rstrip("/")
        self._fs, self._base = filesystem_for(root, endpoint_url)
        self._local = isinstance(self._fs, pafs.LocalFileSystem)

    def uri(self, asset_path: Sequence[str], window_start: datetime) -> str:
        """The user-facing location of one window's file (a local path or an s3:// URI)."""
        return "/".join([self.root, *asset_path, window_folder(window_start), PART_FILE])

    def _path(self, asset_path: Sequence[str], window_start: datetime) -> str:
        return "/".join([self._base, *asset_path, window_folder(window_start), PART_FILE])

    def write_window(
        self, asset_path: Sequence[str], window_start: datetime, table: pa.Table
    ) -> str:
        """Replace one window's file; readers see the old file or the new one, never a part."""
        final = self._path(asset_path, window_start)
        folder = final.rsplit("/", 1)[0]
        if self._local:
            self._fs.create_dir(folder, recursive=True)
            # Write beside the target, then rename over it: rename is atomic on one filesystem.
            tmp = f"{folder}/.{PART_FILE}.{uuid.uuid4().hex}.tmp"
            try:
                pq.write_table(table, tmp, filesystem=self._fs)
                self._fs.move(tmp, final)
            finally:
                if self._fs.get_file_info(tmp).type != pafs.FileType.NotFound:
                    self._fs.delete_file(tmp)
        else:
            # An S3 object appears only when its upload completes; a failed upload leaves the old one.
            pq.write_table(table, final, filesystem=self._fs)
        return self.uri(asset_path, window_start)

    def read_windows(
        self, asset_path: Sequence[str], window_starts: Sequence[datetime], schema: pa.Schema
    ) -> pa.Table:
        """Concatenate the given windows' files; a window never written raises a clear error."""
        tables = []
        for start in window_starts:
            path = self._path(asset_path, start)
            if self._fs.get_file_info(path).type == pafs.FileType.NotFound:
                raise LakePartitionMissingError(
                    f"{'/'.join(asset_path)}: no lake file for window {start:%Y-%m-%d %H:%M} UTC "
                    f"({self.uri(asset_path, start)}); materialize that partition first"
                )
            tables.append(pq.read_table(path, filesystem=self._fs, schema=schema))
        if not tables:
            return schema.empty_table()
        return pa.concat_tables(tables)

    def exists(self, asset_path: Sequence[str], window_start: datetime) -> bool:
        """Whether a window's file is in the lake."""
        info = self._fs.get_file_info(self._path(asset_path, window_start))
        return info.type != pafs.FileType.NotFound
