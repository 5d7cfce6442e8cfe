"""End to end: the alert sensors in a live `dagster dev` (daemon included) put one outbox entry
per failed run, and the UI's Automation page lists them."""

from __future__ import annotations

import os
import shutil
import time

import pytest
from dagster_graphql import DagsterGraphQLClient

from crypto_assets.alerts.message import Alert, dedup_key
from crypto_assets.alerts.run_failure import RUN_FAILURE_SENSOR
from crypto_assets_tests.e2e.support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    LOCATION,
    PNG_SIGNATURE,
    REPO,
    wait_until,
)

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.timeout(600),
    pytest.mark.filterwarnings("ignore::DeprecationWarning:gql.*"),
]

WINDOW = "2025-10-19-12:40"
# Coinlore, live, at a port where nothing listens: the run fails in coin_listings, as offline.
DEAD_COINLORE = {
    "resources": {
        "coinlore": {
            "config": {"source": "live", "base_url": "http://127.0.0.1:9/api", "max_retries": 0}
        }
    }
}
SENSORS = (
    "run_failure_alerts",
    "mention_counts_freshness_checks",
    "mention_counts_freshness_alerts",
)
SCREENSHOT_COPY = REPO / "docs" / "screenshots" / "automation.png"

SENSOR_TICKS = """
query ($selector: SensorSelector!) {
  sensorOrError(sensorSelector: $selector) {
    __typename
    ... on Sensor { sensorState { status ticks(limit: 5) { timestamp status skipReason } } }
  }
}"""


def outbox(server) -> list[Alert]:
    """Every entry of $CRYPTO_ASSETS_HOME/alerts.jsonl."""
    path = server.home / "alerts.jsonl"
    return (
        [Alert.from_json(line) for line in path.read_text().splitlines()] if path.exists() else []
    )


def latest_tick(server, sensor: str) -> dict | None:
    selector = {"repositoryLocationName": LOCATION, "repositoryName": "__repository__"}
    data = server.gql(SENSOR_TICKS, {"selector": selector | {"sensorName": sensor}})
    state = data["sensorOrError"]["sensorState"]
    assert state["status"] == "RUNNING", f"{sensor} is {state['status']}"
    return state["ticks"][0] if state["ticks"] else None


def test_a_failed_run_puts_exactly_one_alert_in_the_outbox(dagster_server):
    client = DagsterGraphQLClient("127.0.0.1", port_number=dagster_server.port)
    run_id = client.submit_job_execution(
        "crypto_pipeline",
        repository_location_name=LOCATION,
        repository_name="__repository__",
        tags={"dagster/partition": WINDOW},
        run_config=DEAD_COINLORE,
    )

    def finished() -> str | None:
        status = client.get_run_status(run_id).value
        return status if status in {"SUCCESS", "FAILURE", "CANCELED"} else None

    assert wait_until(finished, 240, f"run {run_id} to finish", interval=2.0) == "FAILURE"

    key = dedup_key("run_failure", run_id)
    [alert] = wait_until(
        lambda: [a for a in outbox(dagster_server) if a.dedup_key == key],
        90,
        "the run failure alert in the outbox",
    )
    seen_at = time.time()
    assert alert.rule == "run_failure" and alert.window == WINDOW
    assert alert.subject.startswith(f"Run failed: crypto_pipeline {WINDOW} at ")
    assert f"Run {run_id} of job crypto_pipeline failed for window {WINDOW}." in alert.body
    assert "Failed step(s): coin_listings" in alert.body
    assert "SourceUnavailableError: GET http://127.0.0.1:9/api/tickers/ failed" in alert.body
    assert alert.link.endswith(f"/runs/{run_id}")

    # The daemon ticks the sensor again: still exactly one entry for the run, none doubled.
    wait_until(
        lambda: (t := latest_tick(dagster_server, RUN_FAILURE_SENSOR)) and t["timestamp"] > seen_at,
        75,
        "a later tick of the run failure sensor",
        interval=2.0,
    )
    entries = outbox(dagster_server)
    assert [a.dedup_key for a in entries].count(key) == 1
    assert len({a.dedup_key for a in entries}) == len(entries)


def test_automation_page_lists_the_alert_sensors(dagster_server, tmp_path):
    sync_api = pytest.importorskip("playwright.sync_api")
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} missing: run scripts/ensure_chromium.sh")
    assert dagster_server.gql("mutation { setNuxSeen }")["setNuxSeen"] is True
    png = tmp_path / "automation.png"

    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            page.goto(dagster_server.url + "/automation", wait_until="domcontentloaded")
            for name in SENSORS:
                sync_api.expect(page.get_by_text(name, exact=True).first).to_be_visible(
                    timeout=90_000
                )
            page.wait_for_load_state("networkidle", timeout=60_000)
            page.screenshot(path=str(png), full_page=True)
        finally:
            browser.close()

    data = png.read_bytes()
    assert data.startswith(PNG_SIGNATURE) and len(data) > 10_000
    SCREENSHOT_COPY.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(png, SCREENSHOT_COPY)
