"""A run whose worker is killed must not block later runs; queued runs cancel at once.

Real `dagster dev` (webserver + daemon) on the repo's dagster.yaml. A run hangs inside
`coin_listings` (its Coinlore requests go to a server that never answers) holding the
`coinlore_api` pool, its worker gets SIGKILL, and a later run of the same pool must complete.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import time
from collections.abc import Callable, Iterator

import pytest

from crypto_assets.defs.operations.dead_workers import CHECK_INTERVAL_S
from crypto_assets_tests.crashed_runs_support import (
    TERMINAL,
    dagster_dev,
    hanging_coinlore,
    instance_env,
    launch_run,
    pool_users,
    run_info,
    run_status,
    silent_server,
    started_run_ids,
    stop_group,
    terminate,
)
from crypto_assets_tests.e2e.support import REPO, DagsterServer, wait_until

pytestmark = [pytest.mark.slow, pytest.mark.e2e, pytest.mark.timeout(600)]

WORKER_PID = re.compile(r"Started process for run \(pid: (\d+)\)")
# Longer than the queue daemon's 5 s dequeue interval: a run still QUEUED is being held.
QUEUE_HOLD_S = 8


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[DagsterServer]:
    with dagster_dev(tmp_path_factory.mktemp("crashed_runs")) as running:
        yield running


@pytest.fixture(scope="module")
def silent_port() -> Iterator[int]:
    with silent_server() as port:
        yield port


def _wait(server: DagsterServer, probe: Callable, timeout: float, what: str) -> object:
    try:
        return wait_until(probe, timeout, what, interval=0.5)
    except AssertionError as exc:
        tail = server.log_path.read_text(errors="replace")[-6000:]
        raise AssertionError(f"{exc}\n--- dagster dev log (tail) ---\n{tail}") from None


def _in_listing_step(server: DagsterServer, run_id: str) -> list[dict] | None:
    status, events = run_info(server, run_id)
    assert status not in TERMINAL, f"run {run_id} ended {status} before the kill"
    started = any(
        e["__typename"] == "ExecutionStepStartEvent" and e["stepKey"] == "coin_listings"
        for e in events
    )
    return events if started else None


def _ended(server: DagsterServer, run_id: str) -> Callable[[], str | None]:
    def probe() -> str | None:
        status = run_status(server, run_id)
        return status if status in TERMINAL else None

    return probe


def _assert_pool_free(server: DagsterServer) -> None:
    assert started_run_ids(server) == []
    assert pool_users(server, "coinlore_api") == {"activeRunIds": [], "pendingStepRunIds": []}


def test_killed_run_worker_is_failed_and_the_next_run_completes(
    server: DagsterServer, silent_port: int
) -> None:
    """SIGKILL of a `dagster dev` run worker inside coin_listings: the run ends FAILURE
    within seconds, and the run queued behind its pool completes without any clean-up."""
    crashed = launch_run(server, "2025-10-19-12:20", hanging_coinlore(silent_port))
    events = _wait(server, lambda: _in_listing_step(server, crashed), 120, "the hanging step")
    pid = int(next(m[1] for e in events if (m := WORKER_PID.match(e.get("message") or ""))))
    later = launch_run(server, "2025-10-19-12:30")
    time.sleep(QUEUE_HOLD_S)
    assert run_status(server, later) == "QUEUED", "the pool let a second run start"

    os.kill(pid, signal.SIGKILL)
    killed = time.monotonic()
    assert _wait(server, _ended(server, crashed), 60, "the killed run to end") == "FAILURE"
    failed_after = time.monotonic() - killed
    _wait(server, lambda: run_status(server, later) != "QUEUED", 60, "the queue to release")
    released_after = time.monotonic() - killed
    assert _wait(server, _ended(server, later), 120, "the later run") == "SUCCESS"
    _assert_pool_free(server)
    print(f"\nworker kill -> FAILURE {failed_after:.1f}s, next run dequeued {released_after:.1f}s")


def test_killed_cli_run_is_failed_by_the_sensor(server: DagsterServer, silent_port: int) -> None:
    """SIGKILL of an in-process `dagster asset materialize` run (no code server watches it):
    the fail_runs_with_dead_workers sensor marks it FAILURE and the queued run completes."""
    command = [str(REPO / ".venv/bin/dagster"), "asset", "materialize", "-m"]
    command += ["crypto_assets.definitions", "--select", "coin_listings"]
    command += ["--partition", "2025-10-19-13:00"]
    command += ["--config-json", json.dumps(hanging_coinlore(silent_port))]
    cli = subprocess.Popen(
        command,
        cwd=REPO,
        env=instance_env(server.home),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:

        def cli_run_in_step() -> str | None:
            for run_id in started_run_ids(server):
                events = _in_listing_step(server, run_id) or []
                if any(f"(pid: {cli.pid})" in (e.get("message") or "") for e in events):
                    return run_id
            return None

        crashed = _wait(server, cli_run_in_step, 120, "the CLI run to hang in coin_listings")
        later = launch_run(server, "2025-10-19-13:10")
        time.sleep(QUEUE_HOLD_S)
        assert run_status(server, later) == "QUEUED", "the pool let a second run start"
        os.kill(cli.pid, signal.SIGKILL)
        cli.wait(timeout=30)
        killed = time.monotonic()
        deadline = CHECK_INTERVAL_S + 60
        assert _wait(server, _ended(server, crashed), deadline, "the sensor") == "FAILURE"
        failed_after = time.monotonic() - killed
        _, events = run_info(server, crashed)
        assert any(f"{cli.pid} is gone" in (e.get("message") or "") for e in events)
        assert _wait(server, _ended(server, later), 120, "the later run") == "SUCCESS"
        released_after = time.monotonic() - killed
        _assert_pool_free(server)
        print(f"\nCLI kill -> FAILURE {failed_after:.1f}s, next run done {released_after:.1f}s")
    finally:
        stop_group(cli)


def test_queued_run_cancels_at_once_and_a_running_one_terminates(
    server: DagsterServer, silent_port: int
) -> None:
    """A run queued behind a pool has no worker (nothing spins) and cancels within seconds;
    the run holding the pool, inside its hanging step, honours Terminate too."""
    holder = launch_run(server, "2025-10-19-14:00", hanging_coinlore(silent_port))
    _wait(server, lambda: _in_listing_step(server, holder), 120, "the hanging step")
    # The whole pipeline: with `op` pools it would start (reddit_posts' pool is free) and spin
    # in its worker waiting for coinlore_api; with `run` pools it waits in the queue.
    queued = launch_run(server, "2025-10-19-14:10", assets=())
    time.sleep(QUEUE_HOLD_S)
    status, events = run_info(server, queued)
    assert status == "QUEUED"
    assert not any("pid:" in (e.get("message") or "") for e in events), "queued run has a process"

    asked = time.monotonic()
    terminate(server, queued)
    assert _wait(server, _ended(server, queued), 15, "the queued run to cancel") == "CANCELED"
    canceled_after = time.monotonic() - asked
    asked = time.monotonic()
    terminate(server, holder)
    assert _wait(server, _ended(server, holder), 30, "the holder to stop") == "CANCELED"
    stopped_after = time.monotonic() - asked
    _assert_pool_free(server)
    print(f"\nqueued run canceled {canceled_after:.1f}s, running run stopped {stopped_after:.1f}s")
