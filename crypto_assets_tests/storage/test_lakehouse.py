"""Lake first, warehouse from the lake's files: the two stores agree after any failure."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

import pyarrow as pa
import pytest

from crypto_assets.storage.duckdb_warehouse import DuckDBWarehouse
from crypto_assets.storage.lake import LakeFiles, ParquetLake
from crypto_assets.storage.lakehouse import NonContiguousWindowsError, replace_windows
from crypto_assets_tests.support.storage import (
    END,
    TEN,
    W0,
    W1,
    lake_rows,
    posts,
    s3_lake,
    warehouse_rows,
)


class FailingLoad:
    """A DuckDB warehouse whose load fails after the lake files were written."""

    def __init__(self, wh: DuckDBWarehouse) -> None:
        self.wh = wh
        self.files_seen: list[str] = []

    @contextmanager
    def replacing(self, *args: object):
        with self.wh.replacing(*args) as replace:  # type: ignore[arg-type]
            original = replace.load

            def load(files: LakeFiles) -> int:
                self.files_seen = files.uris
                original(files)
                raise ConnectionError("warehouse went away mid-load")

            replace.load = load  # type: ignore[method-assign]
            yield replace


@pytest.fixture
def stores(tmp_path: Path) -> tuple[ParquetLake, DuckDBWarehouse]:
    """A local lake and a DuckDB warehouse in a fresh folder."""
    return ParquetLake(str(tmp_path / "lake")), DuckDBWarehouse(tmp_path / "w.duckdb")


def test_warehouse_is_loaded_from_exactly_the_lake_files(stores) -> None:
    lake, wh = stores
    table = pa.concat_tables([posts(W0, ["a", "b"]), posts(W1, ["c"])])
    written = replace_windows(lake, wh, "reddit_posts", table, [W0, W1], TEN)
    assert written.rows == 3
    assert written.files.uris == [lake.uri(["reddit_posts"], w) for w in (W0, W1)]
    assert lake_rows(lake, [W0, W1]) == warehouse_rows(wh) == {"14:20": ["a", "b"], "14:30": ["c"]}


def test_failure_between_lake_and_warehouse_restores_the_lake_then_a_rerun_agrees(stores) -> None:
    lake, wh = stores
    replace_windows(lake, wh, "reddit_posts", posts(W0, ["a", "b"]), [W0], TEN)
    failing = FailingLoad(wh)
    new = pa.concat_tables([posts(W0, ["x"]), posts(W1, ["y"])])
    with pytest.raises(ConnectionError, match="mid-load"):
        replace_windows(lake, failing, "reddit_posts", new, [W0, W1], TEN)
    assert len(failing.files_seen) == 2  # the lake had been written when the warehouse failed
    assert lake_rows(lake, [W0, W1]) == warehouse_rows(wh) == {"14:20": ["a", "b"]}
    assert not lake.exists(["reddit_posts"], W1)

    replace_windows(lake, wh, "reddit_posts", new, [W0, W1], TEN)
    assert lake_rows(lake, [W0, W1]) == warehouse_rows(wh) == {"14:20": ["x"], "14:30": ["y"]}


def test_windows_with_a_gap_are_refused_before_anything_is_written(stores) -> None:
    lake, wh = stores
    replace_windows(lake, wh, "reddit_posts", posts(W1, ["kept"]), [W1], TEN)
    table = pa.concat_tables([posts(W0, ["a"]), posts(END, ["b"])])
    with pytest.raises(NonContiguousWindowsError, match=r"14:20 is followed by .*14:40"):
        replace_windows(lake, wh, "reddit_posts", table, [W0, END], TEN)
    assert lake_rows(lake, [W0, W1, END]) == warehouse_rows(wh) == {"14:30": ["kept"]}


def test_rows_outside_the_run_windows_are_refused(stores) -> None:
    lake, wh = stores
    with pytest.raises(ValueError, match="outside this run"):
        replace_windows(lake, wh, "reddit_posts", posts(W1, ["stray"]), [W0], TEN)


def test_s3_lake_loads_duckdb_through_s3fs(s3_bucket: str, moto_endpoint: str, tmp_path) -> None:
    lake, wh = s3_lake(s3_bucket, moto_endpoint), DuckDBWarehouse(tmp_path / "w.duckdb")
    table = pa.concat_tables([posts(W0, ["a"]), posts(W1, ["b", "c"])])
    replace_windows(lake, wh, "reddit_posts", table, [W0, W1], TEN)
    failing = FailingLoad(wh)
    with pytest.raises(ConnectionError):
        replace_windows(lake, failing, "reddit_posts", posts(W0, []), [W0], TEN)
    assert failing.files_seen[0].startswith(f"s3://{s3_bucket}/lake/reddit_posts/")
    expected = {"14:20": ["a"], "14:30": ["b", "c"]}
    assert lake_rows(lake, [W0, W1]) == warehouse_rows(wh) == expected


def test_an_unreachable_bucket_fails_the_run_at_its_start_in_one_line(
    s3_bucket: str, moto_endpoint: str, tmp_path: Path
) -> None:
    from dagster import DagsterInstance, materialize

    from crypto_assets_tests.support.definitions import live_assets, replay_definitions

    defs = replay_definitions()
    from crypto_assets.deployment import build_resources
    from crypto_assets.environment import Settings

    settings = Settings.from_env(
        {
            "CRYPTO_ASSETS_HOME": str(tmp_path),
            "CRYPTO_SOURCE": "replay",
            "CRYPTO_LAKE_ROOT": "s3://no-such-bucket/lake",
            "AWS_REGION": "us-east-1",
            "AWS_ENDPOINT_URL": moto_endpoint,
        }
    )
    with DagsterInstance.ephemeral() as instance:
        result = materialize(
            live_assets(defs),
            resources=build_resources(settings),
            instance=instance,
            partition_key="2025-10-19-12:40",
            raise_on_error=False,
        )
    assert not result.success
    init = next(e for e in result.all_events if e.event_type_value == "RESOURCE_INIT_FAILURE")
    error = init.event_specific_data.error
    text = error.message + "".join(c.message for c in (error.cause, error.context) if c)
    assert "bucket 'no-such-bucket' is not usable (HTTP 404" in text, text
    assert not any(e.event_type_value == "STEP_START" for e in result.all_events)
