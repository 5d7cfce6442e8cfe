"""A real `dagster dev` (webserver + daemon) on replayed API data, for the e2e tests."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from crypto_assets_tests.e2e.support import (
    REPO,
    DagsterServer,
    free_port,
    location_loaded,
    stop_group,
    wait_until,
)

DAGSTER_DEV = [str(REPO / ".venv/bin/dagster"), "dev", "-w", "workspace.yaml", "-h", "127.0.0.1"]
LOG_TAIL_CHARS = 12_000
_LOG_KEY = pytest.StashKey[Path]()


def _server_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CRYPTO_", "REDDIT_"))}
    env.pop("AWS_ENDPOINT_URL", None)
    return env | {
        "CRYPTO_ASSETS_HOME": str(home),
        "DAGSTER_HOME": str(home / "dagster"),
        "CRYPTO_SOURCE": "replay",
    }


@pytest.fixture(scope="session")
def dagster_server(tmp_path_factory, pytestconfig):
    """`dagster dev` on a fresh CRYPTO_ASSETS_HOME with CRYPTO_SOURCE=replay; killed at the end."""
    home = tmp_path_factory.mktemp("crypto_home")
    (home / "dagster").mkdir()
    shutil.copy(REPO / "dagster.yaml", home / "dagster" / "dagster.yaml")
    log_path = home / "dagster_dev.log"
    pytestconfig.stash[_LOG_KEY] = log_path
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [*DAGSTER_DEV, "-p", str(free_port())],
            cwd=REPO,
            env=_server_env(home),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = DagsterServer(port=int(proc.args[-1]), home=home, log_path=log_path, proc=proc)
    try:
        wait_until(lambda: location_loaded(server), 180, "the code location to load", 2.0)
        yield server
    finally:
        stop_group(proc)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Attach the tail of the server log to every failed report (setup failures included)."""
    outcome = yield
    report = outcome.get_result()
    log_path = item.config.stash.get(_LOG_KEY, None)
    if report.failed and log_path is not None and log_path.exists():
        tail = log_path.read_text(errors="replace")[-LOG_TAIL_CHARS:]
        report.sections.append(("dagster dev log (tail)", tail))
