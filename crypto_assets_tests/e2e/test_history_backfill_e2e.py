"""End to end on a live `dagster dev`: a history backfill over GraphQL runs one run per day, and
the days' reports (in the same backfill) show their picture on the partition page in Chromium."""

from __future__ import annotations

import os
import time
from urllib.parse import quote

import pytest

from crypto_assets.dagster_tags import RANGE_END_TAG, RANGE_START_TAG
from crypto_assets.sources.history_replay import REPLAY_HISTORY_DAYS
from crypto_assets_tests.e2e.support import (
    BACKFILL,
    BACKFILL_TERMINAL,
    CHROMIUM,
    CHROMIUM_ARGS,
    LAUNCH_BACKFILL,
    PNG_SIGNATURE,
    REPO,
    run_details,
    wait_until,
)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.timeout(900),
    pytest.mark.filterwarnings("ignore::DeprecationWarning:gql.*"),
]

HISTORY = ["coin_listings", "reddit_posts", "sentiment_scores", "coin_mentions", "mention_counts"]
DAYS = [day.isoformat() for day in REPLAY_HISTORY_DAYS[:2]]  # 2022-05-08 and 2022-05-13
REPORTED = DAYS[1]  # the LUNA crash day
SCREENSHOT = REPO / "docs/screenshots/market_report.png"
IMAGE = "img[src^='data:image/png;base64,']"
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


@pytest.fixture(scope="module")
def backfill(dagster_server) -> dict:
    """One asset backfill of DAYS: each day's five history assets, then its market_report."""
    assets = [{"path": ["history", name]} for name in HISTORY] + [{"path": ["market_report"]}]
    params = {"assetSelection": assets, "partitionNames": DAYS}
    launched = dagster_server.gql(LAUNCH_BACKFILL, {"params": params})["launchPartitionBackfill"]
    assert launched["__typename"] == "LaunchBackfillSuccess", launched

    def finished() -> dict | None:
        data = dagster_server.gql(BACKFILL, {"id": launched["backfillId"]})
        backfill = data["partitionBackfillOrError"]
        return backfill if backfill["status"] in BACKFILL_TERMINAL else None

    backfill = wait_until(finished, 600, "the history backfill to finish", interval=2.0)
    details = {r["runId"]: run_details(dagster_server, r["runId"]) for r in backfill["runs"]}
    assert backfill["status"] in {"COMPLETED", "COMPLETED_SUCCESS"}, details
    return details


def test_a_history_backfill_is_one_run_per_day_with_each_days_numbers(dagster_server, backfill):
    # One run per day for the history group and one per day for the report, all successful.
    assert all(d["status"] == "SUCCESS" for d in backfill.values()), backfill
    ranges = [
        (d["tags"].get(RANGE_START_TAG), d["tags"].get(RANGE_END_TAG)) for d in backfill.values()
    ]
    assert sorted(ranges) == sorted([(day, day) for day in DAYS] * 2), backfill

    data = dagster_server.gql(DAY_METADATA, {"keys": DAYS})["assetOrError"]
    per_day = {
        m["partition"]: {e["label"]: e.get("intValue") for e in m["metadataEntries"]}
        for m in data["assetMaterializations"]
    }
    assert sorted(per_day) == DAYS
    for day in DAYS:
        assert per_day[day]["posts"] > 0 and per_day[day]["total_mentions"] > 0, per_day[day]
        lake = dagster_server.home / "lake" / "mention_counts"
        assert len(list(lake.glob(f"timestamp={day}T*/part-0.parquet"))) == 144


def test_a_reported_day_shows_its_picture_on_the_partition_page(dagster_server, backfill):
    sync_api = pytest.importorskip("playwright.sync_api")
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} missing: run scripts/ensure_chromium.sh")
    started = time.monotonic()
    folder = dagster_server.home / "lake" / "reports" / f"day={REPORTED}"
    assert (folder / "report.png").read_bytes().startswith(PNG_SIGNATURE)
    assert "data:image/png;base64," in (folder / "report.html").read_text()

    assert dagster_server.gql("mutation { setNuxSeen }")["setNuxSeen"] is True
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            url = f"{dagster_server.url}/assets/market_report?view=partitions&partition={quote(REPORTED)}"
            page.goto(url, wait_until="domcontentloaded")
            # The short summary table shows inline; the UI puts Markdown of 1,000 characters
            # or more (the picture) behind a button that opens it in a dialog.
            sync_api.expect(page.get_by_text("price change %").first).to_be_visible(timeout=90_000)
            page.get_by_text("[Show Markdown]").first.click()
            image = page.locator(IMAGE).first
            sync_api.expect(image).to_be_visible(timeout=30_000)
            image.scroll_into_view_if_needed()
            page.wait_for_function(
                f'() => [...document.querySelectorAll("{IMAGE}")].some('
                "i => i.complete && i.naturalWidth > 0)",
                timeout=30_000,
            )
            width = image.evaluate("i => i.naturalWidth")
            sync_api.expect(page.get_by_text("replay (recorded data)").first).to_be_visible()
            page.wait_for_load_state("networkidle", timeout=60_000)
            page.screenshot(path=str(SCREENSHOT))
        finally:
            browser.close()
    assert width == 1000  # the rendered PNG's own width: the picture itself, not a placeholder
    assert SCREENSHOT.read_bytes().startswith(PNG_SIGNATURE)
    print(f"market_report e2e: {time.monotonic() - started:.1f} s")
