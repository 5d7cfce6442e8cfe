"""End to end: a day's market_report, materialized on `dagster dev`, shows its picture in the UI."""

from __future__ import annotations

import os
import time
from urllib.parse import quote

import pytest

from crypto_assets.sources.history_replay import REPLAY_HISTORY_DAYS
from crypto_assets_tests.e2e.support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    PNG_SIGNATURE,
    REPO,
    run_details,
    wait_until,
)

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]

DAY = REPLAY_HISTORY_DAYS[2].isoformat()  # 2022-05-14: no other e2e test writes this day
SCREENSHOT = REPO / "docs/screenshots/market_report.png"
JOB = {"repositoryLocationName": "crypto_assets", "repositoryName": "__repository__"}
LAUNCH_RUN = """mutation ($p: ExecutionParams!) { launchRun(executionParams: $p) {
  __typename ... on LaunchRunSuccess { run { runId } } ... on Error { message } } }"""
IMAGE = "img[src^='data:image/png;base64,']"


def _run(server, job: str) -> dict:
    """Launch `job` for DAY through the run queue and wait until it ends."""
    tags = [{"key": "dagster/partition", "value": DAY}]
    params = {"selector": JOB | {"jobName": job}, "executionMetadata": {"tags": tags}}
    launched = server.gql(LAUNCH_RUN, {"p": params})["launchRun"]
    assert launched["__typename"] == "LaunchRunSuccess", launched
    run_id = launched["run"]["runId"]

    def ended() -> dict | None:
        details = run_details(server, run_id)
        return details if details["status"] in {"SUCCESS", "FAILURE", "CANCELED"} else None

    return wait_until(ended, 240, f"the {job} run of {DAY}", interval=1.0)


def test_a_reported_day_shows_its_picture_on_the_partition_page(dagster_server):
    sync_api = pytest.importorskip("playwright.sync_api")
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} missing: run scripts/ensure_chromium.sh")
    started = time.monotonic()
    history = _run(dagster_server, "history_days")
    assert history["status"] == "SUCCESS", history
    report = _run(dagster_server, "market_report_job")
    assert report["status"] == "SUCCESS", report
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
