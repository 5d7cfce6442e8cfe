"""End to end: a history backfill over GraphQL on a live `dagster dev` runs one run per day."""

from __future__ import annotations

import pytest

from crypto_assets.dagster_tags import RANGE_END_TAG, RANGE_START_TAG
from crypto_assets.sources.history_replay import REPLAY_HISTORY_DAYS
from crypto_assets_tests.e2e.support import (
    BACKFILL,
    BACKFILL_TERMINAL,
    LAUNCH_BACKFILL,
    run_details,
    wait_until,
)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.timeout(900),
    pytest.mark.filterwarnings("ignore::DeprecationWarning:gql.*"),
]

HISTORY = ["coin_listings", "reddit_posts", "sentiment_scores", "coin_mentions", "mention_counts"]
DAY_METADATA = """
query ($keys: [String!]!) {
  assetOrError(assetKey: {path: ["history", "mention_counts"]}) {
    ... on Asset {
      assetMaterializations(partitions: $keys) {
        partition runId
        metadataEntries { label ... on IntMetadataEntry { intValue } }
      }
    }
  }
}"""


def test_a_history_backfill_is_one_run_per_day_with_each_days_numbers(dagster_server):
    days = [day.isoformat() for day in REPLAY_HISTORY_DAYS[:2]]
    params = {
        "assetSelection": [{"path": ["history", name]} for name in HISTORY],
        "partitionNames": days,
    }
    launched = dagster_server.gql(LAUNCH_BACKFILL, {"params": params})["launchPartitionBackfill"]
    assert launched["__typename"] == "LaunchBackfillSuccess", launched

    def finished() -> dict | None:
        data = dagster_server.gql(BACKFILL, {"id": launched["backfillId"]})
        backfill = data["partitionBackfillOrError"]
        return backfill if backfill["status"] in BACKFILL_TERMINAL else None

    backfill = wait_until(finished, 600, "the history backfill to finish", interval=2.0)
    details = {r["runId"]: run_details(dagster_server, r["runId"]) for r in backfill["runs"]}
    assert backfill["status"] in {"COMPLETED", "COMPLETED_SUCCESS"}, details
    # One run per day (a one-partition range), all successful.
    assert all(d["status"] == "SUCCESS" for d in details.values()), details
    ranges = [
        (d["tags"].get(RANGE_START_TAG), d["tags"].get(RANGE_END_TAG)) for d in details.values()
    ]
    assert sorted(ranges) == [(day, day) for day in days], details

    data = dagster_server.gql(DAY_METADATA, {"keys": days})["assetOrError"]
    per_day = {
        m["partition"]: {e["label"]: e.get("intValue") for e in m["metadataEntries"]}
        for m in data["assetMaterializations"]
    }
    assert sorted(per_day) == days
    for day in days:
        assert per_day[day]["posts"] > 0 and per_day[day]["total_mentions"] > 0, per_day[day]
        lake = dagster_server.home / "lake" / "mention_counts"
        assert len(list(lake.glob(f"timestamp={day}T*/part-0.parquet"))) == 144
