"""Each asset check fails on a crafted bad window and passes on the real replay windows."""

from __future__ import annotations

import copy
import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from dagster import DagsterInstance, materialize

from crypto_assets.deployment import build_resources
from crypto_assets.environment import Settings
from crypto_assets_tests.sources.scripted_server import Reply, ScriptedServer
from crypto_assets_tests.support.definitions import live_assets, replay_definitions
from crypto_assets_tests.support.pipeline import (
    NEW,
    TICKERS,
    Feed,
    coinlore_reply,
    live_settings,
    run_range,
)

defs = replay_definitions()

START = datetime(2025, 10, 28, 6, 0)
TEN = timedelta(minutes=10)
GAP, BURST = START + 36 * TEN, START + 37 * TEN  # after six hours of steady posting


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return live_settings(tmp_path)


def verdicts(result) -> dict[str, dict]:
    """check name -> {passed, metadata} of a run's check evaluations."""
    return {
        c.check_name: {"passed": c.passed, "failing": c.metadata["failing"].value}
        for c in result.get_asset_check_evaluations()
    }


def short_listing(taken_at: datetime, coins: int) -> Reply:
    """The recorded listing cut to `coins` coins (above the source's 90% floor, below 100)."""
    body = copy.deepcopy(coinlore_reply(taken_at).body)
    body["data"] = body["data"][:coins]
    return Reply(json.loads(json.dumps(body)))


def test_checks_fail_on_crafted_bad_windows(settings: Settings, server: ScriptedServer) -> None:
    feed = Feed()
    for window in range(36):  # four posts a window, each naming Bitcoin once
        for k in range(4):
            feed.add(f"s{window}-{k}", START + window * TEN + timedelta(minutes=2 * k), "BTC up")
    # GAP: no post at all; BURST: thirty posts each naming two coins twice.
    for k in range(30):
        feed.add(f"b{k}", BURST + timedelta(seconds=15 * k), "BTC BTC and ETH ETH")
    server.script("GET", NEW, feed.reply)
    server.script("GET", TICKERS, short_listing(BURST + TEN + timedelta(minutes=3), coins=95))

    result = run_range(settings, server, START, BURST)
    found = verdicts(result)
    assert found["listing_depth"] == {"passed": False, "failing": 38}  # 95 of 100 coins
    # Taken 13 minutes after BURST: it is BURST's own listing, and GAP's (within 25 minutes).
    assert found["listing_has_prices"] == {"passed": False, "failing": 36}
    assert found["posts_vs_baseline"] == {"passed": False, "failing": 1}  # GAP
    assert found["mention_rate_vs_baseline"] == {"passed": False, "failing": 1}  # BURST
    assert found["listing_depth_headroom"]["passed"]


def test_listing_depth_headroom_fails_deep_in_the_listing(
    settings: Settings,
    server: ScriptedServer,
) -> None:
    feed = Feed()
    window = START + 36 * TEN
    feed.add("target", window + timedelta(minutes=1), "ETH")
    for k in range(850):  # 850 newer posts sit above the window in /new
        feed.add(f"n{k}", window + TEN + timedelta(seconds=5 * k), "news")
    feed.add("older", window - timedelta(hours=1), "old")
    server.script("GET", NEW, feed.reply)
    server.script("GET", TICKERS, coinlore_reply(window + timedelta(minutes=12)))
    found = verdicts(run_range(settings, server, window, window))
    assert found["listing_depth_headroom"] == {"passed": False, "failing": 1}
    assert found["listing_depth"]["passed"] and found["listing_has_prices"]["passed"]


def test_checks_pass_on_the_real_replay_windows(tmp_path: Path) -> None:
    replay = Settings.from_env({"CRYPTO_ASSETS_HOME": str(tmp_path), "CRYPTO_SOURCE": "replay"})
    tags = {
        "dagster/asset_partition_range_start": "2025-10-19-06:00",
        "dagster/asset_partition_range_end": "2025-10-19-13:50",
    }
    with DagsterInstance.ephemeral() as instance:
        result = materialize(
            live_assets(defs),
            resources=build_resources(replay),
            instance=instance,
            tags=tags,
        )
    found = verdicts(result)
    # The recording's listing is from 2024-12-07: replayed windows honestly have no prices.
    assert found.pop("listing_has_prices")["passed"] is False
    assert found and all(v["passed"] for v in found.values()), found
