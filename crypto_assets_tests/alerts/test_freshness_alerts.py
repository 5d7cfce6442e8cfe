"""Dagster's time-partition freshness check on mention_counts, evaluated for real against a
persistent instance, drives one "stale" and one "fresh again" alert per outage."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from pathlib import Path

import pytest
from dagster import (
    AssetMaterialization,
    AssetSelection,
    AssetSpec,
    DagsterInstance,
    Definitions,
    build_sensor_context,
    materialize,
)

from crypto_assets.alerts.freshness import (
    CHECK_KEY,
    FRESHNESS_ALERTS_SENSOR,
    PUBLISHED,
    REPLAY_NOT_JUDGED,
    build_freshness_alert_sensor,
    build_freshness_check_sensor,
    build_freshness_checks,
    deadline_cron,
    latest_evaluation,
)
from crypto_assets.defs.alerts.definitions import alert_checks, alert_sensors
from crypto_assets.defs.scope import BuildScope
from crypto_assets.deployment import build_resources
from crypto_assets.environment import Settings
from crypto_assets_tests.alerts.conftest import (
    UI_URL,
    MotoServer,
    SensorDriver,
    SnsInbox,
    outbox_alerts,
    sns_settings,
)
from crypto_assets_tests.support.definitions import replay_partitions

ten_minute_partitions = replay_partitions()


@pytest.fixture
def settings(tmp_path: Path, inbox: SnsInbox, aws_env: str) -> Settings:
    # Live: replay judges no freshness. The partitions stay the recordings' (a fixed span).
    return sns_settings(tmp_path, inbox, aws_env).model_copy(update={"source": "live"})


def location(settings: Settings) -> Definitions:
    """mention_counts (as a spec: the check only reads the instance) with the freshness check."""
    return Definitions(
        assets=[AssetSpec(PUBLISHED, partitions_def=ten_minute_partitions)],
        asset_checks=build_freshness_checks(settings),
        sensors=[build_freshness_check_sensor(settings)],
    )


def evaluate_check(settings: Settings, instance: DagsterInstance) -> str:
    """Execute the freshness check as its sensor's run does; the partition it expected."""
    checks = build_freshness_checks(settings)
    spec = AssetSpec(PUBLISHED, partitions_def=ten_minute_partitions)
    result = materialize(
        [spec, *checks], selection=AssetSelection.checks(*checks), instance=instance
    )
    [evaluation] = result.get_asset_check_evaluations()
    return re.search(r"partition (\S+) ", evaluation.description).group(1)


def land(instance: DagsterInstance, key: str) -> None:
    """mention_counts materialized for window `key` (as a pipeline run records it)."""
    instance.report_runless_asset_event(AssetMaterialization(PUBLISHED, partition=key))


def freshness_driver(
    settings: Settings, instance: DagsterInstance, stale_after: timedelta | None = None
) -> SensorDriver:
    if stale_after is None:
        [sensor] = [
            s
            for s in alert_sensors(BuildScope.over(settings, ten_minute_partitions))
            if s.name == FRESHNESS_ALERTS_SENSOR
        ]
    else:
        sensor = build_freshness_alert_sensor(
            settings, ten_minute_partitions, stale_after=stale_after
        )
    return SensorDriver(sensor, instance, build_resources(settings)["alerts"])


def test_the_check_fits_the_schedule_and_is_wired_into_the_location(settings: Settings) -> None:
    assert deadline_cron(settings) == "7-59/10 * * * *"  # 5 min after the :x2 schedule tick
    [check] = alert_checks(BuildScope.over(settings, ten_minute_partitions))
    assert list(check.check_keys) == [CHECK_KEY]
    names = {
        s.name: s.default_status.value
        for s in alert_sensors(BuildScope.over(settings, ten_minute_partitions))
    }
    assert names["mention_counts_freshness_checks"] == "RUNNING"
    assert names["mention_counts_freshness_alerts"] == "RUNNING"


def test_replay_judges_no_freshness_and_says_so(
    tmp_path: Path, inbox: SnsInbox, aws_env: str, instance: DagsterInstance
) -> None:
    replay = sns_settings(tmp_path, inbox, aws_env)
    sensors = {s.name: s for s in alert_sensors(BuildScope.over(replay, ten_minute_partitions))}
    assert sensors["mention_counts_freshness_checks"].default_status.value == "STOPPED"
    driver = SensorDriver(
        sensors[FRESHNESS_ALERTS_SENSOR], instance, build_resources(replay)["alerts"]
    )
    assert driver.tick() == REPLAY_NOT_JUDGED
    assert inbox.drain() == []


def test_the_checks_sensor_evaluates_when_due_and_again_once_data_lands(
    settings: Settings, instance: DagsterInstance
) -> None:
    defs = location(settings)
    sensor = build_freshness_check_sensor(settings)

    def requested() -> list:
        context = build_sensor_context(instance=instance, definitions=defs)
        return [k for r in sensor.evaluate_tick(context).run_requests for k in r.asset_check_keys]

    assert requested() == [CHECK_KEY]  # never evaluated
    expected = evaluate_check(settings, instance)
    assert requested() == []  # failed; nothing changes until mention_counts lands
    land(instance, expected)
    assert requested() == [CHECK_KEY]


def test_stale_alerts_once_and_fresh_again_alerts_once(
    settings: Settings, instance: DagsterInstance, inbox: SnsInbox
) -> None:
    driver = freshness_driver(settings, instance, stale_after=timedelta(0))
    assert driver.tick().startswith("0 alert(s) sent")  # never evaluated: nothing to judge

    expected = evaluate_check(settings, instance)  # never materialized: the check fails
    assert driver.tick().startswith("1 alert(s) sent")
    evaluate_check(settings, instance)  # still failing on later evaluations and ticks
    for _ in range(3):
        assert driver.tick().startswith("0 alert(s) sent")
    [stale] = inbox.drain()
    assert stale["subject"].startswith("STALE: mention_counts has no fresh window since ")
    assert stale["attributes"] == {
        "rule": "freshness_stale",
        "severity": "CRITICAL",
        "window": expected,
        "dedup_key": stale["attributes"]["dedup_key"],
    }
    body = stale["message"]
    assert f"mention_counts is stale: window {expected} is missing" in body
    assert "Last materialization of any window: never." in body
    assert body.endswith(f"\n\n{UI_URL}/assets/mention_counts?view=checks")

    land(instance, expected)
    assert evaluate_check(settings, instance) == expected
    assert latest_evaluation(instance).passed
    assert driver.tick().startswith("1 alert(s) sent")
    for _ in range(3):
        assert driver.tick().startswith("0 alert(s) sent")
    [fresh] = inbox.drain()
    assert fresh["subject"] == f"FRESH AGAIN: mention_counts has window {expected}"
    assert fresh["attributes"]["window"] == expected
    assert fresh["attributes"]["rule"] == "freshness_recovered"
    assert fresh["attributes"]["severity"] == "INFO"
    assert "mention_counts is fresh again" in fresh["message"]
    assert fresh["attributes"]["dedup_key"] != stale["attributes"]["dedup_key"]
    assert driver.ledger.state == {}


def test_a_check_failing_for_less_than_the_slack_sends_nothing(
    settings: Settings, instance: DagsterInstance, inbox: SnsInbox
) -> None:
    driver = freshness_driver(settings, instance)  # deployed: stale after two windows
    expected = evaluate_check(settings, instance)
    assert driver.tick().startswith("0 alert(s) sent")
    assert "failing_since" in driver.ledger.state  # the clock runs from the missed deadline
    land(instance, expected)
    evaluate_check(settings, instance)
    assert driver.tick().startswith("0 alert(s) sent")
    assert driver.ledger.state == {}
    assert inbox.drain() == []


def test_sns_down_while_stale_delays_the_alert_without_losing_or_doubling_it(
    settings: Settings, instance: DagsterInstance, inbox: SnsInbox, moto_server: MotoServer
) -> None:
    driver = freshness_driver(settings, instance, stale_after=timedelta(0))
    expected = evaluate_check(settings, instance)
    moto_server.stop()
    try:
        assert "1 NOT delivered" in driver.tick()
        assert "1 NOT delivered" in driver.tick()  # still one: stale is not re-raised
    finally:
        moto_server.start()
    assert driver.tick().startswith("1 alert(s) sent")
    land(instance, expected)
    evaluate_check(settings, instance)
    assert driver.tick().startswith("1 alert(s) sent")
    driver.tick()
    rules = [m["attributes"]["rule"] for m in inbox.drain()]
    assert rules == ["freshness_stale", "freshness_recovered"]


def test_outbox_holds_each_alert_once_even_when_a_tick_is_replayed(
    tmp_path: Path, instance: DagsterInstance
) -> None:
    settings = Settings.from_env({"CRYPTO_ASSETS_HOME": str(tmp_path / "home")})
    driver = freshness_driver(settings, instance, stale_after=timedelta(0))
    expected = evaluate_check(settings, instance)
    before = driver.cursor
    driver.tick()
    driver.cursor = before  # the daemon died after sending, before saving the cursor
    driver.tick()
    driver.tick()
    land(instance, expected)
    evaluate_check(settings, instance)
    driver.tick()
    driver.tick()
    alerts = outbox_alerts(settings.alerts_outbox)
    assert [a.rule for a in alerts] == ["freshness_stale", "freshness_recovered"]
    assert len({a.dedup_key for a in alerts}) == len(alerts)
    assert time.time() - alerts[0].numbers["overdue_since"] < 20 * 60
