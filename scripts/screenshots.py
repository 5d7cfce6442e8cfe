"""Screenshots of the Dagster UI for the README, from a running `dagster dev` in replay mode.

    .venv/bin/python scripts/screenshots.py --url http://127.0.0.1:3000 --out docs/screenshots \
        --materialize

`--materialize` first launches, over GraphQL, all five assets for the window 2025-10-19-12:40
(one run) and an asset backfill of the day 2025-10-20 (144 windows, one run), waits for both
and prints `run <id>` and `backfill <id>`. The script then marks the UI's community pop-up as
seen (`setNuxSeen`) and saves, with headless Chromium, one PNG per function in SHOTS.

Dagster 1.13 plots an asset's numeric metadata on its Overview tab (Metadata > Plots): by
partition, the latest materialization of the 120 newest partition keys up to now; by event,
the last 100 materializations and observations. A range run records its per-window numbers
as observations before its materializations, so they appear in the Events tab, not the plots.
"""

from __future__ import annotations

import argparse
import re
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

import requests
from playwright.sync_api import Page, expect, sync_playwright

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run"]
CHROMIUM_ARGS += ["--disable-background-networking", "--disable-component-update", "--disable-sync"]
ASSETS = ("coin_listings", "reddit_posts", "sentiment_scores", "coin_mentions", "mention_counts")
GROUPS = ("ingestion", "enrichment", "publication", "history", "report")
WINDOW = "2025-10-19-12:40"
DAY = datetime(2025, 10, 20)
DAY_KEYS = [f"{DAY + timedelta(minutes=10 * i):%Y-%m-%d-%H:%M}" for i in range(144)]
JOB = {"repositoryLocationName": "crypto_assets", "repositoryName": "__repository__"}
VIEWPORT = {"width": 1400, "height": 900}
TIMEOUT_MS = 90_000
LAUNCH_RUN = """mutation ($p: ExecutionParams!) { launchRun(executionParams: $p) {
  __typename ... on LaunchRunSuccess { run { runId } } ... on Error { message } } }"""
LAUNCH_BACKFILL = """mutation ($p: LaunchBackfillParams!) { launchPartitionBackfill(backfillParams: $p) {
  __typename ... on LaunchBackfillSuccess { backfillId } ... on Error { message } } }"""
RUN = "query ($id: ID!) { runOrError(runId: $id) { ... on Run { status } } }"
BACKFILL = """query ($id: String!) { partitionBackfillOrError(backfillId: $id) {
  ... on PartitionBackfill { status runs { runId status } } } }"""
SUCCEEDED = {"SUCCESS", "COMPLETED", "COMPLETED_SUCCESS"}
FINAL = SUCCEEDED | {"FAILURE", "CANCELED", "COMPLETED_FAILED", "FAILED"}


def gql(url: str, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    """One GraphQL request; GraphQL errors raise."""
    body = {"query": query, "variables": variables or {}}
    response = requests.post(f"{url}/graphql", json=body, timeout=60)
    response.raise_for_status()
    if errors := response.json().get("errors"):
        raise RuntimeError(f"GraphQL errors: {errors}")
    return response.json()["data"]


def launch(url: str, mutation: str, params: dict[str, Any]) -> dict[str, Any]:
    """Run a launch mutation; anything but its success type raises."""
    result = next(iter(gql(url, mutation, {"p": params}).values()))
    if not result["__typename"].endswith("Success"):
        raise RuntimeError(f"launch failed: {result}")
    return result


def ended(found: dict) -> bool:
    return found["status"] in FINAL


def poll(url: str, query: str, ident: str, timeout: float, done: Callable = ended) -> dict:
    """Poll a run or a backfill until `done(it)`; fail if it ended without success."""
    deadline = time.monotonic() + timeout
    while not done(found := next(iter(gql(url, query, {"id": ident}).values()))):
        if time.monotonic() > deadline:
            raise TimeoutError(f"{ident} still {found} after {timeout:.0f}s")
        time.sleep(1)
    if ended(found) and found["status"] not in SUCCEEDED:
        raise RuntimeError(f"{ident} ended {found['status']}")
    return found


def runs_ended(backfill: dict) -> bool:
    return ended(backfill) or (bool(backfill["runs"]) and all(map(ended, backfill["runs"])))


def materialize(url: str, timeout: float) -> str:
    """All assets for WINDOW (one run), then a backfill of DAY_KEYS (one range run), so the
    backfill's events are the latest. Returns once both runs succeeded (the daemon marks the
    backfill completed on a later tick: `main` waits for that after the screenshots)."""
    tags = [{"key": "dagster/partition", "value": WINDOW}]
    params = {"selector": JOB | {"jobName": "crypto_pipeline"}, "executionMetadata": {"tags": tags}}
    run_id = launch(url, LAUNCH_RUN, params)["run"]["runId"]
    params = {"assetSelection": [{"path": [a]} for a in ASSETS], "partitionNames": DAY_KEYS}
    backfill_id = launch(url, LAUNCH_BACKFILL, params)["backfillId"]
    print(f"run {run_id}\nbackfill {backfill_id}", flush=True)
    poll(url, RUN, run_id, timeout)
    runs = poll(url, BACKFILL, backfill_id, timeout, runs_ended)["runs"]
    if failed := [r for r in runs if r["status"] != "SUCCESS"]:
        raise RuntimeError(f"backfill {backfill_id}: {failed}")
    return backfill_id


def settle(page: Page) -> None:
    """Network quiet and no loading spinner left."""
    page.wait_for_load_state("networkidle", timeout=TIMEOUT_MS)
    spinners = page.locator("[class*='Spinner'], [role='progressbar']")
    expect(spinners).to_have_count(0, timeout=TIMEOUT_MS)
    page.wait_for_timeout(500)


def visible(page: Page, *texts: str) -> None:
    for text in texts:
        expect(page.get_by_text(text, exact=True).first).to_be_visible(timeout=TIMEOUT_MS)


def asset_graph(page: Page, url: str) -> None:
    """Lineage: the global asset graph, asset list hidden, every group expanded."""
    page.goto(f"{url}/asset-groups", wait_until="domcontentloaded")
    visible(page, *GROUPS)
    page.get_by_placeholder("Jump to").locator("xpath=following::button[1]").click()
    page.keyboard.press("Alt+KeyE")  # the UI's shortcut: expand all groups
    visible(page, *ASSETS, "market_report")
    # The live graph's five assets, their history/ twins and market_report: eleven nodes. With
    # six groups the graph fits the view zoomed out, where nodes show their names only.
    nodes = page.get_by_text(re.compile(rf"^({'|'.join(ASSETS)}|market_report)$"))
    expect(nodes).to_have_count(2 * len(ASSETS) + 1, timeout=TIMEOUT_MS)
    # The fitted graph starts under the toolbar: drag it down so the top group's title shows.
    page.mouse.move(1000, 420)
    page.mouse.down()
    page.mouse.move(1000, 445, steps=5)
    page.mouse.up()


def partition_top_coins(page: Page, url: str) -> None:
    """Catalog > mention_counts > Partitions > WINDOW: its metadata, the top_coins table in it."""
    page.goto(f"{url}/assets/mention_counts?view=partitions&partition={quote(WINDOW)}")
    visible(page, "top_coins", "Bitcoin", "total_mentions")


def plots_after_backfill(page: Page, url: str) -> None:
    """Catalog > mention_counts > Overview > Metadata > Plots > Events (the last 100 events)."""
    page.goto(f"{url}/assets/mention_counts", wait_until="domcontentloaded")
    for label in ("Plots", "Events"):  # Table | Plots, then the x axis: Partitions | Events
        toggle = page.locator("button").filter(has_text=re.compile(rf"^\s*{label}\s*$"))
        toggle.first.click(timeout=TIMEOUT_MS)
    expect(page.locator("canvas").first).to_be_visible(timeout=TIMEOUT_MS)
    settle(page)
    page.get_by_text("Metadata", exact=True).first.evaluate("e => e.scrollIntoView()")


def observations_after_backfill(page: Page, url: str) -> None:
    """Catalog > mention_counts > Events, Type is Observation: per-window numbers of a range run."""
    page.goto(f"{url}/assets/mention_counts?view=events&{quote('type[0]')}=Observation")
    visible(page, "total_mentions", "mean_sentiment")


SHOTS = (asset_graph, partition_top_coins, plots_after_backfill, observations_after_backfill)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://127.0.0.1:3000", help="the Dagster UI")
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--materialize", action="store_true", help="launch the runs first")
    parser.add_argument("--timeout", type=float, default=600, help="seconds to wait per launch")
    args = parser.parse_args()
    url = args.url.rstrip("/")
    backfill_id = materialize(url, args.timeout) if args.materialize else None
    gql(url, "mutation { setNuxSeen }")  # else a community pop-up covers every page
    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=VIEWPORT)
            for shot in SHOTS:
                shot(page, url)
                settle(page)
                page.screenshot(path=str(png := args.out / f"{shot.__name__}.png"))
                print(f"saved {png}", flush=True)
        finally:
            browser.close()
    if backfill_id:
        poll(url, BACKFILL, backfill_id, args.timeout)


if __name__ == "__main__":
    main()
