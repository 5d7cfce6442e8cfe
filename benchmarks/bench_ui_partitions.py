"""How long the UI's asset page takes with many partitions: a year of windows vs replay's span.

Starts `dagster dev` twice on fresh homes (live mode with CRYPTO_PARTITIONS_START a year back:
~52,000 windows; replay: 1,716), then times, for `mention_counts`, the GraphQL query behind the
asset's Partitions tab and a headless Chromium load of that tab until its partition count shows.
Ratios measured in one run; the machine is shared and noisy.

    .venv/bin/python benchmarks/bench_ui_partitions.py
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from crypto_assets_tests.e2e.support import (
    CHROMIUM,
    CHROMIUM_ARGS,
    REPO,
    DagsterServer,
    free_port,
    location_loaded,
    stop_group,
)

PARTITIONS = """
{ assetNodeOrError(assetKey: {path: ["mention_counts"]}) { ... on AssetNode {
  partitionKeysByDimension { partitionKeys }
  assetPartitionStatuses { ... on TimePartitionStatuses { ranges { status } } } } } }"""


@contextlib.contextmanager
def dagster_dev(extra_env: dict[str, str]):
    """`dagster dev` on a fresh home with `extra_env`; stopped at the end."""
    home = Path(tempfile.mkdtemp(prefix="bench_ui_"))
    (home / "dagster").mkdir()
    shutil.copy(REPO / "dagster.yaml", home / "dagster" / "dagster.yaml")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CRYPTO_", "DAGSTER_"))}
    env |= {"CRYPTO_ASSETS_HOME": str(home), "DAGSTER_HOME": str(home / "dagster"), **extra_env}
    port = free_port()
    log = (home / "dev.log").open("wb")
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
        cwd=home / "dagster",
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    server = DagsterServer(port=port, home=home, log_path=home / "dev.log", proc=proc)
    try:
        deadline = time.monotonic() + 180
        while not location_loaded(server):
            assert time.monotonic() < deadline, "code location did not load"
            time.sleep(1)
        server.gql("mutation { setNuxSeen }")
        yield server
    finally:
        stop_group(proc)


def measure(server: DagsterServer, repeats: int = 3) -> tuple[int, float, float]:
    """Partition count, best GraphQL time, best page time (s)."""
    from playwright.sync_api import sync_playwright

    query_s, keys = [], 0
    for _ in range(repeats):
        began = time.perf_counter()
        data = server.gql(PARTITIONS)
        query_s.append(time.perf_counter() - began)
        keys = len(data["assetNodeOrError"]["partitionKeysByDimension"][0]["partitionKeys"])
    page_s = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for _ in range(repeats):
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            began = time.perf_counter()
            page.goto(f"{server.url}/assets/mention_counts?view=partitions")
            page.get_by_text(f"{keys:,} Partitions", exact=False).first.wait_for(timeout=180_000)
            page_s.append(time.perf_counter() - began)
            page.close()
        browser.close()
    return keys, min(query_s), min(page_s)


def main() -> None:
    """Print both measurements and their ratios."""
    year_back = (datetime.now(UTC) - timedelta(days=365)).strftime("%Y-%m-%d")
    results = {}
    for name, env in (
        ("replay span", {"CRYPTO_SOURCE": "replay"}),
        ("a year back", {"CRYPTO_SOURCE": "live", "CRYPTO_PARTITIONS_START": year_back}),
    ):
        with dagster_dev(env) as server:
            results[name] = measure(server)
        keys, query, page = results[name]
        print(f"{name:12s} {keys:>7,} partitions  GraphQL {query:6.2f} s  page {page:6.2f} s")
    (k0, q0, p0), (k1, q1, p1) = results.values()
    print(
        f"ratio (year / replay): partitions {k1 / k0:.0f}x, GraphQL {q1 / q0:.1f}x, page {p1 / p0:.1f}x"
    )


if __name__ == "__main__":
    main()
