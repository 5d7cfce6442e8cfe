"""End to end: the crypto_pipeline job and an asset backfill on a live `dagster dev`."""

from __future__ import annotations

import pyarrow.parquet as pq
import pytest
from dagster_graphql import DagsterGraphQLClient

from crypto_assets_tests.e2e.support import (
    ASSETS,
    BACKFILL,
    BACKFILL_TERMINAL,
    LAUNCH_BACKFILL,
    LOCATION,
    busiest_range,
    busiest_window,
    crypto_posts_per_window,
    lake_file,
    partition_key,
    run_details,
    tags_of,
    wait_until,
)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.timeout(900),
    # DagsterGraphQLClient still calls gql's deprecated execute(variable_values=...).
    pytest.mark.filterwarnings("ignore::DeprecationWarning:gql.*"),
]

BACKFILL_WINDOWS = 4
POSTS = crypto_posts_per_window()
SINGLE_WINDOW = busiest_window(POSTS)
RANGE_WINDOWS = busiest_range(POSTS, BACKFILL_WINDOWS, avoid=SINGLE_WINDOW)
RUN_TERMINAL = {"SUCCESS", "FAILURE", "CANCELED"}


MATERIALIZATIONS = """
query ($path: [String!]!, $keys: [String!]!) {
  assetOrError(assetKey: {path: $path}) {
    __typename
    ... on Asset { assetMaterializations(partitions: $keys) { partition runId } }
  }
}"""


def materialized(server, asset: str, keys: list[str]) -> dict[str, set[str]]:
    """Partition key -> ids of the runs that materialized it, for the given keys."""
    data = server.gql(MATERIALIZATIONS, {"path": [asset], "keys": keys})["assetOrError"]
    assert data["__typename"] == "Asset", f"{asset}: {data}"
    found: dict[str, set[str]] = {}
    for event in data["assetMaterializations"]:
        found.setdefault(event["partition"], set()).add(event["runId"])
    return found


def test_job_run_materializes_one_partition(dagster_server):
    """One partition of crypto_pipeline, launched over GraphQL, materializes all five assets
    for that window and writes each asset's Parquet file to the lake."""
    key = partition_key(SINGLE_WINDOW)
    client = DagsterGraphQLClient("127.0.0.1", port_number=dagster_server.port)
    run_id = client.submit_job_execution(
        "crypto_pipeline",
        repository_location_name=LOCATION,
        repository_name="__repository__",
        tags={"dagster/partition": key},
    )

    def finished() -> str | None:
        status = client.get_run_status(run_id).value
        return status if status in RUN_TERMINAL else None

    status = wait_until(finished, 300, f"run {run_id} to finish", interval=2.0)
    details = run_details(dagster_server, run_id)
    assert status == "SUCCESS", f"run {run_id} ended {status}: {details['failures']}"
    assert details["tags"].get("dagster/partition") == key

    for asset in ASSETS:
        runs = materialized(dagster_server, asset, [key])
        assert run_id in runs.get(key, set()), f"{asset}: no materialization of {key} by {run_id}"
        path = lake_file(dagster_server.home, asset, SINGLE_WINDOW)
        assert path.is_file(), f"{asset}: missing lake file {path}"
    posts = pq.read_table(lake_file(dagster_server.home, "reddit_posts", SINGLE_WINDOW))
    assert posts.num_rows == POSTS[SINGLE_WINDOW], "reddit_posts differs from the recording"


def test_backfill_of_a_range_runs_once(dagster_server):
    """An asset backfill of consecutive windows for all five assets completes in one run
    (BackfillPolicy.single_run) that materializes every asset for every window."""
    keys = [partition_key(w) for w in RANGE_WINDOWS]
    params = {"assetSelection": [{"path": [a]} for a in ASSETS], "partitionNames": keys}
    launched = dagster_server.gql(LAUNCH_BACKFILL, {"params": params})["launchPartitionBackfill"]
    assert launched["__typename"] == "LaunchBackfillSuccess", launched
    backfill_id = launched["backfillId"]

    def finished() -> dict | None:
        data = dagster_server.gql(BACKFILL, {"id": backfill_id})["partitionBackfillOrError"]
        assert data["__typename"] == "PartitionBackfill", data
        return data if data["status"] in BACKFILL_TERMINAL else None

    backfill = wait_until(finished, 480, f"backfill {backfill_id} to finish", interval=2.0)
    runs_info = {r["runId"]: run_details(dagster_server, r["runId"]) for r in backfill["runs"]}
    assert backfill["status"] in {"COMPLETED", "COMPLETED_SUCCESS"}, (backfill, runs_info)
    assert len(backfill["runs"]) == 1, f"expected one run for the range: {backfill['runs']}"
    run = backfill["runs"][0]
    assert run["status"] == "SUCCESS", runs_info
    tags = tags_of(run)
    assert tags.get("dagster/backfill") == backfill_id
    assert tags.get("dagster/asset_partition_range_start") == keys[0]
    assert tags.get("dagster/asset_partition_range_end") == keys[-1]

    for asset in ASSETS:
        runs = materialized(dagster_server, asset, keys)
        missing = [k for k in keys if run["runId"] not in runs.get(k, set())]
        assert not missing, f"{asset}: no materialization by {run['runId']} for {missing}"
        for window in RANGE_WINDOWS:
            assert lake_file(dagster_server.home, asset, window).is_file()
    for window in RANGE_WINDOWS:
        posts = pq.read_table(lake_file(dagster_server.home, "reddit_posts", window))
        assert posts.num_rows == POSTS[window], f"reddit_posts {partition_key(window)}"
