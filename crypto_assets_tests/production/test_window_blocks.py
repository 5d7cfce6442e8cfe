"""Day-block tags (crypto_assets.run_queue): the helper, the queue's limits on them, and the
coordinator on a throwaway instance. No PostgreSQL or daemon needed."""

from __future__ import annotations

import itertools
import uuid
from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest
import yaml
from dagster import DagsterRun, DagsterRunStatus
from dagster._core.remote_origin import (
    RegisteredCodeLocationOrigin,
    RemoteJobOrigin,
    RemoteRepositoryOrigin,
)
from dagster._core.run_coordinator import QueuedRunCoordinator, SubmitRunContext
from dagster._core.test_utils import instance_for_test
from dagster._utils.tags import TagConcurrencyLimitsCounter

from crypto_assets.environment import POSTGRES_VARS, ConfigurationError, Settings
from crypto_assets.production import PROD_INSTANCE_YAML, instance_yaml
from crypto_assets.run_queue import (
    EVEN_TAG,
    HISTORY_TAG,
    KEY_FORMAT,
    ODD_TAG,
    PARTITION_TAG,
    RANGE_END_TAG,
    RANGE_START_TAG,
    WIDE_TAG,
    WindowBlockRunCoordinator,
    window_block_tags,
)

PROD = yaml.safe_load(PROD_INSTANCE_YAML.read_text())
LIMITS = PROD["concurrency"]["runs"]["tag_concurrency_limits"]
WINDOW = timedelta(minutes=10)
# 2025-10-20 is day 20381 since 1970-01-01: odd.


def span(first: str, last: str) -> dict[str, str]:
    return {RANGE_START_TAG: first, RANGE_END_TAG: last}


@pytest.mark.parametrize(
    ("tags", "expected"),
    [
        ({PARTITION_TAG: "2025-10-20-00:10"}, {ODD_TAG: "2025-10-20"}),
        ({PARTITION_TAG: "2025-10-21-23:50"}, {EVEN_TAG: "2025-10-21"}),
        (span("2025-10-20-00:00", "2025-10-20-23:50"), {ODD_TAG: "2025-10-20"}),
        (
            span("2025-10-20-23:30", "2025-10-21-00:20"),  # across midnight
            {ODD_TAG: "2025-10-20", EVEN_TAG: "2025-10-21"},
        ),
        (
            span("2025-10-20-00:10", "2025-10-21-00:00"),  # 144 windows, not day-aligned
            {ODD_TAG: "2025-10-20", EVEN_TAG: "2025-10-21"},
        ),
        (span("2025-10-20-00:00", "2025-10-22-00:00"), {WIDE_TAG: "2025-10-20..2025-10-22"}),
        (span("2025-10-20-12:00", "2025-10-23-11:50"), {WIDE_TAG: "2025-10-20..2025-10-23"}),
        ({}, {}),
        ({"dagster/backfill": "abc", "team": "x"}, {}),
        ({PARTITION_TAG: "2025-10-20"}, {ODD_TAG: "2025-10-20", HISTORY_TAG: "true"}),  # a day
        (
            span("2022-05-13", "2022-05-14"),
            {ODD_TAG: "2022-05-13", EVEN_TAG: "2022-05-14", HISTORY_TAG: "true"},
        ),
        (span("2022-05-13", "2022-05-15"), {WIDE_TAG: "2022-05-13..2022-05-15"}),
        ({PARTITION_TAG: "2025-10-2"}, {}),  # malformed
        ({PARTITION_TAG: "yesterday"}, {}),
        (span("2025-10-20-00:00", "later"), {}),
        ({RANGE_START_TAG: "2025-10-20-00:00"}, {}),  # a range without its end
    ],
)
def test_window_block_tags(tags, expected):
    assert window_block_tags(tags) == expected


def test_key_format_is_the_partitions_format():
    from crypto_assets.partitions import PARTITION_KEY_FORMAT

    assert KEY_FORMAT == PARTITION_KEY_FORMAT


def _run(first: datetime, windows: int) -> SimpleNamespace:
    last = first + (windows - 1) * WINDOW
    tags = span(first.strftime(KEY_FORMAT), last.strftime(KEY_FORMAT))
    if windows == 1:
        tags = {PARTITION_TAG: first.strftime(KEY_FORMAT)}
    tags |= window_block_tags(tags)
    return SimpleNamespace(tags=tags, days={(first + i * WINDOW).date() for i in range(windows)})


def test_the_queue_limits_keep_runs_sharing_a_window_apart():
    """With the production limits, an in-progress run blocks another exactly when the two
    write a common day; in particular whenever they share a window (partly overlapping
    ranges included), and never when their days differ."""
    day = datetime(2025, 10, 20)
    starts = [day + i * 7 * WINDOW for i in range(60)]  # 70 minutes apart over 3 days
    runs = [_run(s, n) for s in starts for n in (1, 6, 60, 143, 144)]
    for a, b in itertools.product(runs, repeat=2):
        blocked = TagConcurrencyLimitsCounter(LIMITS, [a]).is_blocked(b)
        assert blocked == bool(a.days & b.days), (a.tags, b.tags)
    overlapping = _run(day, 6), _run(day + 3 * WINDOW, 6)  # 00:00-00:50 and 00:30-01:20
    assert TagConcurrencyLimitsCounter(LIMITS, [overlapping[0]]).is_blocked(overlapping[1])


def test_the_coordinator_takes_the_queued_run_coordinators_config():
    assert issubclass(WindowBlockRunCoordinator, QueuedRunCoordinator)  # the daemon needs it
    for method in ("config_type", "from_config_value", "__init__"):
        assert method not in vars(WindowBlockRunCoordinator), f"{method} is inherited"
    assert PROD["run_coordinator"] == {
        "module": "crypto_assets.run_queue",
        "class": "WindowBlockRunCoordinator",
    }
    blocks = [x for x in LIMITS if x["key"] != HISTORY_TAG]
    assert {x["key"] for x in blocks} == {EVEN_TAG, ODD_TAG}
    assert all(x["limit"] == 1 and x["value"] == {"applyLimitPerUniqueValue": True} for x in blocks)


@pytest.mark.parametrize(("runs", "history"), [(4, 2), (2, 1), (1, 1), (9, 4)])
def test_history_day_runs_get_half_the_run_slots(runs: int, history: int):
    pg = {v: "5432" for v in POSTGRES_VARS}
    text = instance_yaml(Settings.from_env(pg | {"DAGSTER_MAX_CONCURRENT_RUNS": str(runs)}))
    limits = yaml.safe_load(text)["concurrency"]["runs"]["tag_concurrency_limits"]
    assert {x["key"]: x["limit"] for x in limits}[HISTORY_TAG] == history


def test_the_instance_file_refuses_backfill_runs_of_more_than_a_day():
    pg = {v: "5432" for v in POSTGRES_VARS}
    with pytest.raises(ConfigurationError, match="CRYPTO_BACKFILL_WINDOWS_PER_RUN=145"):
        instance_yaml(Settings.from_env(pg | {"CRYPTO_BACKFILL_WINDOWS_PER_RUN": "145"}))
    assert instance_yaml(Settings.from_env(pg | {"CRYPTO_BACKFILL_WINDOWS_PER_RUN": "144"}))


@pytest.fixture
def instance():
    coordinator = {
        "module": "crypto_assets.run_queue",
        "class": "WindowBlockRunCoordinator",
        "config": {
            "max_concurrent_runs": 3,
            "dequeue_interval_seconds": 1,
            "tag_concurrency_limits": LIMITS,
            "max_user_code_failure_retries": 1,
        },
    }
    with instance_for_test(overrides={"run_coordinator": coordinator}) as instance:
        assert isinstance(instance.run_coordinator, WindowBlockRunCoordinator)
        yield instance


ORIGIN = RemoteJobOrigin(
    repository_origin=RemoteRepositoryOrigin(
        code_location_origin=RegisteredCodeLocationOrigin("crypto_assets"),
        repository_name="__repository__",
    ),
    job_name="crypto_pipeline",
)


def submit(instance, tags: dict[str, str]) -> DagsterRun:
    """Create a run and hand it to the coordinator, as `instance.submit_run` does."""
    run = DagsterRun(
        job_name="crypto_pipeline", run_id=str(uuid.uuid4()), tags=tags, remote_job_origin=ORIGIN
    )
    instance.add_run(run)
    instance.run_coordinator.submit_run(SubmitRunContext(run, workspace=None))
    stored = instance.get_run_by_id(run.run_id)
    assert stored is not None
    return stored


def test_the_coordinator_tags_and_queues_windowed_runs(instance):
    queue = instance.get_concurrency_config().run_queue_config
    assert (queue.max_concurrent_runs, queue.tag_concurrency_limits) == (3, LIMITS)
    assert instance.run_coordinator.dequeue_interval_seconds == 1
    tags = span("2025-10-20-23:30", "2025-10-21-00:20")
    run = submit(instance, tags)
    assert run.status == DagsterRunStatus.QUEUED
    assert run.tags == tags | {ODD_TAG: "2025-10-20", EVEN_TAG: "2025-10-21"}
    plain = submit(instance, {"team": "x"})
    assert plain.status == DagsterRunStatus.QUEUED and plain.tags == {"team": "x"}


def test_the_coordinator_fails_a_run_wider_than_two_days(instance):
    run = submit(instance, span("2025-10-20-00:00", "2025-10-22-23:50"))
    assert run.status == DagsterRunStatus.FAILURE
    assert run.tags[WIDE_TAG] == "2025-10-20..2025-10-22"
    assert run.tags["dagster/max_retries"] == "0"
    assert EVEN_TAG not in run.tags and ODD_TAG not in run.tags
    (failure,) = [
        e
        for e in instance.all_logs(run.run_id)
        if e.dagster_event and e.dagster_event.is_run_failure
    ]
    assert "2025-10-20..2025-10-22" in failure.message and "144 windows" in failure.message
