"""One alert per failed run: job, window(s), failing step, the error's first lines, a link.

A plain sensor reads RUN_FAILURE status changes after the storage id in its cursor. Dagster's
@run_failure_sensor advances its cursor past a run even when the sensor function raises
(run_status_sensor_definition.py), so a transport outage would lose that run's alert; here an
undelivered alert stays pending in the same cursor that records the progress.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

from dagster import (
    DagsterEventType,
    DagsterInstance,
    DagsterRun,
    DefaultSensorStatus,
    EventLogRecord,
    RunStatusChangeRecordsFilter,
    SensorDefinition,
    SensorEvaluationContext,
    SkipReason,
    sensor,
)
from dagster._utils.error import SerializableErrorInfo  # the failure event's error type

from crypto_assets.alerts.freshness import FRESHNESS_CHECKS_SENSOR
from crypto_assets.alerts.ledger import AlertLedger
from crypto_assets.alerts.links import run_url
from crypto_assets.alerts.message import Alert, dedup_key
from crypto_assets.alerts.transports import AlertTransportResource, deliver_tick
from crypto_assets.dagster_tags import (
    BACKFILL_ID_TAG,
    RANGE_END_TAG,
    RANGE_START_TAG,
    SCHEDULE_NAME_TAG,
    SENSOR_NAME_TAG,
)
from crypto_assets.dagster_tags import PARTITION_TAG as PARTITION_NAME_TAG
from crypto_assets.environment import Settings

RUN_FAILURE_SENSOR = "run_failure_alerts"
RULE = "run_failure"
BATCH = 100  # failures read per tick; more wait for the next tick
FIRST_TICK_LOOKBACK = timedelta(hours=1)  # a new sensor alerts recent failures, not all history
ERROR_LINES = 6
LINE_CHARS = 300
MACHINERY_SENSORS = {FRESHNESS_CHECKS_SENSOR}  # their runs only evaluate checks


def window_of(run: DagsterRun) -> str | None:
    """The run's partition, or `first...last` for a range run."""
    tags = run.tags
    start, end = tags.get(RANGE_START_TAG), tags.get(RANGE_END_TAG)
    if start and end:
        return start if start == end else f"{start}...{end}"
    return tags.get(PARTITION_NAME_TAG)


def failure_alert(
    instance: DagsterInstance, record: EventLogRecord, run: DagsterRun | None, ui_url: str
) -> Alert:
    """The alert for one RUN_FAILURE record (`run` None: the run was deleted since)."""
    run_id = record.run_id
    job = run.job_name if run else "unknown job"
    window = window_of(run) if run else None
    steps, error = _failure_details(instance, record)
    where = f" at {steps[0]}" if steps else ""
    at = datetime.fromtimestamp(record.timestamp, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
    lines = [
        f"Run {run_id} of job {job} failed{f' for window {window}' if window else ''}.",
        f"Launched by: {_launched_by(run)}",
        f"Failed step(s): {', '.join(steps) if steps else 'none (the run failed outside a step)'}",
        "Error:",
        *(f"  {line}" for line in error),
        f"Failed at {at}.",
    ]
    return Alert(
        rule=RULE,
        severity="WARNING",
        subject=f"Run failed: {job}{f' {window}' if window else ''}{where}",
        body="\n".join(lines),
        dedup_key=dedup_key(RULE, run_id),
        window=window,
        link=run_url(ui_url, run_id),
        numbers={"run_id": run_id, "job": job, "failed_steps": steps},
    )


def _launched_by(run: DagsterRun | None) -> str:
    tags = run.tags if run else {}
    for tag, kind in ((SCHEDULE_NAME_TAG, "schedule"), (SENSOR_NAME_TAG, "sensor")):
        if tags.get(tag):
            return f"{kind} {tags[tag]}"
    return f"backfill {tags[BACKFILL_ID_TAG]}" if tags.get(BACKFILL_ID_TAG) else "a user (UI/API)"


def _failure_details(
    instance: DagsterInstance, record: EventLogRecord
) -> tuple[list[str], list[str]]:
    """Failed step keys and the first lines of the first error (the step's, else the run's)."""
    failures = instance.get_records_for_run(
        record.run_id, of_type=DagsterEventType.STEP_FAILURE, limit=20
    ).records
    steps = [r.event_log_entry.step_key for r in failures if r.event_log_entry.step_key]
    error: SerializableErrorInfo | None = None
    if failures and (event := failures[0].event_log_entry.dagster_event):
        error = event.step_failure_data.error
    run_event = record.event_log_entry.dagster_event
    if error is None and run_event is not None:
        error = getattr(run_event.event_specific_data, "error", None)
    if error is None:
        text = (run_event.message if run_event else None) or "no error recorded"
        return steps, [text[:LINE_CHARS]]
    # Dagster wraps the raised exception (DagsterExecutionStepExecutionError, …): show that one.
    while error.cause is not None and (error.cls_name or "").startswith("Dagster"):
        error = error.cause
    lines = (error.message.strip() or error.cls_name or "error without a message").splitlines()
    if error.cause is not None:
        cause = error.cause.message.strip() or error.cause.cls_name or "?"
        lines.append(f"caused by: {cause.splitlines()[0]}")
    return steps, [line[:LINE_CHARS] for line in lines[:ERROR_LINES]]


def _failures_after(instance: DagsterInstance, ledger: AlertLedger) -> list[EventLogRecord]:
    if ledger.after_id is None:
        since = ledger.state.setdefault("since", time.time() - FIRST_TICK_LOOKBACK.total_seconds())
        records_filter = RunStatusChangeRecordsFilter(
            DagsterEventType.RUN_FAILURE, after_timestamp=since
        )
    else:
        records_filter = RunStatusChangeRecordsFilter(
            DagsterEventType.RUN_FAILURE, after_storage_id=ledger.after_id
        )
    return list(
        instance.fetch_run_status_changes(records_filter, limit=BATCH, ascending=True).records
    )


def build_run_failure_sensor(settings: Settings) -> SensorDefinition:
    """The sensor that alerts once per failed run of this instance."""

    @sensor(
        name=RUN_FAILURE_SENSOR,
        description=(
            "Sends one alert per failed run (job, window, failing step, error, link) to "
            "CRYPTO_ALERTS_SNS_TOPIC_ARN or the alerts.jsonl outbox. Undelivered alerts stay "
            "in the cursor and are retried every tick; none is sent twice."
        ),
        minimum_interval_seconds=15,  # one indexed query a tick; alerts within ~15 s
        default_status=DefaultSensorStatus.RUNNING,
    )
    def run_failure_alerts(
        context: SensorEvaluationContext, alerts: AlertTransportResource
    ) -> SkipReason:
        ledger = AlertLedger.from_cursor(context.cursor)
        records = _failures_after(context.instance, ledger)
        new = []
        for record in records:
            run = context.instance.get_run_by_id(record.run_id)
            if run is not None and run.tags.get(SENSOR_NAME_TAG) in MACHINERY_SENSORS:
                continue
            new.append(failure_alert(context.instance, record, run, settings.ui_url))
        if records:
            # Saved in the same cursor as the enqueued alerts: progress and alerts move together.
            ledger.after_id = records[-1].storage_id
            ledger.state.pop("since", None)
        return deliver_tick(context, ledger, alerts, new)

    return run_failure_alerts
