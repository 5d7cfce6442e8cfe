"""The market alert sensor on a real instance, after real replay materializations of the assets."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from dagster import (
    DagsterInstance,
    DefaultSensorStatus,
    build_sensor_context,
    instance_for_test,
    materialize,
)
from dagster._core.storage.tags import (
    ASSET_PARTITION_RANGE_END_TAG,
    ASSET_PARTITION_RANGE_START_TAG,
)

from crypto_assets.alerts.ledger import AlertDeliveryError, AlertLedger
from crypto_assets.alerts.market_rules import parse_rules
from crypto_assets.alerts.market_sensor import SENSOR_NAME, build_market_sensor
from crypto_assets.alerts.message import Alert
from crypto_assets.deployment import build_lake, build_resources
from crypto_assets.environment import Settings
from crypto_assets_tests.support.definitions import live_assets, replay_definitions

defs = replay_definitions()

# Fires for every coin row with no more mentions before it: each of these windows has one.
EVERY_WINDOW = """\
max_window_age: 2h
rules:
  mention_spike: {ratio: 1.01, min_mentions: 1, min_baseline_windows: 0}
"""
WINDOWS = ("2025-10-19-12:30", "2025-10-19-12:40", "2025-10-19-12:50")
SOON_AFTER = datetime(2025, 10, 19, 13, 5, tzinfo=UTC)


class Transport:
    """Records what it publishes, or fails every publish while `down`."""

    def __init__(self, down: bool = False) -> None:
        self.down = down
        self.sent: list[Alert] = []

    def publish(self, alert: Alert) -> None:
        """Record `alert`, or raise AlertDeliveryError while down."""
        if self.down:
            raise AlertDeliveryError("transport down")
        self.sent.append(alert)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Replay settings with all local state in a fresh folder."""
    return Settings.from_env({"CRYPTO_ASSETS_HOME": str(tmp_path), "CRYPTO_SOURCE": "replay"})


@pytest.fixture
def instance(tmp_path: Path) -> Iterator[DagsterInstance]:
    """A persistent instance (sensor contexts refuse an ephemeral one)."""
    home = tmp_path / "dagster"
    home.mkdir()
    with instance_for_test(temp_dir=str(home)) as instance:
        yield instance


class Ticks:
    """Evaluates the sensor like the daemon does: each tick gets the previous tick's cursor."""

    def __init__(
        self, settings: Settings, instance: DagsterInstance, now: datetime = SOON_AFTER
    ) -> None:
        rules = parse_rules(EVERY_WINDOW, "every_window.yaml")
        self.sensor = build_market_sensor(settings, rules=rules, clock=lambda: now)
        self.settings, self.instance, self.cursor = settings, instance, None

    def tick(self, transport: Transport) -> AlertLedger:
        """One evaluation; the ledger it leaves in the cursor."""
        resources = {"lake": build_lake(self.settings), "alerts": transport}
        with build_sensor_context(self.instance, self.cursor, resources=resources) as context:
            self.sensor(context)
            self.cursor = context.cursor
        return AlertLedger.from_cursor(self.cursor)


def run(settings: Settings, instance: DagsterInstance, **kwargs: object) -> None:
    """Materialize all five assets for a window (or a range) with the deployment's resources."""
    result = materialize(
        live_assets(defs), resources=build_resources(settings), instance=instance, **kwargs
    )
    assert result.success


def test_windows_landed_between_two_ticks_are_all_evaluated_and_alert_once(
    settings: Settings, instance: DagsterInstance
) -> None:
    for key in WINDOWS:  # three runs (a backfill) before the first tick
        run(settings, instance, partition_key=key)
    ticks, transport = Ticks(settings, instance), Transport()

    ledger = ticks.tick(transport)
    assert {a.window for a in transport.sent} == set(WINDOWS)
    assert all(a.rule == "mention_spike" for a in transport.sent)
    assert ledger.pending == [] and ledger.after_id is not None
    sent = len(transport.sent)

    assert ticks.tick(transport).after_id == ledger.after_id  # nothing new
    assert len(transport.sent) == sent

    run(settings, instance, partition_key=WINDOWS[1])  # the schedule re-reads a window
    after_rerun = ticks.tick(transport)
    assert after_rerun.after_id > ledger.after_id  # evaluated again ...
    assert len(transport.sent) == sent  # ... without alerting again


def test_a_range_run_is_evaluated_window_by_window_into_the_outbox(
    settings: Settings, instance: DagsterInstance
) -> None:
    tags = {ASSET_PARTITION_RANGE_START_TAG: WINDOWS[0], ASSET_PARTITION_RANGE_END_TAG: WINDOWS[-1]}
    run(settings, instance, tags=tags)  # the schedule's run: one run, three windows
    ticks = Ticks(settings, instance)
    ticks.tick(build_resources(settings)["alerts"])  # the deployment's transport: the outbox
    lines = settings.alerts_outbox.read_text().splitlines()
    alerts = [Alert.from_json(line) for line in lines]
    assert {a.window for a in alerts} == set(WINDOWS)
    assert all(a.link and a.window and a.window.replace(":", "%3A") in a.link for a in alerts)


def test_alerts_that_failed_to_send_go_out_on_the_next_tick_once(
    settings: Settings, instance: DagsterInstance
) -> None:
    run(settings, instance, partition_key=WINDOWS[-1])
    ticks, down, up = Ticks(settings, instance), Transport(down=True), Transport()

    ledger = ticks.tick(down)
    assert down.sent == [] and [a.window for a in ledger.pending] == [WINDOWS[-1]]

    ledger = ticks.tick(up)
    assert [a.symbol for a in up.sent] == ["ALGO"] and ledger.pending == []
    ticks.tick(up)
    assert len(up.sent) == 1


def test_windows_older_than_max_window_age_never_alert(
    settings: Settings, instance: DagsterInstance
) -> None:
    run(settings, instance, partition_key=WINDOWS[-1])
    transport = Transport()
    ledger = Ticks(settings, instance, now=datetime(2025, 11, 19, tzinfo=UTC)).tick(transport)
    assert transport.sent == [] and ledger.pending == []
    assert ledger.after_id is not None  # read past, never evaluated again


def test_the_sensor_definition(settings: Settings) -> None:
    sensor = build_market_sensor(settings)
    assert sensor.name == SENSOR_NAME
    assert sensor.default_status == DefaultSensorStatus.RUNNING
    assert sensor.required_resource_keys == {"lake", "alerts"}
    assert "alert_rules.yaml" in (sensor.description or "")


def test_market_alerts_reach_sns_subscribers_with_their_attributes(
    tmp_path: Path, instance: DagsterInstance, inbox, aws_env: str
) -> None:
    from crypto_assets_tests.alerts.conftest import sns_settings

    settings = sns_settings(tmp_path, inbox, aws_env)
    run(settings, instance, partition_key=WINDOWS[-1])
    ticks = Ticks(settings, instance)
    transport = build_resources(settings)["alerts"]  # the deployment's SNS publisher
    ticks.tick(transport)
    ticks.tick(transport)  # a second tick sends nothing again
    received = inbox.drain()
    assert received and all(m["attributes"]["rule"] == "mention_spike" for m in received)
    assert len({m["attributes"]["dedup_key"] for m in received}) == len(received)
    first = received[0]
    assert first["attributes"]["window"] == WINDOWS[-1]
    assert first["attributes"]["severity"] == "WARNING" and first["attributes"]["symbol"]
    assert len(first["subject"]) <= 99 and WINDOWS[-1] in first["message"]
    assert "mention_counts?view=partitions&partition=2025-10-19-12%3A50" in first["message"]
