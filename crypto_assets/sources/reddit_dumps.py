"""Monthly Reddit submission dumps RS_YYYY-MM.zst: stream, filter and normalize their posts."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import IO, Any

import fsspec
import zstandard

from crypto_assets.sources.errors import PayloadError, SourceError
from crypto_assets.sources.reddit_archive_posts import (
    check_window,
    normalize_archive_post,
    sort_posts,
)

# The dumps are compressed with --long=31, a window larger than zstandard's default maximum.
DUMP_MAX_WINDOW_SIZE = 2**31
DUMP_READ_SIZE = 2**20  # decompressed bytes per read; lines may be far longer and are joined


def months_touched(start: datetime, end: datetime) -> list[str]:
    """The 'YYYY-MM' months (UTC) that hold some instant of [start, end), in order."""
    start, end = check_window(start, end)
    months, (year, month) = [], (start.year, start.month)
    while datetime(year, month, 1, tzinfo=UTC) < end:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def iter_dump_posts(
    source: IO[bytes],
    subreddits: set[str] | None,
    start: datetime,
    end: datetime,
    *,
    name: str = "dump",
) -> Iterator[dict[str, Any]]:
    """Normalized posts of `subreddits` (any case; None for all) with start <= created_utc < end.

    `source` is an open binary zstd NDJSON stream, read incrementally and left open; `name`
    names it in errors.
    """
    start, end = check_window(start, end)
    wanted = None if subreddits is None else {sub.lower() for sub in subreddits}
    decompressor = zstandard.ZstdDecompressor(max_window_size=DUMP_MAX_WINDOW_SIZE)
    number = 0
    try:
        with (
            decompressor.stream_reader(source, read_size=DUMP_READ_SIZE, closefd=False) as raw,
            # Decode errors replaced: one bad byte in a many-GB dump must not stop the month.
            io.TextIOWrapper(raw, encoding="utf-8", errors="replace") as lines,
        ):
            for number, line in enumerate(lines, start=1):
                if not line.strip():
                    continue
                where = f"reddit dump {name} line {number}"
                try:
                    post = json.loads(line)
                except ValueError as exc:
                    raise PayloadError(f"{where}: not JSON ({exc})") from None
                subreddit = post.get("subreddit") if isinstance(post, dict) else None
                # Cheap skip before validating: most of a dump is other subreddits.
                if (
                    isinstance(subreddit, str)
                    and wanted is not None
                    and subreddit.lower() not in wanted
                ):
                    continue
                normalized = normalize_archive_post(post, where)
                if start <= normalized["created_utc"] < end:
                    yield normalized
    except zstandard.ZstdError as exc:
        raise PayloadError(
            f"reddit dump {name}: bad zstd data after line {number}: {exc}"
        ) from None


class DumpFolder:
    """The RS_YYYY-MM.zst dumps in a local folder or an s3://bucket/prefix, read through fsspec."""

    def __init__(self, root: str, filesystem: fsspec.AbstractFileSystem | None = None) -> None:
        self.root = root.rstrip("/")
        # Injectable for tests and for s3fs options; by default the filesystem the root names.
        self.filesystem = filesystem if filesystem is not None else fsspec.url_to_fs(root)[0]

    def path_for(self, month: str) -> str:
        """The expected path of one month's dump, e.g. {root}/RS_2022-05.zst."""
        return f"{self.root}/RS_{month}.zst"

    def iter_month(
        self, month: str, subreddits: set[str] | None, start: datetime, end: datetime
    ) -> Iterator[dict[str, Any]]:
        """The normalized posts of one month's dump inside [start, end)."""
        path = self.path_for(month)
        try:
            source = self.filesystem.open(path, "rb")
        except FileNotFoundError:
            raise SourceError(
                f"reddit dump for {month} not found: expected {path} (RS_YYYY-MM.zst)"
            ) from None
        with source:
            yield from iter_dump_posts(source, subreddits, start, end, name=path)

    def fetch_window(
        self, subreddits: Sequence[str], start: datetime, end: datetime
    ) -> list[dict[str, Any]]:
        """Posts with start <= created_utc < end from the subreddits, de-duplicated, oldest first."""
        posts: dict[str, dict[str, Any]] = {}
        for month in months_touched(start, end):
            for post in self.iter_month(month, set(subreddits), start, end):
                posts.setdefault(post["id"], post)
        return sort_posts(posts)
