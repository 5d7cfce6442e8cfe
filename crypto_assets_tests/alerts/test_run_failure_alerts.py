"""Real failed runs of crypto_pipeline (Coinlore on a local server answering 500) alert exactly
once over SNS on moto: across repeated ticks, an SNS outage and a daemon restart."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from dagster import DagsterInstance, Definitions

from crypto_assets.alerts.freshness import FRESHNESS_CHECKS_SENSOR
from crypto_assets.alerts.message import dedup_key
from crypto_assets.alerts.run_failure import RUN_FAILURE_SENSOR
from crypto_assets.defs.alerts.definitions import alert_sensors
from crypto_assets.defs.operations.definitions import crypto_pipeline
from crypto_assets.defs.scope import BuildScope
from crypto_assets.deployment import build_resources
from crypto_assets.environment import Settings
from crypto_assets.resources.sources import CoinloreResource
from crypto_assets_tests.alerts.conftest import (
    UI_URL,
    MotoServer,
    SensorDriver,
    SnsInbox,
    sns_settings,
)
from crypto_assets_tests.e2e.support import (
    busiest_range,
    busiest_window,
    crypto_posts_per_window,
    partition_key,
)
from crypto_assets_tests.sources.scripted_server import Reply, ScriptedServer, start_server
from crypto_assets_tests.support.definitions import (
    live_assets,
    replay_definitions,
    replay_partitions,
)

defs = replay_definitions()

POSTS = crypto_posts_per_window()
KEY = partition_key(busiest_window(POSTS))  # Reddit replays fine; only Coinlore fails
RANGE = [partition_key(w) for w in busiest_range(POSTS, 2, avoid=busiest_window(POSTS))]


@pytest.fixture
def coinlore_down() -> Iterator[ScriptedServer]:
    httpd, scripted = start_server()
    down = Reply({"error": "upstream unavailable"}, status=500, headers={"Retry-After": "0"})
    scripted.script("GET", "/api/tickers/", down)
    yield scripted
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def settings(tmp_path: Path, inbox: SnsInbox, aws_env: str) -> Settings:
    return sns_settings(tmp_path, inbox, aws_env)


def fail_pipeline(
    settings: Settings, server: ScriptedServer, instance: DagsterInstance, tags: dict[str, str]
) -> str:
    """Run crypto_pipeline with Coinlore answering 500 until retries run out; the run id."""
    coinlore = CoinloreResource(
        base_url=server.url("/api"), top_n=100, min_interval_s=0, max_retries=1
    )
    resources = build_resources(settings) | {"coinlore": coinlore}
    location = Definitions(assets=live_assets(defs), jobs=[crypto_pipeline], resources=resources)
    result = location.resolve_job_def("crypto_pipeline").execute_in_process(
        instance=instance, tags=tags, raise_on_error=False
    )
    assert not result.success
    return result.run_id


def run_failure_driver(settings: Settings, instance: DagsterInstance) -> SensorDriver:
    """The deployed sensor and `alerts` resource, as the code location builds them."""
    scope = BuildScope.over(settings, replay_partitions())
    [sensor] = [s for s in alert_sensors(scope) if s.name == RUN_FAILURE_SENSOR]
    return SensorDriver(sensor, instance, build_resources(settings)["alerts"])


def test_a_failed_run_alerts_once_with_job_window_step_error_and_link(
    settings: Settings, instance: DagsterInstance, inbox: SnsInbox, coinlore_down: ScriptedServer
) -> None:
    run_id = fail_pipeline(settings, coinlore_down, instance, {"dagster/partition": KEY})
    driver = run_failure_driver(settings, instance)

    assert driver.tick().startswith("1 alert(s) sent")
    [message] = inbox.drain()
    assert message["subject"] == f"Run failed: crypto_pipeline {KEY} at coin_listings"
    body = message["message"]
    assert body.startswith(f"Run {run_id} of job crypto_pipeline failed for window {KEY}.\n")
    assert "Launched by: a user (UI/API)" in body
    assert "Failed step(s): coin_listings" in body
    assert "/api/tickers/ failed after 2 attempts" in body and "500" in body
    assert body.endswith(f"\n\n{UI_URL}/runs/{run_id}")
    assert message["attributes"] == {
        "rule": "run_failure",
        "severity": "WARNING",
        "window": KEY,
        "dedup_key": dedup_key("run_failure", run_id),
    }

    for _ in range(3):  # later ticks see no new failure and resend nothing
        assert driver.tick().startswith("0 alert(s) sent")
    assert inbox.drain() == []


def test_sns_outage_and_daemon_restart_lose_nothing_and_duplicate_nothing(
    settings: Settings,
    instance: DagsterInstance,
    inbox: SnsInbox,
    moto_server: MotoServer,
    coinlore_down: ScriptedServer,
) -> None:
    driver = run_failure_driver(settings, instance)
    range_tags = {
        "dagster/asset_partition_range_start": RANGE[0],
        "dagster/asset_partition_range_end": RANGE[-1],
    }
    first = fail_pipeline(settings, coinlore_down, instance, range_tags)
    moto_server.stop()  # SNS unreachable from here on
    try:
        started = time.monotonic()
        assert "1 NOT delivered" in driver.tick()
        second = fail_pipeline(settings, coinlore_down, instance, {"dagster/partition": KEY})
        assert "2 NOT delivered" in driver.tick()
        assert time.monotonic() - started < 90  # bounded: one failed attempt per tick
    finally:
        moto_server.start()
    ledger = driver.ledger
    assert [a.dedup_key for a in ledger.pending] == [
        dedup_key("run_failure", first),
        dedup_key("run_failure", second),
    ]

    # A daemon restart: a new instance object and a freshly loaded sensor; only the cursor stays.
    restarted = run_failure_driver(settings, DagsterInstance.from_ref(instance.get_ref()))
    restarted.cursor = driver.cursor
    assert restarted.tick().startswith("2 alert(s) sent")
    restarted.tick()
    messages = inbox.drain()
    assert [m["attributes"]["dedup_key"] for m in messages] == [a.dedup_key for a in ledger.pending]
    window = f"{RANGE[0]}...{RANGE[-1]}"
    assert messages[0]["attributes"]["window"] == window
    assert messages[0]["subject"].startswith(f"Run failed: crypto_pipeline {window}")
    assert inbox.drain() == []
    assert restarted.ledger.pending == []


def test_runs_of_the_freshness_machinery_are_not_alerted(
    settings: Settings, instance: DagsterInstance, inbox: SnsInbox, coinlore_down: ScriptedServer
) -> None:
    tags = {"dagster/partition": KEY, "dagster/sensor_name": FRESHNESS_CHECKS_SENSOR}
    fail_pipeline(settings, coinlore_down, instance, tags)
    driver = run_failure_driver(settings, instance)
    assert driver.tick().startswith("0 alert(s) sent")
    assert driver.ledger.after_id is not None  # read past it, not stuck on it
    assert inbox.drain() == []
