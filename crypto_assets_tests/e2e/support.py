"""Shared by the e2e tests: constants, ports, polling, the server handle and the replay windows."""

from __future__ import annotations

import contextlib
import json
import os
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

import requests

REPO = Path(__file__).resolve().parents[2]
RECORDING = (
    REPO / "crypto_assets/sources/recordings/reddit_crypto_posts_praw_2025-10-30_1533posts.json"
)
ASSETS = ("coin_listings", "reddit_posts", "sentiment_scores", "coin_mentions", "mention_counts")
LOCATION = "crypto_assets"
KEY_FORMAT = "%Y-%m-%d-%H:%M"
WINDOW = timedelta(minutes=10)
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
T = TypeVar("T")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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
    """Handle on the running `dagster dev`: its port, state folder and log."""

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


def crypto_posts_per_window() -> Counter[datetime]:
    """How many recorded r/CryptoCurrency posts each 10-minute window (UTC start) holds."""
    posts = json.loads(RECORDING.read_text())
    starts = []
    for post in posts:
        if post["subreddit"] == "cryptocurrency":
            moment = datetime.fromisoformat(post["created_utc"]).replace(tzinfo=UTC)
            starts.append(moment.replace(minute=moment.minute // 10 * 10, second=0))
    return Counter(starts)


def busiest_window(counts: Counter[datetime]) -> datetime:
    """The window with the most posts (earliest on a tie)."""
    return min(counts, key=lambda w: (-counts[w], w))


def busiest_range(counts: Counter[datetime], length: int, avoid: datetime) -> list[datetime]:
    """`length` consecutive windows, the first holding posts, with the most posts in all;
    never containing `avoid`, so two tests never share a partition."""

    def span(start: datetime) -> list[datetime]:
        return [start + i * WINDOW for i in range(length)]

    starts = [w for w in sorted(counts) if avoid not in span(w)]
    return span(max(starts, key=lambda s: sum(counts[w] for w in span(s))))


def partition_key(window_start: datetime) -> str:
    return window_start.strftime(KEY_FORMAT)


def lake_file(home: Path, asset: str, window_start: datetime) -> Path:
    """Where the lake must hold one asset window: hive folder `timestamp=…000Z`."""
    folder = f"timestamp={window_start:%Y-%m-%dT%H:%M:%S}.000Z"
    return home / "lake" / asset / folder / "part-0.parquet"


_LOCATIONS = (
    "{ workspaceOrError { ... on Workspace { locationEntries { name loadStatus"
    " locationOrLoadError { __typename ... on PythonError { message } } } } } }"
)


def location_loaded(server: DagsterServer) -> bool:
    """Whether the code location has loaded (fails at once if it loaded with an error)."""
    assert server.proc.poll() is None, f"dagster dev exited with {server.proc.returncode}"
    try:
        entries = server.gql(_LOCATIONS)["workspaceOrError"].get("locationEntries", [])
    except requests.RequestException:
        return False
    for entry in entries:
        if entry["name"] == LOCATION and entry["loadStatus"] == "LOADED":
            error = entry["locationOrLoadError"] or {}
            assert error.get("__typename") != "PythonError", f"load error: {error['message']}"
            return True
    return False


def stop_group(proc: subprocess.Popen) -> None:
    """SIGTERM the process group, SIGKILL whatever lingers (run workers too), reap the leader."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGTERM)
    with contextlib.suppress(subprocess.TimeoutExpired):
        proc.wait(timeout=60)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)


# GraphQL of runs and backfills, shared by the end-to-end tests.
BACKFILL_TERMINAL = {"COMPLETED", "COMPLETED_SUCCESS", "COMPLETED_FAILED", "FAILED", "CANCELED"}

RUN = """
query ($runId: ID!) {
  runOrError(runId: $runId) {
    ... on Run {
      status
      tags { key value }
      eventConnection(limit: 1000) {
        events {
          __typename
          ... on ExecutionStepFailureEvent { stepKey error { message } }
          ... on RunFailureEvent { message }
        }
      }
    }
  }
}"""

LAUNCH_BACKFILL = """
mutation ($params: LaunchBackfillParams!) {
  launchPartitionBackfill(backfillParams: $params) {
    __typename
    ... on LaunchBackfillSuccess { backfillId }
    ... on Error { message }
  }
}"""

BACKFILL = """
query ($id: String!) {
  partitionBackfillOrError(backfillId: $id) {
    __typename
    ... on PartitionBackfill {
      status
      error { message }
      runs { runId status tags { key value } }
    }
    ... on Error { message }
  }
}"""


def run_details(server, run_id: str) -> dict:
    """Status, tags and failure messages of one run."""
    run = server.gql(RUN, {"runId": run_id})["runOrError"]
    failures = [
        f"{e.get('stepKey', 'run')}: {(e.get('error') or {}).get('message') or e.get('message')}"
        for e in run["eventConnection"]["events"]
        if e["__typename"] in {"ExecutionStepFailureEvent", "RunFailureEvent"}
    ]
    return {"status": run["status"], "tags": tags_of(run), "failures": failures}


def tags_of(obj: dict) -> dict[str, str]:
    """A GraphQL object's tags as a dict."""
    return {t["key"]: t["value"] for t in obj["tags"]}
