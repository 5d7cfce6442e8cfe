"""Suite-wide isolation: local state in a temp folder, recorded API responses, no stray config."""

from __future__ import annotations

import os
import signal
import tempfile
from collections.abc import Iterator

# A shell's background job (a CI runner, `make test &`) starts with SIGINT ignored, and every
# child inherits that: `dagster dev` then ignores SIGTERM too (it maps SIGTERM onto its SIGINT
# handler), so each server teardown waited out its 60 s before SIGKILL. A handled signal is
# reset to the default in a child at exec: the servers this suite starts stop on SIGTERM again.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

# Subprocesses (CLI runs, `dagster dev`, `make dev`) and Settings.from_env() read the environment:
# a developer's own CRYPTO_* / REDDIT_* / SNOWFLAKE_* variables must not leak into the suite.
# Imports read nothing; definitions are built from explicit settings (support.definitions).
for _name in list(os.environ):
    if _name.startswith(("CRYPTO_", "REDDIT_", "SNOWFLAKE_")) or _name == "DAGSTER_HOME":
        del os.environ[_name]
os.environ["CRYPTO_ASSETS_HOME"] = tempfile.mkdtemp(prefix="crypto_assets_tests_")
os.environ["CRYPTO_SOURCE"] = "replay"

import pytest  # noqa: E402 - after the environment is set

from crypto_assets_tests.sources.scripted_server import ScriptedServer, start_server  # noqa: E402


@pytest.fixture
def server() -> Iterator[ScriptedServer]:
    """A scripted HTTP server on 127.0.0.1 that records every request (see scripted_server)."""
    httpd, scripted = start_server()
    yield scripted
    httpd.shutdown()
    httpd.server_close()


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Tests that start Dagster servers (e2e) run in the server lane, never beside others."""
    for item in items:
        if item.get_closest_marker("e2e"):
            item.add_marker(pytest.mark.servers)
