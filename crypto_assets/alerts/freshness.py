"""Freshness of mention_counts: Dagster's time-partition check, a sensor that evaluates it, and
an alert sensor sending one "stale" alert per outage and one "fresh again" when it ends.

FreshnessPolicy (1.13) judges the latest materialization of any partition, so a backfill of
last week would count as fresh; the time-partition check asks for the newest closed window.
"""

from __future__ import annotations

import time
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from dagster import (
    AssetCheckKey,
    AssetChecksDefinition,
    AssetCheckSeverity,
    AssetKey,
    DagsterInstance,
    DefaultSensorStatus,
    SensorDefinition,
    SensorEvaluationContext,
    SkipReason,
    SupersessionWarning,
    TimeWindowPartitionsDefinition,
    build_sensor_for_freshness_checks,
    build_time_partition_freshness_checks,
    partition_loading_context,
    sensor,
)

# The statuses of a finished check execution: no public constant names them.
from dagster._core.storage.asset_check_execution_record import (
    COMPLETED_ASSET_CHECK_EXECUTION_RECORD_STATUSES,
)

from crypto_assets.alerts.ledger import AlertLedger
from crypto_assets.alerts.links import asset_checks_url
from crypto_assets.alerts.message import Alert, dedup_key
from crypto_assets.alerts.transports import AlertTransportResource, deliver_tick
from crypto_assets.environment import Settings
from crypto_assets.windows import PARTITION_KEY_FORMAT, WINDOW

PUBLISHED = AssetKey("mention_counts")
CHECK_KEY = AssetCheckKey(PUBLISHED, "freshness_check")  # the name Dagster's factory gives
FRESHNESS_CHECKS_SENSOR = "mention_counts_freshness_checks"
FRESHNESS_ALERTS_SENSOR = "mention_counts_freshness_alerts"
GRACE_MINUTES = 5  # after the schedule's tick, for the run itself
STALE_AFTER = 2 * WINDOW  # a failing check alerts once it has failed this long
REPLAY_NOT_JUDGED = (
    "CRYPTO_SOURCE=replay: freshness is not judged against the clock; the recordings end in the "
    "past and the schedule skips on purpose (run the freshness check by hand to test a backfill)"
)
DEADLINE_KEY = "dagster/latest_cron_tick_timestamp"
LAST_UPDATED_KEY = "dagster/last_updated_timestamp"


def deadline_cron(settings: Settings) -> str:
    """Each window is due GRACE_MINUTES after the schedule's tick for it (minute 9 at the latest:
    a later deadline would already expect the next window)."""
    return f"{min(settings.settle_minutes + GRACE_MINUTES, 9)}-59/10 * * * *"


def build_freshness_checks(settings: Settings) -> list[AssetChecksDefinition]:
    """The freshness check of mention_counts (WARN in the UI; the alert sensor pages)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SupersessionWarning)  # see the module docstring
        return list(
            build_time_partition_freshness_checks(
                assets=[PUBLISHED],
                deadline_cron=deadline_cron(settings),
                timezone="UTC",
                severity=AssetCheckSeverity.WARN,
            )
        )


def build_freshness_check_sensor(settings: Settings) -> SensorDefinition:
    """Runs the check whenever it could have turned stale (and after a failure, once data lands).

    Replay mode has no present to be fresh for (its schedule skips on purpose), so there the
    sensor starts stopped and the check is only run by hand, against the recordings' last window.
    """
    replay = settings.source == "replay"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", SupersessionWarning)
        return build_sensor_for_freshness_checks(
            freshness_checks=build_freshness_checks(settings),
            minimum_interval_seconds=60,
            name=FRESHNESS_CHECKS_SENSOR,
            default_status=DefaultSensorStatus.STOPPED if replay else DefaultSensorStatus.RUNNING,
        )


@dataclass(frozen=True)
class Evaluation:
    """The latest completed freshness-check evaluation."""

    passed: bool
    deadline: float  # when the expected window was due
    last_updated: float | None  # latest materialization of any window, when the check failed
    description: str


def latest_evaluation(instance: DagsterInstance) -> Evaluation | None:
    """The newest completed evaluation of the check, if any."""
    records = instance.event_log_storage.get_asset_check_execution_history(
        CHECK_KEY, limit=1, status=COMPLETED_ASSET_CHECK_EXECUTION_RECORD_STATUSES
    )
    event = records[0].event if records else None
    evaluation = event.dagster_event.event_specific_data if event and event.dagster_event else None
    if evaluation is None:
        return None
    metadata = evaluation.metadata
    deadline = metadata.get(DEADLINE_KEY)
    updated = metadata.get(LAST_UPDATED_KEY)
    return Evaluation(
        passed=evaluation.passed,
        deadline=float(deadline.value) if deadline else records[0].create_timestamp,
        last_updated=float(updated.value) if updated else None,
        description=evaluation.description or "",
    )


def expected_window(partitions: TimeWindowPartitionsDefinition, deadline: float) -> str | None:
    """The partition the check expects at `deadline`, found as the check finds it: the newest
    window closed by then (in replay mode at most the recordings' last window)."""
    with partition_loading_context(datetime.fromtimestamp(deadline, UTC)):
        window = partitions.get_last_partition_window()
    return window.start.strftime(PARTITION_KEY_FORMAT) if window else None


def transition(
    state: dict,
    latest: Evaluation | None,
    now: float,
    stale_after: timedelta,
    ui_url: str,
    partitions: TimeWindowPartitionsDefinition,
) -> list[Alert]:
    """Update the stale/fresh state from the latest evaluation; the alerts a change calls for."""
    if latest is None:
        return []
    since = state.get("failing_since")
    if latest.passed:
        state.pop("failing_since", None)
        if not state.pop("stale", False):
            return []
        return [_alert("freshness_recovered", "INFO", latest, since, now, ui_url, partitions)]
    since = state.setdefault("failing_since", latest.deadline)
    if state.get("stale") or now - since < stale_after.total_seconds():
        return []
    state["stale"] = True
    return [_alert("freshness_stale", "CRITICAL", latest, since, now, ui_url, partitions)]


def _alert(
    rule: str,
    severity: str,
    latest: Evaluation,
    since: float,
    now: float,
    ui_url: str,
    partitions: TimeWindowPartitionsDefinition,
) -> Alert:
    window = expected_window(partitions, latest.deadline)
    shown = window or "(none yet)"
    minutes = round((now - since) / 60)
    due = datetime.fromtimestamp(since, UTC).strftime("%Y-%m-%d %H:%M UTC")
    if rule == "freshness_stale":
        subject = f"STALE: mention_counts has no fresh window since {due}"
        last = (
            datetime.fromtimestamp(latest.last_updated, UTC).strftime("%Y-%m-%d %H:%M UTC")
            if latest.last_updated
            else "never"
        )
        lines = [
            f"mention_counts is stale: window {shown} is missing; windows have been overdue "
            f"since {due} ({minutes} min).",
            f"Last materialization of any window: {last}.",
            f"Check: {latest.description}",
            "Look for failed runs of crypto_pipeline and whether its schedule is running.",
        ]
    else:
        subject = f"FRESH AGAIN: mention_counts has window {shown}"
        lines = [
            f"mention_counts is fresh again: window {shown} has arrived.",
            f"It was stale from {due} for about {minutes} min.",
        ]
    return Alert(
        rule=rule,
        severity=severity,
        subject=subject,
        body="\n".join(lines),
        dedup_key=dedup_key(rule, PUBLISHED.to_user_string(), since),
        window=window,
        link=asset_checks_url(ui_url, PUBLISHED),
        numbers={"overdue_since": since, "minutes": minutes},
    )


def build_freshness_alert_sensor(
    settings: Settings,
    partitions: TimeWindowPartitionsDefinition,
    stale_after: timedelta = STALE_AFTER,
) -> SensorDefinition:
    """The sensor that turns freshness-check results into one stale and one recovery alert."""

    @sensor(
        name=FRESHNESS_ALERTS_SENSOR,
        description=(
            f"Alerts once when mention_counts' freshness check has failed for "
            f"{stale_after.total_seconds() / 60:.0f} min (no fresh window), and once when it "
            "passes again. Undelivered alerts are retried every tick."
        ),
        minimum_interval_seconds=30,
        default_status=DefaultSensorStatus.RUNNING,
    )
    def mention_counts_freshness_alerts(
        context: SensorEvaluationContext, alerts: AlertTransportResource
    ) -> SkipReason:
        if settings.source == "replay":
            return SkipReason(REPLAY_NOT_JUDGED)
        ledger = AlertLedger.from_cursor(context.cursor)
        latest = latest_evaluation(context.instance)
        new = transition(
            ledger.state, latest, time.time(), stale_after, settings.ui_url, partitions
        )
        return deliver_tick(context, ledger, alerts, new)

    return mention_counts_freshness_alerts
