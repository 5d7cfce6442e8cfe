"""End to end: scripts/screenshots.py materializes what the README shows and screenshots the UI."""

from __future__ import annotations

import os
import struct
import subprocess
import sys

import pytest

from crypto_assets_tests.e2e.support import REPO

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]

SCRIPT = REPO / "scripts/screenshots.py"
CHROMIUM = "/usr/bin/chromium"
PNGS = ("asset_graph", "partition_top_coins", "plots_after_backfill", "observations_after_backfill")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
VIEWPORT = (1400, 900)
WINDOW = "2025-10-19-12:40"
DAY = ("2025-10-20-00:00", "2025-10-20-23:50")

RUN = """query ($id: ID!) { runOrError(runId: $id) { ... on Run { status tags { key value } } } }"""
BACKFILL = """
query ($id: String!) {
  partitionBackfillOrError(backfillId: $id) {
    __typename
    ... on PartitionBackfill { status numPartitions runs { runId status tags { key value } } }
    ... on Error { message }
  }
}"""
RUNS_OF_BACKFILL = """
query ($id: String!) {
  runsOrError(filter: {tags: [{key: "dagster/backfill", value: $id}]}) {
    ... on Runs { results { runId } }
  }
}"""


def _tags(obj: dict) -> dict[str, str]:
    return {t["key"]: t["value"] for t in obj["tags"]}


def test_readme_screenshots(dagster_server, tmp_path):
    """The script launches one run for the window and a one-day backfill that makes exactly one
    run, then saves a full-viewport PNG of each README view."""
    pytest.importorskip("playwright.sync_api")
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} missing: run scripts/ensure_chromium.sh")
    command = [sys.executable, str(SCRIPT), "--url", dagster_server.url, "--out", str(tmp_path)]
    done = subprocess.run(
        [*command, "--materialize", "--timeout", "300"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=480,
        check=False,
    )
    assert done.returncode == 0, f"stdout:\n{done.stdout}\nstderr:\n{done.stderr[-6000:]}"
    launched = dict(line.split(" ", 1) for line in done.stdout.splitlines() if " " in line)

    for name in PNGS:
        data = (tmp_path / f"{name}.png").read_bytes()
        assert data.startswith(PNG_SIGNATURE), f"{name}: not a PNG"
        assert data[12:16] == b"IHDR" and struct.unpack(">II", data[16:24]) == VIEWPORT, name
        assert 30_000 < len(data) < 400_000, f"{name}: {len(data)} bytes"

    run = dagster_server.gql(RUN, {"id": launched["run"]})["runOrError"]
    assert run["status"] == "SUCCESS"
    assert _tags(run)["dagster/partition"] == WINDOW

    backfill_id = launched["backfill"]
    backfill = dagster_server.gql(BACKFILL, {"id": backfill_id})["partitionBackfillOrError"]
    assert backfill["__typename"] == "PartitionBackfill", backfill
    assert backfill["status"] in {"COMPLETED", "COMPLETED_SUCCESS"}
    assert backfill["numPartitions"] == 144
    assert len(backfill["runs"]) == 1, f"one run expected for the day: {backfill['runs']}"
    (only,) = backfill["runs"]
    tags = _tags(only)
    assert only["status"] == "SUCCESS"
    span = tags["dagster/asset_partition_range_start"], tags["dagster/asset_partition_range_end"]
    assert span == DAY
    tagged = dagster_server.gql(RUNS_OF_BACKFILL, {"id": backfill_id})["runsOrError"]["results"]
    assert [r["runId"] for r in tagged] == [only["runId"]]
