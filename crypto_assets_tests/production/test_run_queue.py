"""The daemon and the queued run coordinator on the production (PostgreSQL) instance."""

from __future__ import annotations

import pytest
from dagster import AssetKey, AssetRecordsFilter, DagsterRunStatus, RunsFilter
from dagster_graphql import DagsterGraphQLClient

from crypto_assets_tests.e2e.support import ASSETS, LOCATION, wait_until
from crypto_assets_tests.production.conftest import instance_for, make_prod_home
from crypto_assets_tests.production.server import dagster_dev

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.timeout(600),
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
]

LIMIT = 2  # DAGSTER_MAX_CONCURRENT_RUNS in make_prod_home
WINDOWS = [f"2025-10-25-10:{m:02d}" for m in range(0, 50, 10)]  # 5 windows, 2 runs each
DAYS = ("2025-10-27", "2025-10-28")
DAY_KEYS = [f"{d}-{h:02d}:{m:02d}" for d in DAYS for h in range(24) for m in range(0, 60, 10)]
TERMINAL = {DagsterRunStatus.SUCCESS, DagsterRunStatus.FAILURE, DagsterRunStatus.CANCELED}
BACKFILL_TERMINAL = {"COMPLETED", "COMPLETED_SUCCESS", "COMPLETED_FAILED", "FAILED", "CANCELED"}

LAUNCH_BACKFILL = """
mutation ($params: LaunchBackfillParams!) {
  launchPartitionBackfill(backfillParams: $params) {
    __typename
    ... on LaunchBackfillSuccess { backfillId }
    ... on Error { message }
  }
}"""
BACKFILL = """
query ($id: String!) {
  partitionBackfillOrError(backfillId: $id) {
    ... on PartitionBackfill { status runs { runId status tags { key value } } }
  }
}"""


@pytest.fixture(scope="module")
def prod_server(pg_database, tmp_path_factory):
    home = tmp_path_factory.mktemp("prod_home")
    prod = make_prod_home(home, pg_database, CRYPTO_BACKFILL_WINDOWS_PER_RUN="144")
    with dagster_dev(prod) as server:
        instance = instance_for(prod)
        try:
            yield server, instance
        finally:
            instance.dispose()


def max_overlap(intervals: list[tuple[float, float]]) -> int:
    """Most intervals in progress at one moment (an end before a start at the same instant)."""
    points = sorted([(s, 1) for s, _ in intervals] + [(e, -1) for _, e in intervals])
    best = now = 0
    for _, step in points:
        now += step
        best = max(best, now)
    return best


def finished_records(instance, run_ids: list[str], timeout: float):
    def done():
        records = instance.get_run_records(RunsFilter(run_ids=run_ids))
        ok = len(records) == len(run_ids) and all(r.dagster_run.status in TERMINAL for r in records)
        return records if ok else None

    return wait_until(done, timeout, f"{len(run_ids)} runs to finish", interval=2.0)


def test_queue_limits_and_a_multi_day_backfill(prod_server):
    """Through the daemon's queue, at once: a 2-day asset backfill over GraphQL and 10 job runs
    (5 windows, twice each), with a global limit of 2.

    - never more than 2 runs in progress (run records' start and end times), all succeed;
    - the two runs of a window never overlap in time;
    - the backfill splits into one run per day (144 windows each) and every window of every
      asset is materialized exactly once.
    """
    server, instance = prod_server
    params = {"assetSelection": [{"path": [a]} for a in ASSETS], "partitionNames": DAY_KEYS}
    launched = server.gql(LAUNCH_BACKFILL, {"params": params})["launchPartitionBackfill"]
    assert launched["__typename"] == "LaunchBackfillSuccess", launched
    backfill_id = launched["backfillId"]
    client = DagsterGraphQLClient("127.0.0.1", port_number=server.port)
    run_ids = [
        client.submit_job_execution(
            "crypto_pipeline",
            repository_location_name=LOCATION,
            repository_name="__repository__",
            # Behind the backfill's runs (queued later by the backfill daemon): the day-runs'
            # long compute then overlaps the window runs' fetches, as in production.
            tags={"dagster/partition": key, "dagster/priority": "-1"},
        )
        for _ in range(2)
        for key in WINDOWS
    ]

    def backfill_done():
        data = server.gql(BACKFILL, {"id": backfill_id})["partitionBackfillOrError"]
        return data if data["status"] in BACKFILL_TERMINAL else None

    backfill = wait_until(backfill_done, 480, f"backfill {backfill_id}", interval=3.0)
    backfill_runs = [r["runId"] for r in backfill["runs"]]
    records = finished_records(instance, run_ids + backfill_runs, 300)

    statuses = {r.dagster_run.run_id: r.dagster_run.status for r in records}
    assert set(statuses.values()) == {DagsterRunStatus.SUCCESS}, statuses
    spans = {r.dagster_run.run_id: (r.start_time, r.end_time) for r in records}
    assert all(s and e for s, e in spans.values()), spans
    t0 = min(r.create_timestamp.timestamp() for r in records)
    for r in sorted(records, key=lambda r: r.start_time):
        tags = r.dagster_run.tags
        what = tags.get("dagster/partition") or tags.get("dagster/asset_partition_range_start")
        print(
            f"{what} queued {r.create_timestamp.timestamp() - t0:6.1f}"
            f" start {r.start_time - t0:6.1f} end {r.end_time - t0:6.1f}"
        )
    overlap = max_overlap(list(spans.values()))
    print(f"most runs in progress at once: {overlap} (limit {LIMIT})")
    assert 1 <= overlap <= LIMIT
    for key in WINDOWS:
        pair = sorted(
            spans[r.dagster_run.run_id]
            for r in records
            if r.dagster_run.tags.get("dagster/partition") == key
        )
        assert len(pair) == 2 and pair[0][1] <= pair[1][0], f"{key}: runs overlap {pair}"

    assert backfill["status"] in {"COMPLETED", "COMPLETED_SUCCESS"}, backfill
    assert len(backfill_runs) == len(DAYS), backfill["runs"]
    ranges = sorted(
        (t["dagster/asset_partition_range_start"], t["dagster/asset_partition_range_end"])
        for t in ({x["key"]: x["value"] for x in r["tags"]} for r in backfill["runs"])
    )
    assert ranges == [(f"{d}-00:00", f"{d}-23:50") for d in DAYS]
    for asset in ASSETS:
        found = instance.fetch_materializations(
            AssetRecordsFilter(asset_key=AssetKey(asset), asset_partitions=DAY_KEYS), limit=1000
        ).records
        keys = [r.partition_key for r in found]
        assert sorted(keys) == sorted(DAY_KEYS), f"{asset}: {len(keys)} materializations"
        assert {r.run_id for r in found} == set(backfill_runs), asset
