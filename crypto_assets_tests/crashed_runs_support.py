"""For test_crashed_runs: a silent API server, a `dagster dev` with the daemon, run queries."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

from crypto_assets_tests.e2e.support import (
    REPO,
    DagsterServer,
    location_loaded,
    stop_group,
    wait_until,
)

LOCATION = "crypto_assets"
TERMINAL = {"SUCCESS", "FAILURE", "CANCELED"}
WORKSPACE = f"""load_from:
  - python_module:
      module_name: crypto_assets_tests.crashed_runs_location
      location_name: {LOCATION}
      working_directory: {REPO}
"""

RUN = """
query ($runId: ID!) {
  runOrError(runId: $runId) {
    ... on Run {
      status
      eventConnection(limit: 1000) {
        events { __typename ... on MessageEvent { message } ... on StepEvent { stepKey } }
      }
    }
  }
}"""
LAUNCH = """
mutation ($params: ExecutionParams!) {
  launchRun(executionParams: $params) {
    __typename ... on LaunchRunSuccess { run { runId } } ... on Error { message }
  }
}"""
TERMINATE = """
mutation ($runId: String!) {
  terminateRun(runId: $runId) { __typename ... on TerminateRunFailure { message } }
}"""
STARTED_RUNS = (
    "{ runsOrError(filter: {statuses: [STARTED]}) { ... on Runs { results { runId } } } }"
)
POOL = """
query ($pool: String!) {
  instance { concurrencyLimit(concurrencyKey: $pool) { activeRunIds pendingStepRunIds } }
}"""


@contextlib.contextmanager
def silent_server() -> Iterator[int]:
    """A TCP server on 127.0.0.1 that accepts connections and never answers; yields its port."""
    listener = socket.create_server(("127.0.0.1", 0))
    held: list[socket.socket] = []

    def accept() -> None:
        with contextlib.suppress(OSError):
            while True:
                held.append(listener.accept()[0])

    threading.Thread(target=accept, daemon=True).start()
    try:
        yield listener.getsockname()[1]
    finally:
        listener.close()
        for conn in held:
            conn.close()


def hanging_coinlore(port: int) -> dict:
    """Run config that sends Coinlore requests to the silent server: the step hangs."""
    config = {"source": "live", "base_url": f"http://127.0.0.1:{port}"}
    return {"resources": {"coinlore": {"config": config}}}


def instance_env(home: Path) -> dict[str, str]:
    """Environment of every Dagster process of the test: replayed APIs, state under `home`."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CRYPTO_", "REDDIT_"))}
    return env | {
        "CRYPTO_ASSETS_HOME": str(home),
        "DAGSTER_HOME": str(home / "dagster"),
        "CRYPTO_SOURCE": "replay",
    }


@contextlib.contextmanager
def dagster_dev(home: Path) -> Iterator[DagsterServer]:
    """`dagster dev` (webserver + daemon) on the repo's dagster.yaml; stopped on exit."""
    (home / "dagster").mkdir(parents=True)
    shutil.copy(REPO / "dagster.yaml", home / "dagster" / "dagster.yaml")
    (home / "workspace.yaml").write_text(WORKSPACE)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    command = [str(REPO / ".venv/bin/dagster"), "dev", "-w", str(home / "workspace.yaml")]
    log_path = home / "dagster_dev.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [*command, "-h", "127.0.0.1", "-p", str(port)],
            cwd=REPO,
            env=instance_env(home),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = DagsterServer(port=port, home=home, log_path=log_path, proc=proc)
    try:
        wait_until(lambda: location_loaded(server), 180, "the code location to load", 2.0)
        yield server
    finally:
        stop_group(proc)


def launch_run(
    server: DagsterServer,
    partition: str,
    run_config: dict | None = None,
    assets: tuple[str, ...] = ("coin_listings",),
    tags: dict[str, str] | None = None,
) -> str:
    """Launch crypto_pipeline for one window, for `assets` (empty: all); return the run id."""
    selector = {
        "repositoryLocationName": LOCATION,
        "repositoryName": "__repository__",
        "jobName": "crypto_pipeline",
    }
    if assets:
        selector["assetSelection"] = [{"path": [asset]} for asset in assets]
    params = {
        "selector": selector,
        "runConfigData": run_config or {},
        "executionMetadata": {
            "tags": [
                {"key": key, "value": value}
                for key, value in {"dagster/partition": partition, **(tags or {})}.items()
            ]
        },
    }
    result = server.gql(LAUNCH, {"params": params})["launchRun"]
    assert result["__typename"] == "LaunchRunSuccess", result
    return result["run"]["runId"]


def run_info(server: DagsterServer, run_id: str) -> tuple[str, list[dict]]:
    """A run's status and its events."""
    run = server.gql(RUN, {"runId": run_id})["runOrError"]
    return run["status"], run["eventConnection"]["events"]


def run_status(server: DagsterServer, run_id: str) -> str:
    """A run's status."""
    return run_info(server, run_id)[0]


def terminate(server: DagsterServer, run_id: str) -> None:
    """Terminate (cancel) a run as the UI's Terminate button does."""
    result = server.gql(TERMINATE, {"runId": run_id})["terminateRun"]
    assert result["__typename"] == "TerminateRunSuccess", result


def started_run_ids(server: DagsterServer) -> list[str]:
    """Ids of the runs that are STARTED right now."""
    return [r["runId"] for r in server.gql(STARTED_RUNS)["runsOrError"]["results"]]


def pool_users(server: DagsterServer, pool: str) -> dict[str, list[str]]:
    """Runs holding or waiting for a slot of `pool` in the instance's slot table."""
    return server.gql(POOL, {"pool": pool})["instance"]["concurrencyLimit"]
