"""Monthly RS_YYYY-MM.zst dumps: streaming, subreddit and time filters, folders, bad lines."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import fsspec
import pytest
import zstandard

from crypto_assets.sources.errors import PayloadError, SourceError
from crypto_assets.sources.reddit_dumps import DumpFolder, iter_dump_posts, months_touched
from crypto_assets.sources.reddit_listing import POST_FIELDS
from crypto_assets_tests.sources.history_payloads import RECORDED_DAYS, dump_bytes, read_posts

MAY_13 = datetime(2022, 5, 13, tzinfo=UTC)
DAY = timedelta(days=1)


def may_posts() -> list[dict[str, Any]]:
    posts = [post for name in RECORDED_DAYS for post in read_posts(name)]
    return sorted(posts, key=lambda post: post["created_utc"])


def ids_created_in(posts: list[dict], subreddit: str, start: datetime, end: datetime) -> list:
    return [
        p["id"]
        for p in posts
        if p["subreddit"] == subreddit and start.timestamp() <= p["created_utc"] < end.timestamp()
    ]


def test_filters_subreddit_any_case_and_half_open_time_range(tmp_path: Path) -> None:
    posts = may_posts()
    path = tmp_path / "RS_2022-05.zst"
    path.write_bytes(dump_bytes(posts))
    start, end = MAY_13 + timedelta(hours=6), MAY_13 + timedelta(hours=18)

    with path.open("rb") as source:
        found = list(iter_dump_posts(source, {"DOGECOIN"}, start, end, name=path.name))
        assert not source.closed  # the caller owns the file

    assert [p["id"] for p in found] == ids_created_in(posts, "dogecoin", start, end)
    assert 0 < len(found) < 141
    assert all(tuple(p) == POST_FIELDS and start <= p["created_utc"] < end for p in found)


def test_all_subreddits_when_none_given() -> None:
    posts = may_posts()
    source = io.BytesIO(dump_bytes(posts))

    found = list(iter_dump_posts(source, None, MAY_13, MAY_13 + DAY))

    assert len(found) == 58 + 141
    assert {p["subreddit"] for p in found} == {"CryptoMarkets", "dogecoin"}


def test_long_window_frames_of_real_dumps_are_readable() -> None:
    # The real dumps need a window beyond zstd's default decoding limit (2**27).
    data = dump_bytes(read_posts("CryptoMarkets_2022-05-13"), window_log=28)
    with pytest.raises(zstandard.ZstdError):
        zstandard.ZstdDecompressor().stream_reader(io.BytesIO(data)).read()

    found = list(iter_dump_posts(io.BytesIO(data), {"cryptomarkets"}, MAY_13, MAY_13 + DAY))

    assert len(found) == 58


def test_a_line_that_is_not_json_names_file_and_line() -> None:
    posts = read_posts("CryptoMarkets_2022-05-13")[:3]
    data = dump_bytes([posts[0], posts[1], '{"id": "cut', posts[2]])

    with pytest.raises(PayloadError, match=r"reddit dump RS_2022-05\.zst line 3: not JSON"):
        list(iter_dump_posts(io.BytesIO(data), None, MAY_13, MAY_13 + DAY, name="RS_2022-05.zst"))


def test_a_malformed_post_of_a_wanted_subreddit_names_line_and_field() -> None:
    posts = read_posts("CryptoMarkets_2022-05-13")[:2]
    broken = {**posts[1], "created_utc": "yesterday"}
    other = {"id": "x", "subreddit": "Other", "created_utc": "never"}  # skipped unvalidated
    data = dump_bytes([posts[0], other, broken])

    with pytest.raises(PayloadError, match=r"line 3: created_utc: expected epoch seconds"):
        list(iter_dump_posts(io.BytesIO(data), {"CryptoMarkets"}, MAY_13, MAY_13 + DAY))


def test_corrupt_zstd_is_a_payload_error() -> None:
    with pytest.raises(PayloadError, match="bad zstd data"):
        list(iter_dump_posts(io.BytesIO(b"not zstd at all"), None, MAY_13, MAY_13 + DAY))


def test_folder_reads_every_month_the_window_touches(tmp_path: Path) -> None:
    april = {**read_posts("dogecoin_2022-05-04")[0], "id": "april1", "created_utc": 1651359000}
    may = read_posts("dogecoin_2022-05-04")
    (tmp_path / "RS_2022-04.zst").write_bytes(dump_bytes([april]))
    (tmp_path / "RS_2022-05.zst").write_bytes(dump_bytes([*may, may[0]]))  # a repeated post
    folder = DumpFolder(str(tmp_path), fsspec.filesystem("file"))
    start, end = datetime(2022, 4, 30, 22, tzinfo=UTC), datetime(2022, 5, 5, tzinfo=UTC)

    posts = folder.fetch_window(["dogecoin"], start, end)

    assert [p["id"] for p in posts] == ["april1", *(p["id"] for p in may)]


def test_folder_missing_month_names_the_expected_path(tmp_path: Path) -> None:
    folder = DumpFolder(str(tmp_path))

    with pytest.raises(SourceError, match=f"expected {tmp_path}/RS_2022-05.zst"):
        folder.fetch_window(["dogecoin"], MAY_13, MAY_13 + DAY)


class RecordingFilesystem:
    """Stands in for s3fs: serves bytes by full s3:// path and records what was opened."""

    def __init__(self, files: dict[str, bytes]) -> None:
        self.files = files
        self.opened: list[str] = []

    def open(self, path: str, mode: str = "rb") -> io.BytesIO:
        self.opened.append(path)
        if path not in self.files:
            raise FileNotFoundError(path)
        return io.BytesIO(self.files[path])


def test_folder_on_an_s3_prefix_opens_through_the_injected_filesystem() -> None:
    posts = read_posts("CryptoMarkets_2022-05-13")
    filesystem = RecordingFilesystem({"s3://bucket/reddit/RS_2022-05.zst": dump_bytes(posts)})
    folder = DumpFolder("s3://bucket/reddit/", filesystem)  # type: ignore[arg-type]

    found = folder.fetch_window(["CryptoMarkets"], MAY_13, MAY_13 + DAY)

    assert len(found) == 58
    assert filesystem.opened == ["s3://bucket/reddit/RS_2022-05.zst"]


@pytest.mark.parametrize(
    ("start", "end", "months"),
    [
        (datetime(2022, 5, 13, tzinfo=UTC), datetime(2022, 5, 14, tzinfo=UTC), ["2022-05"]),
        (datetime(2022, 5, 31, tzinfo=UTC), datetime(2022, 6, 1, tzinfo=UTC), ["2022-05"]),
        (
            datetime(2022, 12, 31, 23, tzinfo=UTC),
            datetime(2023, 2, 1, 0, 0, 1, tzinfo=UTC),
            ["2022-12", "2023-01", "2023-02"],
        ),
    ],
)
def test_months_touched_by_a_half_open_range(start, end, months) -> None:
    assert months_touched(start, end) == months
