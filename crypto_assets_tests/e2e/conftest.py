"""A real `dagster dev` (webserver + daemon) on replayed API data, driven over GraphQL."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import pytest
import requests

REPO = Path(__file__).resolve().parents[2]
RECORDING = (
    REPO / "crypto_assets/sources/recordings/reddit_crypto_posts_praw_2025-10-30_1533posts.json"
)
ASSETS = ("coin_listings", "reddit_posts", "sentiment_scores", "coin_mentions", "mention_counts")
KEY_FORMAT = "%Y-%m-%d-%H:%M"
WINDOW = timedelta(minutes=10)
BACKFILL_WINDOWS = 4
LOCATION = "crypto_assets"
_LOG_KEY = pytest.StashKey[Path]()
T = TypeVar("T")


def wait_until(probe: Callable[[], T], timeout: float, what: str, interval: float = 1.0) -> T:
    """Poll `probe` until it returns something truthy; fail after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    last: Any = None
    while time.monotonic() < deadline:
        last = probe()
        if last:
            return last
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout:.0f}s waiting for {what}; last: {last!r}")


@dataclass
class DagsterServer:
    """Handle on the running server: its URL, state folder and log."""

    port: int
    home: Path
    log_path: Path
    proc: subprocess.Popen

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def gql(self, query: str, variables: dict | None = None) -> dict:
        """Run a GraphQL document; GraphQL-level errors fail the test."""
        response = requests.post(
            f"{self.url}/graphql", json={"query": query, "variables": variables or {}}, timeout=60
        )
        response.raise_for_status()
        body = response.json()
        assert not body.get("errors"), f"GraphQL errors: {body['errors']}"
        return body["data"]

    def log_tail(self, chars: int = 20_000) -> str:
        return self.log_path.read_text(errors="replace")[-chars:] if self.log_path.exists() else ""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _server_env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CRYPTO_", "REDDIT_"))}
    env.pop("AWS_ENDPOINT_URL", None)
    return env | {
        "CRYPTO_ASSETS_HOME": str(home),
        "DAGSTER_HOME": str(home / "dagster"),
        "CRYPTO_SOURCE": "replay",
    }


def _location_loaded(server: DagsterServer) -> bool:
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


@pytest.fixture(scope="session")
def dagster_server(tmp_path_factory, pytestconfig):
    """`dagster dev` on a fresh CRYPTO_ASSETS_HOME with CRYPTO_SOURCE=replay; killed at the end."""
    home = tmp_path_factory.mktemp("crypto_home")
    (home / "dagster").mkdir()
    shutil.copy(REPO / "dagster.yaml", home / "dagster" / "dagster.yaml")
    log_path = home / "dagster_dev.log"
    pytestconfig.stash[_LOG_KEY] = log_path
    port = _free_port()
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [str(REPO / ".venv/bin/dagster"), "dev", "-w", "workspace.yaml"]
            + ["-h", "127.0.0.1", "-p", str(port)],
            cwd=REPO,
            env=_server_env(home),
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = DagsterServer(port=port, home=home, log_path=log_path, proc=proc)
    try:
        wait_until(lambda: _location_loaded(server), 180, "the code location to load", 2.0)
        yield server
    finally:
        _stop(proc)


def _stop(proc: subprocess.Popen) -> None:
    for sig, grace in ((signal.SIGTERM, 60), (signal.SIGKILL, 10)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            continue
    # dagster dev is gone; take down any straggling run worker left in its group.
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Attach the server log to every failed e2e test report."""
    outcome = yield
    report = outcome.get_result()
    log_path = item.config.stash.get(_LOG_KEY, None)
    if report.failed and log_path is not None and log_path.exists():
        report.sections.append(
            ("dagster dev log (tail)", log_path.read_text(errors="replace")[-20_000:])
        )


def _window_start(created_utc: str) -> datetime:
    moment = datetime.fromisoformat(created_utc).replace(tzinfo=UTC)
    return moment.replace(minute=moment.minute - moment.minute % 10, second=0, microsecond=0)


@pytest.fixture(scope="session")
def crypto_posts_per_window() -> Counter[datetime]:
    """How many recorded r/CryptoCurrency posts each 10-minute window (UTC start) holds."""
    posts = json.loads(RECORDING.read_text())
    return Counter(
        _window_start(p["created_utc"]) for p in posts if p["subreddit"] == "cryptocurrency"
    )


@pytest.fixture(scope="session")
def busiest_window(crypto_posts_per_window) -> datetime:
    """The recorded window with the most r/CryptoCurrency posts (earliest on a tie)."""
    return min(crypto_posts_per_window, key=lambda w: (-crypto_posts_per_window[w], w))


@pytest.fixture(scope="session")
def backfill_windows(crypto_posts_per_window, busiest_window) -> list[datetime]:
    """Consecutive windows starting at a window with posts, the busiest such range, disjoint
    from `busiest_window` so the two tests never share a partition."""

    def span(start: datetime) -> list[datetime]:
        return [start + i * WINDOW for i in range(BACKFILL_WINDOWS)]

    starts = [w for w in sorted(crypto_posts_per_window) if busiest_window not in span(w)]
    best = max(starts, key=lambda s: sum(crypto_posts_per_window[w] for w in span(s)))
    return span(best)


def partition_key(window_start: datetime) -> str:
    return window_start.strftime(KEY_FORMAT)


def lake_file(home: Path, asset: str, window_start: datetime) -> Path:
    folder = f"timestamp={window_start:%Y-%m-%dT%H:%M:%S}.000Z"
    return home / "lake" / asset / folder / "part-0.parquet"
