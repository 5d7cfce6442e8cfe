"""Every asset materialized on recorded real API responses: lake, warehouse, reruns, ranges."""

from __future__ import annotations

import json
from datetime import datetime
from importlib.resources import files
from pathlib import Path

import pytest
from dagster import (
    DagsterInstance,
    ExecuteInProcessResult,
    materialize,
)
from dagster._core.storage.tags import (
    ASSET_PARTITION_RANGE_END_TAG,
    ASSET_PARTITION_RANGE_START_TAG,
)

from crypto_assets.datasets import WAREHOUSE_SCHEMAS
from crypto_assets.deployment import build_resources
from crypto_assets.environment import Settings
from crypto_assets.storage.duckdb_warehouse import DuckDBWarehouse
from crypto_assets_tests.support.replay_runs import ASSETS, BUSY_WINDOW, NAMES, lake_counts

RANGE = ("2025-10-19-11:00", "2025-10-19-12:50")  # twelve windows, ending with the busy one


def recorded_posts(start: str, end: str) -> list[dict]:
    """Recorded r/CryptoCurrency posts created in [start, end) (ISO strings, UTC)."""
    path = (
        files("crypto_assets.sources.recordings")
        / "reddit_crypto_posts_praw_2025-10-30_1533posts.json"
    )
    posts = json.loads(path.read_text())
    return [
        p for p in posts if p["subreddit"] == "cryptocurrency" and start <= p["created_utc"] < end
    ]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Replay settings with all local state in a fresh folder."""
    return Settings.from_env({"CRYPTO_ASSETS_HOME": str(tmp_path), "CRYPTO_SOURCE": "replay"})


def run(settings: Settings, instance: DagsterInstance, **kwargs: object) -> ExecuteInProcessResult:
    """Materialize all five assets (and their checks) with the deployment's resources."""
    return materialize(ASSETS, resources=build_resources(settings), instance=instance, **kwargs)


def warehouse_counts(settings: Settings) -> dict[str, int]:
    """Rows per asset table in the DuckDB warehouse."""
    wh = DuckDBWarehouse(settings.duckdb_path)
    return {
        n: int(wh.query(f'SELECT count(*) AS n FROM "{WAREHOUSE_SCHEMAS[n]}"."{n}"')["n"][0])
        for n in NAMES
    }


def test_one_window_lands_in_lake_and_warehouse(settings: Settings) -> None:
    with DagsterInstance.ephemeral() as instance:
        result = run(settings, instance, partition_key=BUSY_WINDOW)
    assert result.success
    checks = {c.check_name: c for c in result.get_asset_check_evaluations()}
    assert len(checks) == 6
    # The recorded listing is from 2024-12-07: honest replay windows have no prices of their own.
    assert not checks.pop("listing_has_prices").passed
    assert all(c.passed for c in checks.values())

    folder = "timestamp=2025-10-19T12:40:00.000Z/part-0.parquet"
    for name in NAMES:
        assert (Path(settings.lake_root) / name / folder).is_file(), name
    lake, warehouse = lake_counts(settings), warehouse_counts(settings)
    assert lake == warehouse
    expected = recorded_posts("2025-10-19T12:40", "2025-10-19T12:50")
    assert warehouse["reddit_posts"] == len(expected) == 5
    assert warehouse["sentiment_scores"] == 5
    assert warehouse["coin_listings"] == 100
    assert warehouse["coin_mentions"] >= 1 and warehouse["mention_counts"] >= 1

    posts = result.output_for_node("reddit_posts")
    assert set(posts["post_id"]) == {p["post_id"] for p in expected}
    listing = result.asset_materializations_for_node("coin_listings")[0].metadata
    assert listing["source"].value == "replay"
    assert datetime.fromtimestamp(listing["as_of"].value).isoformat() == "2024-12-07T12:12:03"
    counts = result.asset_materializations_for_node("mention_counts")[0].metadata
    assert counts["total_mentions"].value == int(
        result.output_for_node("mention_counts")["mentions"].sum()
    )


def test_rematerializing_a_window_never_duplicates(settings: Settings) -> None:
    with DagsterInstance.ephemeral() as instance:
        run(settings, instance, partition_key=BUSY_WINDOW)
        first = warehouse_counts(settings), lake_counts(settings)
        run(settings, instance, partition_key=BUSY_WINDOW)
        assert (warehouse_counts(settings), lake_counts(settings)) == first


def test_a_range_of_twelve_windows_is_one_run(settings: Settings) -> None:
    tags = {ASSET_PARTITION_RANGE_START_TAG: RANGE[0], ASSET_PARTITION_RANGE_END_TAG: RANGE[1]}
    with DagsterInstance.ephemeral() as instance:
        result = run(settings, instance, tags=tags)
        assert result.success
        assert len(instance.get_run_records()) == 1
        for name in NAMES:
            partitions = {m.partition for m in result.asset_materializations_for_node(name)}
            assert len(partitions) == 12, name
            assert len(list((Path(settings.lake_root) / name).glob("timestamp=*"))) == 12
        observed = result.asset_observations_for_node("mention_counts")
        assert sorted(o.partition for o in observed) == sorted(
            m.partition for m in result.asset_materializations_for_node("mention_counts")
        )
        by_window = {o.partition: o.metadata["total_mentions"].value for o in observed}
        counts = result.output_for_node("mention_counts")
        assert by_window["2025-10-19-12:40"] == int(
            counts[counts["window_start"] == "2025-10-19 12:40"]["mentions"].sum()
        )
        assert sum(by_window.values()) == int(counts["mentions"].sum())
    warehouse = warehouse_counts(settings)
    assert warehouse["reddit_posts"] == len(recorded_posts("2025-10-19T11:00", "2025-10-19T13:00"))
    assert warehouse["coin_listings"] == 12 * 100
    assert warehouse == lake_counts(settings)


def test_a_window_outside_the_recordings_is_not_a_replay_partition(settings: Settings) -> None:
    # Replay's partitions are exactly the windows its recordings can answer (no ListingDepthError
    # "materialize while recent" advice that makes no sense against recordings).
    with (
        DagsterInstance.ephemeral() as instance,
        pytest.raises(Exception, match="2025-10-10-12:00"),
    ):
        run(settings, instance, partition_key="2025-10-10-12:00")
    assert not (Path(settings.lake_root) / "reddit_posts").exists()
