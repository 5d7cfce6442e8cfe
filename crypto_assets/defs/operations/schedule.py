"""The 10-minute schedule: each closed window after a settle delay, re-reading recent ones."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from dagster import (
    DefaultScheduleStatus,
    RunRequest,
    ScheduleDefinition,
    ScheduleEvaluationContext,
    SkipReason,
    schedule,
)

from crypto_assets.dagster_tags import RANGE_END_TAG, RANGE_START_TAG
from crypto_assets.defs.scope import BuildScope
from crypto_assets.sources.replay import recorded_post_times
from crypto_assets.windows import PARTITION_KEY_FORMAT, WINDOW

SCHEDULE_NAME = "crypto_pipeline_every_10_minutes"


def windows_for_tick(
    tick: datetime, settle_minutes: int, recheck_windows: int, start: datetime
) -> tuple[datetime, datetime] | None:
    """First and last window start a tick materializes: the window that closed before the
    settle delay, and the `recheck_windows - 1` windows before it (re-read for late posts)."""
    tick = tick.astimezone(UTC)
    settled = tick - timedelta(minutes=settle_minutes)
    last = datetime.fromtimestamp(settled.timestamp() // 600 * 600, UTC) - WINDOW
    first = last - (recheck_windows - 1) * WINDOW
    start = start.astimezone(UTC)
    if last < start:
        return None
    return max(first, start), last


def replay_skip_reason(subreddits: tuple[str, ...]) -> str:
    """Why replay mode has nothing for the present: the recordings' time span, to backfill."""
    times = [t for sub in subreddits for t in recorded_post_times(sub)]
    if not times:
        return "CRYPTO_SOURCE=replay: the recordings hold no posts of the configured subreddits"
    return (
        f"CRYPTO_SOURCE=replay: recorded posts span {min(times):%Y-%m-%d %H:%M} to "
        f"{max(times):%Y-%m-%d %H:%M} UTC, not the present; backfill windows in that span"
    )


def build_schedule(job_name: str, scope: BuildScope) -> ScheduleDefinition:
    """One range run per tick; reruns are idempotent and stored listings are kept, so a
    re-read only adds posts that reached Reddit's listing late."""
    settings = scope.settings
    settle, recheck = settings.settle_minutes, settings.recheck_windows
    first_window = scope.partitions.start

    @schedule(
        name=SCHEDULE_NAME,
        job_name=job_name,
        cron_schedule=f"{settle}-59/10 * * * *",
        execution_timezone="UTC",
        default_status=DefaultScheduleStatus.RUNNING,
        description=(
            f"Every 10 minutes, {settle} min after a window closes: that window and the "
            f"{recheck - 1} before it (late posts); stored listings are never refetched."
        ),
    )
    def _every_ten_minutes(context: ScheduleEvaluationContext) -> RunRequest | SkipReason:
        if settings.source == "replay":
            return SkipReason(replay_skip_reason(settings.subreddits))
        windows = windows_for_tick(context.scheduled_execution_time, settle, recheck, first_window)
        if windows is None:
            return SkipReason("no closed window after CRYPTO_PARTITIONS_START yet")
        first, last = (w.strftime(PARTITION_KEY_FORMAT) for w in windows)
        return RunRequest(
            run_key=f"{first}...{last}",
            tags={RANGE_START_TAG: first, RANGE_END_TAG: last},
        )

    return _every_ten_minutes
