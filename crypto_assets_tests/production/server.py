"""`dagster dev` (webserver + daemon) on the production instance, for the queue tests."""

from __future__ import annotations

import contextlib
import signal
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

from crypto_assets_tests.e2e.support import (
    REPO,
    DagsterServer,
    location_loaded,
    stop_group,
    wait_until,
)
from crypto_assets_tests.production.conftest import ProdHome


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _default_interrupts() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


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
        wait_until(lambda: location_loaded(server), 180, "the code location to load", 2.0)
        yield server
    finally:
        stop_group(proc)
