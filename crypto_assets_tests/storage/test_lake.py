"""The Parquet lake: hive layout, atomic replacement, range reads, local folder and S3."""

from __future__ import annotations

import os
import time
from datetime import datetime
from pathlib import Path

import boto3
import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from crypto_assets.storage.lake import LakePartitionMissingError, ParquetLake, window_folder
from crypto_assets.storage.lake_stores import STAGING_DIR, STALE_AFTER
from crypto_assets_tests.support.storage import END, SCHEMA, W0, W1, posts, s3_lake


@pytest.mark.parametrize(
    ("window", "folder"),
    [
        (datetime(2025, 10, 1, 0, 0), "timestamp=2025-10-01T00:00:00.000Z"),
        (datetime(2025, 12, 31, 23, 50), "timestamp=2025-12-31T23:50:00.000Z"),
    ],
)
def test_window_folder_is_hive_style_utc(window: datetime, folder: str) -> None:
    assert window_folder(window) == folder


def test_write_lands_at_the_design_path(tmp_path: Path) -> None:
    lake = ParquetLake(str(tmp_path))
    uri = lake.write_window(["reddit_posts"], W0, posts(W0, ["a", "b"]))
    expected = tmp_path / "reddit_posts" / "timestamp=2025-10-05T14:20:00.000Z" / "part-0.parquet"
    assert uri == str(expected)
    assert pq.read_table(expected).num_rows == 2


def test_rewrite_replaces_the_window_and_leaves_no_temp_files(tmp_path: Path) -> None:
    lake = ParquetLake(str(tmp_path))
    lake.write_window(["reddit_posts"], W0, posts(W0, ["a", "b", "c"]))
    lake.write_window(["reddit_posts"], W0, posts(W0, ["d"]))
    table = lake.read_windows(["reddit_posts"], [W0], SCHEMA)
    assert table.column("post_id").to_pylist() == ["d"]
    assert [p.name for p in (tmp_path / "reddit_posts").rglob("*")] == [
        "timestamp=2025-10-05T14:20:00.000Z",
        "part-0.parquet",
    ]


def _fail_while_encoding(monkeypatch: pytest.MonkeyPatch) -> None:
    """pq.write_table writes the start of a file to its sink, then fails (disk full, bad row)."""

    def write_half_then_fail(table: pa.Table, where: object, **kwargs: object) -> None:
        where.write(b"PAR1 half a file")  # type: ignore[attr-defined]
        raise OSError("encoding failed half-way")

    monkeypatch.setattr(pq, "write_table", write_half_then_fail)


def test_failed_write_keeps_the_previous_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lake = ParquetLake(str(tmp_path))
    lake.write_window(["reddit_posts"], W0, posts(W0, ["a", "b"]))
    with monkeypatch.context() as patch, pytest.raises(OSError, match="half-way"):
        _fail_while_encoding(patch)
        lake.write_window(["reddit_posts"], W0, posts(W0, ["x"]))
    assert lake.read_windows(["reddit_posts"], [W0], SCHEMA).column("post_id").to_pylist() == [
        "a",
        "b",
    ]
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == ["part-0.parquet"]


def test_crash_leftovers_are_swept_and_never_inside_window_folders(tmp_path: Path) -> None:
    lake = ParquetLake(str(tmp_path))
    lake.write_window(["reddit_posts"], W0, posts(W0, ["a"]))
    folder = tmp_path / "reddit_posts" / window_folder(W0)
    old_style = folder / ".part-0.parquet.0123abcd.tmp"  # what a crash of older versions left
    staged = tmp_path / STAGING_DIR / "0123abcd.parquet.tmp"
    for leftover in (old_style, staged):
        leftover.write_bytes(b"PAR1 half")
        an_hour_ago = time.time() - STALE_AFTER.total_seconds() - 60
        os.utime(leftover, (an_hour_ago, an_hour_ago))
    lake.write_window(["reddit_posts"], W0, posts(W0, ["b"]))
    assert not old_style.exists() and not staged.exists()
    glob = f"{tmp_path}/reddit_posts/*/*"
    assert duckdb.sql(f"SELECT count(*) FROM glob('{glob}')").fetchall() == [(1,)]


def test_range_read_concatenates_windows_and_empty_windows_are_real_files(tmp_path: Path) -> None:
    lake = ParquetLake(str(tmp_path))
    lake.write_window(["reddit_posts"], W0, posts(W0, ["a"]))
    lake.write_window(["reddit_posts"], W1, posts(W1, []))
    table = lake.read_windows(["reddit_posts"], [W0, W1], SCHEMA)
    assert table.num_rows == 1
    assert table.schema.equals(SCHEMA)
    assert lake.exists(["reddit_posts"], W1)


def test_missing_window_fails_with_its_name(tmp_path: Path) -> None:
    lake = ParquetLake(str(tmp_path))
    with pytest.raises(LakePartitionMissingError, match=r"reddit_posts.*2025-10-05 14:30"):
        lake.read_windows(["reddit_posts"], [W1], SCHEMA)


def test_duckdb_reads_the_lake_as_it_is(tmp_path: Path) -> None:
    lake = ParquetLake(str(tmp_path))
    lake.write_window(["reddit_posts"], W0, posts(W0, ["a", "b"]))
    lake.write_window(["reddit_posts"], W1, posts(W1, ["c"]))
    rows = duckdb.sql(
        f"SELECT timestamp, count(*) FROM read_parquet('{tmp_path}/reddit_posts/*/*.parquet', "
        "hive_partitioning = true) GROUP BY 1 ORDER BY 1"
    ).fetchall()
    assert [r[1] for r in rows] == [2, 1]
    assert str(rows[0][0]).startswith("2025-10-05")


def _keys(bucket: str, endpoint: str) -> list[str]:
    listing = boto3.client("s3", endpoint_url=endpoint).list_objects_v2(Bucket=bucket)
    return [o["Key"] for o in listing.get("Contents", [])]


def test_s3_lake_over_moto(s3_bucket: str, moto_endpoint: str) -> None:
    lake = s3_lake(s3_bucket, moto_endpoint)
    uri = lake.write_window(["reddit_posts"], W0, posts(W0, ["a", "b"]))
    lake.write_window(["reddit_posts"], W0, posts(W0, ["c"]))
    lake.write_window(["reddit_posts"], W1, posts(W1, ["d"]))
    assert (
        uri
        == f"s3://{s3_bucket}/lake/reddit_posts/timestamp=2025-10-05T14:20:00.000Z/part-0.parquet"
    )
    assert _keys(s3_bucket, moto_endpoint) == [
        "lake/reddit_posts/timestamp=2025-10-05T14:20:00.000Z/part-0.parquet",
        "lake/reddit_posts/timestamp=2025-10-05T14:30:00.000Z/part-0.parquet",
    ]
    table = lake.read_windows(["reddit_posts"], [W0, W1], SCHEMA)
    assert table.column("post_id").to_pylist() == ["c", "d"]
    assert lake.existing_windows(["reddit_posts"], [W0, W1, END]) == {W0, W1}


def test_s3_failure_while_encoding_leaves_the_previous_object(
    s3_bucket: str, moto_endpoint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    lake = s3_lake(s3_bucket, moto_endpoint)
    lake.write_window(["reddit_posts"], W0, posts(W0, ["a", "b"]))
    with monkeypatch.context() as patch, pytest.raises(OSError, match="half-way"):
        _fail_while_encoding(patch)
        lake.write_window(["reddit_posts"], W0, posts(W0, ["x"]))
    table = lake.read_windows(["reddit_posts"], [W0], SCHEMA)
    assert table.column("post_id").to_pylist() == ["a", "b"]


def test_s3_put_failing_on_the_wire_leaves_the_previous_object(
    s3_bucket: str, moto_endpoint: str
) -> None:
    lake = s3_lake(s3_bucket, moto_endpoint)
    lake.write_window(["reddit_posts"], W0, posts(W0, ["a", "b"]))
    client = lake.store._client  # type: ignore[attr-defined]

    def drop_connection(**kwargs: object) -> None:
        raise ConnectionResetError("connection reset during upload")

    client.meta.events.register("before-send.s3.PutObject", drop_connection)
    with pytest.raises(Exception, match="connection reset"):
        lake.write_window(["reddit_posts"], W0, posts(W0, ["x"]))
    client.meta.events.unregister("before-send.s3.PutObject", drop_connection)
    table = lake.read_windows(["reddit_posts"], [W0], SCHEMA)
    assert table.column("post_id").to_pylist() == ["a", "b"]


def test_a_window_folder_appears_only_once_its_file_is_durable(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two overlapping runs: one listed a window whose first write was still being fsynced, then
    # read a file that did not exist yet (FileNotFoundError in CI). Readers list folders.
    lake = ParquetLake(str(tmp_path))
    folder = tmp_path / "reddit_posts" / window_folder(W0)
    seen_while_writing: list[set[datetime]] = []
    real_fsync = os.fsync

    def fsync_and_look(fd: int) -> None:
        seen_while_writing.append(lake.existing_windows(["reddit_posts"], [W0]))
        assert not folder.exists()
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", fsync_and_look)
    lake.write_window(["reddit_posts"], W0, posts(W0, ["a"]))
    assert seen_while_writing == [set()]
    assert lake.existing_windows(["reddit_posts"], [W0]) == {W0}


def test_a_listed_folder_without_its_file_is_not_a_window(tmp_path: Path) -> None:
    lake = ParquetLake(str(tmp_path))
    lake.write_window(["reddit_posts"], W0, posts(W0, ["a"]))
    (tmp_path / "reddit_posts" / window_folder(W1)).mkdir()  # mid-write, or a rolled-back first
    assert lake.existing_windows(["reddit_posts"], [W0, W1]) == {W0}
    with pytest.raises(LakePartitionMissingError, match="2025-10-05 14:30"):
        lake.read_windows(["reddit_posts"], [W0, W1], SCHEMA)
