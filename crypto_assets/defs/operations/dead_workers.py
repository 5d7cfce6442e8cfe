"""Fails STARTED runs whose worker process has died, so they stop holding their pools."""

from __future__ import annotations

import os
from pathlib import Path

from dagster import (
    DagsterEventType,
    DagsterInstance,
    DagsterRunStatus,
    DefaultRunLauncher,
    DefaultSensorStatus,
    Definitions,
    RunsFilter,
    SensorEvaluationContext,
    SkipReason,
    definitions,
    sensor,
)
from dagster._core.storage.runs import SqliteRunStorage  # is-SQLite test: no public type

# Why Dagster's own machinery is not enough here: run monitoring checks a STARTED run's worker
# only through the run launcher, and DefaultRunLauncher has no health check
# (supports_check_run_worker_health is False). The code server does fail a run whose worker
# process it spawned itself, but nothing watches an in-process `dagster asset materialize` run,
# nor the runs of a `dagster dev` that was itself killed. Such a run stays STARTED forever and
# the run queue keeps counting it against its pools, so every later run waits behind it.
CHECK_INTERVAL_S = 30
_PID_EVENTS_TO_READ = 20


def worker_pid(instance: DagsterInstance, run_id: str) -> int | None:
    """The pid of the process that executes the run, from its first engine event naming one."""
    records = instance.event_log_storage.get_records_for_run(
        run_id, of_type=DagsterEventType.ENGINE_EVENT, limit=_PID_EVENTS_TO_READ
    ).records
    for record in records:
        event = record.event_log_entry.dagster_event
        pid = event.engine_event_data.metadata.get("pid") if event else None
        if pid is not None and str(pid.value).isdigit():
            return int(pid.value)
    return None


def process_alive(pid: int) -> bool:
    """Whether a process with this pid exists on this machine and is not a zombie."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True  # no procfs (macOS): the signal probe is all there is
    # A killed process whose parent has not reaped it yet still answers signal 0.
    return stat.rsplit(")", 1)[-1].split()[0] not in {"Z", "X"}


def fail_dead_runs(instance: DagsterInstance) -> list[str]:
    """Mark failed every STARTED run whose worker is gone, free its slots; return their ids."""
    failed = []
    for record in instance.get_run_records(RunsFilter(statuses=[DagsterRunStatus.STARTED])):
        run_id = record.dagster_run.run_id
        pid = worker_pid(instance, run_id)
        if pid is None or process_alive(pid):
            continue
        # A worker that finished normally recorded its end before exiting: re-read the status.
        run = instance.get_run_by_id(run_id)
        if run is None or run.status != DagsterRunStatus.STARTED:
            continue
        instance.report_run_failed(
            run,
            f"Run worker process {pid} is gone (killed, or out of memory) while the run was"
            " STARTED; marked failed so that its pools are released.",
        )
        instance.event_log_storage.free_concurrency_slots_for_run(run_id)
        failed.append(run_id)
    return failed


def _same_machine(instance: DagsterInstance) -> bool:
    # A pid means the same process only where every run worker shares this machine: the
    # embedded default of SQLite storage and the default run launcher.
    return (
        os.name == "posix"
        and isinstance(instance.run_launcher, DefaultRunLauncher)
        and isinstance(instance.run_storage, SqliteRunStorage)
    )


@sensor(
    name="fail_runs_with_dead_workers",
    minimum_interval_seconds=CHECK_INTERVAL_S,
    default_status=DefaultSensorStatus.RUNNING,
    description="Marks failed the runs whose worker process died, so they stop blocking pools.",
)
def fail_runs_with_dead_workers(context: SensorEvaluationContext) -> SkipReason:
    """Fail STARTED runs whose worker died (kill -9, out of memory) on the embedded instance."""
    if not _same_machine(context.instance):
        return SkipReason("Only checks local run workers (SQLite storage, DefaultRunLauncher).")
    failed = fail_dead_runs(context.instance)
    if not failed:
        return SkipReason("Every STARTED run has a live worker.")
    context.log.warning(f"Marked failed runs whose worker died: {', '.join(failed)}")
    return SkipReason(f"Marked {len(failed)} run(s) failed: {', '.join(failed)}")


@definitions
def defs() -> Definitions:
    """The dead-worker sensor (the same for every setting)."""
    return Definitions(sensors=[fail_runs_with_dead_workers])
