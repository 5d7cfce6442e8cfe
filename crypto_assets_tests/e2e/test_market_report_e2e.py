"""End to end: a day's history and report in one asset backfill; the report's picture in the UI."""

from __future__ import annotations

import os
import time
from urllib.parse import quote

import pytest

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

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]

DAY = REPLAY_HISTORY_DAYS[2].isoformat()  # 2022-05-14: no other e2e test writes this day
SCREENSHOT = REPO / "docs/screenshots/market_report.png"
HISTORY = ["coin_listings", "reddit_posts", "sentiment_scores", "coin_mentions", "mention_counts"]
IMAGE = "img[src^='data:image/png;base64,']"


def _backfill(server) -> dict:
    """One asset backfill of DAY: the day's five history assets, then its report."""
    assets = [{"path": ["history", name]} for name in HISTORY] + [{"path": ["market_report"]}]
    params = {"assetSelection": assets, "partitionNames": [DAY]}
    launched = server.gql(LAUNCH_BACKFILL, {"params": params})["launchPartitionBackfill"]
    assert launched["__typename"] == "LaunchBackfillSuccess", launched

    def finished() -> dict | None:
        backfill = server.gql(BACKFILL, {"id": launched["backfillId"]})["partitionBackfillOrError"]
        return backfill if backfill["status"] in BACKFILL_TERMINAL else None

    backfill = wait_until(finished, 300, f"the backfill of {DAY}", interval=1.0)
    runs = {r["runId"]: run_details(server, r["runId"]) for r in backfill["runs"]}
    assert backfill["status"] in {"COMPLETED", "COMPLETED_SUCCESS"}, runs
    return runs


def test_a_reported_day_shows_its_picture_on_the_partition_page(dagster_server):
    sync_api = pytest.importorskip("playwright.sync_api")
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} missing: run scripts/ensure_chromium.sh")
    started = time.monotonic()
    runs = _backfill(dagster_server)
    assert len(runs) == 2 and all(r["status"] == "SUCCESS" for r in runs.values()), runs
    folder = dagster_server.home / "lake" / "reports" / f"day={DAY}"
    assert (folder / "report.png").read_bytes().startswith(PNG_SIGNATURE)
    assert "data:image/png;base64," in (folder / "report.html").read_text()

    assert dagster_server.gql("mutation { setNuxSeen }")["setNuxSeen"] is True
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            url = (
                f"{dagster_server.url}/assets/market_report?view=partitions&partition={quote(DAY)}"
            )
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
