"""`dagster dev` (webserver + daemon) on the production instance, for the queue tests."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import requests

from crypto_assets_tests.e2e.support import LOCATION, REPO, DagsterServer, wait_until
from crypto_assets_tests.production.conftest import ProdHome


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _default_interrupts() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _loaded(server: DagsterServer) -> bool:
    assert server.proc.poll() is None, f"dagster dev exited with {server.proc.returncode}"
    try:
        data = server.gql(
            "{ workspaceOrError { ... on Workspace { locationEntries { name loadStatus"
            " locationOrLoadError { __typename ... on PythonError { message } } } } } }"
        )
    except requests.RequestException:
        return False
    for entry in data["workspaceOrError"].get("locationEntries", []):
        if entry["name"] == LOCATION and entry["loadStatus"] == "LOADED":
            error = entry["locationOrLoadError"] or {}
            assert error.get("__typename") != "PythonError", f"load error: {error['message']}"
            return True
    return False


def stop(proc: subprocess.Popen) -> None:
    """SIGTERM the process group, SIGKILL what lingers."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=60)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


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
            preexec_fn=_default_interrupts,
        )
    server = DagsterServer(port=port, home=prod.home, log_path=log_path, proc=proc)
    try:
        wait_until(lambda: _loaded(server), 180, "the code location to load", 2.0)
        yield server
    finally:
        stop(proc)
