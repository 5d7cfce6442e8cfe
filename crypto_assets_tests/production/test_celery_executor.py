"""CRYPTO_EXECUTOR=celery: a run's steps execute in a `dagster-celery worker` process."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import uuid
from datetime import datetime

import duckdb
import pytest
from dagster import DagsterEventType, RunsFilter

from crypto_assets_tests.e2e.support import ASSETS, REPO, lake_file, wait_until
from crypto_assets_tests.production.conftest import (
    REDIS_HOST,
    REDIS_PORT,
    instance_for,
    make_prod_home,
)

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(400)]

WINDOW = "2025-10-26-12:00"


def _redis(*command: str) -> bytes:
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


def test_steps_run_in_a_celery_worker_process(pg_database, redis_url, tmp_path):
    queue = f"crypto_assets_test_{uuid.uuid4().hex[:10]}"
    prod = make_prod_home(
        tmp_path / "home",
        pg_database,
        CRYPTO_EXECUTOR="celery",
        CELERY_BROKER_URL=redis_url,
        CELERY_QUEUE=queue,
    )
    worker_log = tmp_path / "celery_worker.log"
    try:
        with celery_worker(prod, worker_log) as worker:

            def ready() -> bool:
                assert worker.poll() is None, worker_log.read_text()[-3000:]
                return " ready." in worker_log.read_text(errors="replace")

            wait_until(ready, 120, "the Celery worker to be ready", interval=1.0)
            run = subprocess.Popen(
                [
                    str(REPO / ".venv/bin/dagster"),
                    "job",
                    "execute",
                    "-m",
                    "crypto_assets.definitions",
                    "-j",
                    "crypto_pipeline",
                    "--tags",
                    json.dumps({"dagster/partition": WINDOW}),
                ],
                cwd=REPO,
                env=prod.env,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                text=True,
            )
            output, _ = run.communicate(timeout=300)
            assert run.returncode == 0, output[-4000:] + worker_log.read_text()[-3000:]
    finally:
        _redis("DEL", queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")

    instance = instance_for(prod)
    try:
        (record,) = instance.get_run_records(
            RunsFilter(job_name="crypto_pipeline", tags={"dagster/partition": WINDOW})
        )
        assert record.dagster_run.status.value == "SUCCESS"
        events = [
            e.dagster_event for e in instance.all_logs(record.dagster_run.run_id) if e.dagster_event
        ]
    finally:
        instance.dispose()
    (run_start,) = [e for e in events if e.event_type == DagsterEventType.RUN_START]
    assert run_start.pid == run.pid, "the run itself executes in the `dagster job execute` process"
    step_pids = {e.step_key: e.pid for e in events if e.event_type == DagsterEventType.STEP_START}
    assert set(step_pids) >= set(ASSETS), step_pids  # plus the freshness check's step
    assert run.pid not in step_pids.values(), f"run pid {run.pid}, step pids {step_pids}"
    delegated = [
        e
        for e in events
        if e.event_type == DagsterEventType.ENGINE_EVENT and "in celery worker" in (e.message or "")
    ]
    assert {e.step_key for e in delegated} == set(step_pids)
    assert all(e.pid != run.pid for e in delegated)

    window = datetime.strptime(WINDOW, "%Y-%m-%d-%H:%M")
    for asset in ASSETS:
        assert lake_file(prod.home, asset, window).is_file(), asset
    with duckdb.connect(str(prod.home / "warehouse.duckdb"), read_only=True) as con:
        rows = con.execute(
            'SELECT count(*) FROM "LOADING"."coin_listings" WHERE window_start = ?', [window]
        ).fetchone()
    assert rows[0] > 0
