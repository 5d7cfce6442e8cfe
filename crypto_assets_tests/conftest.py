"""Suite-wide isolation: local state in a temp folder, recorded API responses, no stray config."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator

# Set before any crypto_assets import: partitions and kinds are read from the environment at import.
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
