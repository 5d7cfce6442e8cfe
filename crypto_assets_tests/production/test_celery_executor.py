"""CRYPTO_EXECUTOR=celery: a run's steps execute in a `dagster-celery worker` process."""

from __future__ import annotations

import json
import subprocess
import uuid
from datetime import datetime

import duckdb
import pytest
from dagster import DagsterEventType, RunsFilter

from crypto_assets_tests.e2e.support import ASSETS, REPO, lake_file, wait_until
from crypto_assets_tests.production.conftest import instance_for, make_prod_home
from crypto_assets_tests.production.server import celery_worker, redis_command

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(400)]

WINDOW = "2025-10-26-12:00"


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
        redis_command("DEL", queue, f"_kombu.binding.{queue}", f"_kombu.binding_permanent.{queue}")

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
