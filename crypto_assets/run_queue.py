"""One writer per 10-minute window through the run queue: day-block tags on every windowed run.

The queue daemon sees only run tags, and a tag limit keeps one counter per tag value: it cannot
tell that the ranges 00:00...00:50 and 00:30...01:20 overlap. So each run that writes windows
gets tags naming the UTC days it writes (a block is one UTC day, 144 windows), one key per day
parity: `crypto/window_block_even` = the even day it writes, `crypto/window_block_odd` = the odd
one (parity of days since 1970-01-01). A run of at most two days writes at most one day of each
parity, so the two keys hold them all. Two runs sharing a window share that window's day, hence
one of these tag values, and deploy/dagster.prod.yaml limits each value to one in-progress run.

Two runs writing different windows of the same day are kept apart too (conservative). Day-run
backfills lose nothing: CRYPTO_BACKFILL_WINDOWS_PER_RUN=144 chunks from a day start are whole
days (chunks from a start within a day share a day with each neighbour).

A run writing more than two days does not fit two keys, and no tag can make it exclusive: the
queue's counters are symmetric, so a counter it shared with every windowed run would serialize
all of those runs too. `WindowBlockRunCoordinator` fails such a run when it is submitted (tag
`crypto/window_block_wide`), before it is queued; backfills of at most 144 windows per run never
make one. Runs without window tags, or whose keys are not window keys (Dagster fails those
before any step writes), get no block tags. A history day-run (key `2022-05-13`) writes that
day's 144 windows and gets that day's block tag: two runs of the same day never run together.
History days never share a day with the live windows (their partitions end the day before).
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import date, datetime

from dagster import DagsterRun, DagsterRunStatus, QueuedRunCoordinator, SubmitRunContext

from crypto_assets.dagster_tags import (
    MAX_RETRIES_TAG,
    PARTITION_TAG,
    RANGE_END_TAG,
    RANGE_START_TAG,
)
from crypto_assets.windows import PARTITION_KEY_FORMAT as KEY_FORMAT

WINDOW_TAGS = (PARTITION_TAG, RANGE_START_TAG, RANGE_END_TAG)
EVEN_TAG = "crypto/window_block_even"
ODD_TAG = "crypto/window_block_odd"
WIDE_TAG = "crypto/window_block_wide"
# History day-runs are tagged so the queue can cap them and keep slots for the live schedule.
HISTORY_TAG = "crypto/history_day"
BLOCK_KEYS = (EVEN_TAG, ODD_TAG)
MAX_DAYS = 2
# Any run of at most a day of windows writes at most two UTC days, however it starts.
MAX_WINDOWS_PER_RUN = 144
_EPOCH = date(1970, 1, 1)

logger = logging.getLogger(__name__)


def window_days(tags: Mapping[str, str]) -> tuple[date, date] | None:
    """First and last UTC day of the windows a run's tags name; None without window tags or
    with a tag that is not a window key (Dagster fails such a run before any step writes)."""
    keys = [tags[key] for key in WINDOW_TAGS if key in tags]
    if not keys or ((RANGE_START_TAG in tags) != (RANGE_END_TAG in tags)):
        return None  # no window, or a range without one of its ends
    try:
        days = [_key_day(key) for key in keys]
    except ValueError:
        return None
    return min(days), max(days)


def _key_day(key: str) -> date:
    """The UTC day of a live window key (2025-10-19-12:10) or a history day key (2022-05-13)."""
    try:
        return datetime.strptime(key, KEY_FORMAT).date()
    except ValueError:
        return date.fromisoformat(key) if len(key) == len("YYYY-MM-DD") else _raise(key)


def _raise(key: str) -> date:
    raise ValueError(f"not a window or day key: {key!r}")


def block_key(day: date) -> str:
    """The tag key of a day: even or odd days since 1970-01-01."""
    return EVEN_TAG if (day - _EPOCH).days % 2 == 0 else ODD_TAG


def window_block_tags(tags: Mapping[str, str]) -> dict[str, str]:
    """The tags `WindowBlockRunCoordinator` adds to a run with these tags: one block tag per
    day written (at most two), `crypto/window_block_wide` alone beyond two days, else none."""
    span = window_days(tags)
    if span is None:
        return {}
    first, last = span
    if (last - first).days >= MAX_DAYS:
        return {WIDE_TAG: f"{first.isoformat()}..{last.isoformat()}"}
    blocks = {block_key(day): day.isoformat() for day in (first, last)}
    history = all(len(tags[key]) == len("YYYY-MM-DD") for key in WINDOW_TAGS if key in tags)
    return blocks | ({HISTORY_TAG: "true"} if history else {})


class WindowBlockRunCoordinator(QueuedRunCoordinator):
    """Dagster's `QueuedRunCoordinator` (same config) that tags each run with the UTC days it
    writes before queueing it, and fails a run writing more than two days."""

    def submit_run(self, context: SubmitRunContext) -> DagsterRun:
        run = context.dagster_run
        blocks = window_block_tags(run.tags)
        if not blocks:
            if any(key in run.tags for key in WINDOW_TAGS):
                logger.warning("run %s: window tags that are not window keys", run.run_id)
            return super().submit_run(context)
        if WIDE_TAG in blocks and run.status == DagsterRunStatus.NOT_STARTED:
            return self._refuse(run, blocks[WIDE_TAG])
        # Stored before the run is queued: the daemon reads the tags from the run storage.
        self._instance.add_run_tags(run.run_id, blocks)
        tagged = run.with_tags({**run.tags, **blocks})
        return super().submit_run(context._replace(dagster_run=tagged))

    def _refuse(self, run: DagsterRun, days: str) -> DagsterRun:
        # No automatic retry: a re-execution has the same tags and would be refused again.
        self._instance.add_run_tags(run.run_id, {WIDE_TAG: days, MAX_RETRIES_TAG: "0"})
        self._instance.report_run_failed(
            run,
            f"Not queued: this run writes the windows of UTC days {days}, more than "
            f"{MAX_DAYS}. The queue keeps runs that share a window apart by the days they "
            f"write, {MAX_DAYS} at most per run (crypto_assets.run_queue). Launch it as runs of "
            f"at most {MAX_WINDOWS_PER_RUN} windows (a backfill with "
            f"CRYPTO_BACKFILL_WINDOWS_PER_RUN={MAX_WINDOWS_PER_RUN}); history days as the "
            "history_days job's backfills launch them, one day per run.",
        )
        refused = self._instance.get_run_by_id(run.run_id)
        assert refused is not None
        return refused
