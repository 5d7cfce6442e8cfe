"""`dagster dev` (webserver + daemon) on the production instance, and what the queue tests
read back from it."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

from dagster import DagsterEventType, DagsterRunStatus, RunsFilter

from crypto_assets_tests.e2e.support import (
    REPO,
    DagsterServer,
    location_loaded,
    stop_group,
    wait_until,
)
from crypto_assets_tests.production.conftest import REDIS_HOST, REDIS_PORT, ProdHome


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def dagster_dev(prod: ProdHome) -> Iterator[DagsterServer]:
    """`dagster dev` in DAGSTER_HOME, as scripts/dev.sh runs it, on the production instance."""
    port = free_port()
    log_path: Path = prod.home / "dagster_dev.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [
                str(REPO / ".venv/bin/dagster"),
                "dev",
                "-w",
                str(REPO / "workspace.yaml"),
                "-h",
                "127.0.0.1",
                "-p",
                str(port),
            ],
            cwd=prod.dagster_home,
            env=prod.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = DagsterServer(port=port, home=prod.home, log_path=log_path, proc=proc)
    try:
        wait_until(lambda: location_loaded(server), 180, "the code location to load", 2.0)
        yield server
    finally:
        stop_group(proc)


TERMINAL = {DagsterRunStatus.SUCCESS, DagsterRunStatus.FAILURE, DagsterRunStatus.CANCELED}


def max_overlap(intervals: list[tuple[float, float]]) -> int:
    """Most intervals in progress at one moment (an end before a start at the same instant)."""
    points = sorted([(s, 1) for s, _ in intervals] + [(e, -1) for _, e in intervals])
    best = now = 0
    for _, step in points:
        now += step
        best = max(best, now)
    return best


def finished_records(instance, run_ids: list[str], timeout: float):
    """The runs' records once all have ended (success, failure or cancellation)."""

    def done():
        records = instance.get_run_records(RunsFilter(run_ids=run_ids))
        ok = len(records) == len(run_ids) and all(r.dagster_run.status in TERMINAL for r in records)
        return records if ok else None

    return wait_until(done, timeout, f"{len(run_ids)} runs to finish", interval=2.0)


def launched_at(instance, run_id: str) -> float:
    """When the queue launched the run (STARTING): from then on it counts as in progress,
    seconds before its record's start_time (STARTED, once its worker has booted)."""
    (event,) = instance.all_logs(run_id, of_type=DagsterEventType.PIPELINE_STARTING)
    return event.timestamp


def redis_command(*command: str) -> bytes:
    """One Redis command over RESP (no client library needed for cleanup)."""
    parts = [f"*{len(command)}\r\n".encode()]
    for arg in command:
        parts.append(f"${len(arg.encode())}\r\n{arg}\r\n".encode())
    with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=5) as sock:
        sock.sendall(b"".join(parts))
        return sock.recv(4096)


@contextlib.contextmanager
def celery_worker(prod, log_path):
    """scripts/celery_worker.sh in its own process group; stopped at the end."""
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [
                "bash",
                str(REPO / "scripts/celery_worker.sh"),
                "--without-mingle",
                "--without-gossip",
            ],
            cwd=REPO,
            env=prod.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield proc
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=30)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)
