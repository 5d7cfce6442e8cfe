"""A window's listing is history; late posts are caught by the schedule's re-reads.

Coinlore and Reddit are a real HTTP server on 127.0.0.1 playing scripted replies.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest

from crypto_assets.defs.operations.schedule import windows_for_tick
from crypto_assets.environment import Settings
from crypto_assets_tests.sources.scripted_server import ScriptedServer
from crypto_assets_tests.support.pipeline import (
    NEW,
    TICKERS,
    Feed,
    coinlore_reply,
    listing_file,
    live_settings,
    run_range,
    warehouse,
)

PARTITIONS_START = datetime(2025, 10, 1, tzinfo=UTC)  # well before every window here
W = datetime(2025, 10, 28, 12, 0)  # the window under test (UTC)


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return live_settings(tmp_path)


def test_a_captured_listing_is_never_replaced_and_late_posts_are_caught(
    settings: Settings, server: ScriptedServer
) -> None:
    feed = Feed()
    feed.add("early", W + timedelta(minutes=3), "Bitcoin is climbing today")
    feed.add("older", W - timedelta(minutes=20), "Ethereum gas fees")
    server.script("GET", NEW, feed.reply)
    server.script("GET", TICKERS, coinlore_reply(W + timedelta(minutes=12)))

    run_range(settings, server, W, W)  # the schedule's first tick for W
    captured = listing_file(settings, W).read_bytes()
    assert len(server.seen(TICKERS)) == 1

    # A post created in W reaches the listing late; Coinlore now reports later, other prices.
    feed.add("late", W + timedelta(minutes=9, seconds=58), "Solana and Bitcoin rally")
    server.script("GET", TICKERS, coinlore_reply(W + timedelta(hours=2), price_factor=2.0))
    first, last = windows_for_tick(
        W.replace(tzinfo=UTC) + timedelta(minutes=22),
        settle_minutes=2,
        recheck_windows=2,
        start=PARTITIONS_START,
    )
    assert (first.replace(tzinfo=None), last.replace(tzinfo=None)) == (W, W + timedelta(minutes=10))
    run_range(settings, server, first, last)

    assert listing_file(settings, W).read_bytes() == captured  # byte for byte
    assert len(server.seen(TICKERS)) == 2  # only the new window W+10 was fetched
    posts = warehouse(settings, "SELECT window_start, post_id FROM LOADING.reddit_posts")
    assert sorted(posts["post_id"]) == ["early", "late"]
    listings = warehouse(
        settings,
        "SELECT window_start, bool_and(prices_captured) c, max(price_usd) p, count(*) n "
        "FROM LOADING.coin_listings GROUP BY 1 ORDER BY 1",
    )
    assert listings["c"].tolist() == [True, False]  # W+10's listing was taken 2 h later
    assert listings["p"].iloc[0] > 0 and pd.isna(listings["p"].iloc[1])
    assert listings["n"].tolist() == [100, 100]  # the later window still gets its coin dictionary
    btc = warehouse(
        settings,
        "SELECT mentions, price_usd, prices_captured FROM WORKING.mention_counts "
        "WHERE symbol = 'BTC'",
    )
    assert btc["mentions"].tolist() == [2]
    assert btc["price_usd"].iloc[0] == pytest.approx(99584.59) and btc["prices_captured"].all()


def test_api_calls_per_hour_of_schedule_ticks(settings: Settings, server: ScriptedServer) -> None:
    """Six ticks (one hour), each re-reading six windows: what the APIs see."""
    feed = Feed()
    for minute in range(-60, 60, 7):
        feed.add(f"p{minute + 60}", W + timedelta(minutes=minute), "BTC and ETH")
    server.script("GET", NEW, feed.reply)
    server.script("GET", TICKERS, coinlore_reply(W))
    for tick in range(6):
        at = W.replace(tzinfo=UTC) + timedelta(minutes=12 + 10 * tick)
        server.script("GET", TICKERS, coinlore_reply(at.replace(tzinfo=None)))
        first, last = windows_for_tick(
            at, settle_minutes=2, recheck_windows=6, start=PARTITIONS_START
        )
        run_range(settings, server, first, last)
    # One listing page per tick (top 100 here; ceil(N/100) pages for CRYPTO_TOP_N_COINS=N),
    # never a refetch of a stored window; one /new page per subreddit per tick.
    assert len(server.seen(TICKERS)) == 6  # the first tick fills its 6 windows from one fetch
    assert len(server.seen(NEW)) == 6
