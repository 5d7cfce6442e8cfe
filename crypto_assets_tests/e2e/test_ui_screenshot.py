"""End to end: the Dagster UI renders the global asset graph in headless Chromium."""

from __future__ import annotations

import os
import shutil

import pytest

from crypto_assets_tests.e2e.support import ASSETS, CHROMIUM, CHROMIUM_ARGS, PNG_SIGNATURE

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(600)]

GRAPH_PATH = "/asset-groups"  # "Lineage" in the UI's navigation: the global asset graph
GROUPS = ("ingestion", "enrichment", "publication")
COPY_FOR_REVIEW = os.environ.get("E2E_SCREENSHOT_COPY")  # e.g. /tmp/e2e_asset_graph.png


def test_asset_graph_screenshot(dagster_server, tmp_path):
    """The Lineage page shows all five assets; its full screenshot is a sizeable PNG."""
    sync_api = pytest.importorskip("playwright.sync_api")
    expect = sync_api.expect
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(f"{CHROMIUM} missing: run scripts/ensure_chromium.sh")
    # Without this the UI covers the graph with its community pop-up.
    assert dagster_server.gql("mutation { setNuxSeen }")["setNuxSeen"] is True
    png = tmp_path / "asset_graph.png"

    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1600, "height": 1000})
            page.goto(dagster_server.url + GRAPH_PATH, wait_until="domcontentloaded")
            # Several groups start collapsed into group boxes; the UI's shortcut expands them all.
            for group in GROUPS:
                expect(page.get_by_text(group, exact=True).first).to_be_visible(timeout=90_000)
            page.keyboard.press("Alt+KeyE")
            for name in ASSETS:
                expect(page.get_by_text(name, exact=True).first).to_be_visible(timeout=60_000)
            page.wait_for_load_state("networkidle", timeout=60_000)
            visible = [n for n in ASSETS if page.get_by_text(n, exact=True).first.is_visible()]
            page.screenshot(path=str(png))
        finally:
            browser.close()

    data = png.read_bytes()
    assert data.startswith(PNG_SIGNATURE), "not a PNG"
    assert len(data) > 10_000, f"suspiciously small screenshot: {len(data)} bytes"
    assert visible == list(ASSETS)
    if COPY_FOR_REVIEW:
        shutil.copy(png, COPY_FOR_REVIEW)
