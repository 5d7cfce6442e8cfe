"""A re-read only adds: an empty or shorter /new reply never removes a stored post.

Coinlore and Reddit are a real HTTP server on 127.0.0.1 playing scripted replies.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from crypto_assets.environment import Settings
from crypto_assets_tests.sources.scripted_server import ScriptedServer
from crypto_assets_tests.support.pipeline import (
    NEW,
    TICKERS,
    Feed,
    coinlore_reply,
    lake_table,
    live_settings,
    run_range,
    warehouse,
)

FIRST = datetime(2025, 10, 28, 12, 0)
LAST = FIRST + timedelta(minutes=50)  # six windows, as one schedule tick re-reads them


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return live_settings(tmp_path)


def two_posts_a_window(feed: Feed) -> None:
    for i in range(6):
        window = FIRST + timedelta(minutes=10 * i)
        feed.add(f"a{i}", window + timedelta(minutes=2), "Bitcoin holds", score=5)
        feed.add(f"b{i}", window + timedelta(minutes=7), "Ethereum and Solana", score=3)


def counts(settings: Settings) -> dict[str, int]:
    posts = warehouse(settings, "SELECT count(*) n FROM LOADING.reddit_posts")["n"].iloc[0]
    mentions = warehouse(settings, "SELECT count(*) n FROM WORKING.mention_counts")["n"].iloc[0]
    return {"posts": int(posts), "mention_counts": int(mentions)}


def test_an_empty_reply_keeps_every_stored_post_and_says_so(
    settings: Settings, server: ScriptedServer
) -> None:
    feed = Feed()
    two_posts_a_window(feed)
    server.script("GET", NEW, feed.reply)
    server.script("GET", TICKERS, coinlore_reply(FIRST + timedelta(minutes=55)))
    run_range(settings, server, FIRST, LAST)
    before = counts(settings)
    assert before == {"posts": 12, "mention_counts": 18}

    feed.children = []  # a valid 200 Listing with children: [] (a hiccup, a private subreddit)
    result = run_range(settings, server, FIRST, LAST)

    assert counts(settings) == before  # nothing deleted, downstream recomputed from the merge
    assert len(lake_table(settings, "reddit_posts")) == 12
    check = next(
        c
        for c in result.get_asset_check_evaluations()
        if c.check_name == "reread_returned_stored_posts"
    )
    assert not check.passed and check.metadata["failing"].value == 12
    metadata = result.asset_materializations_for_node("reddit_posts")[0].metadata
    assert metadata["posts_not_seen_again"].value == 12
    assert metadata["posts_fetched"].value == 0 and metadata["posts_added"].value == 0


def test_a_reread_updates_scores_keeps_removed_posts_and_adds_late_ones(
    settings: Settings, server: ScriptedServer
) -> None:
    feed = Feed()
    two_posts_a_window(feed)
    server.script("GET", NEW, feed.reply)
    server.script("GET", TICKERS, coinlore_reply(FIRST + timedelta(minutes=55)))
    run_range(settings, server, FIRST, LAST)
    first_read = lake_table(settings, "reddit_posts").set_index("post_id")

    feed.remove("a0")  # removed at the source
    feed.children[0]["data"].update(score=99, num_comments=7)  # b5, the newest, gained votes
    feed.add("late", FIRST + timedelta(minutes=9), "Dogecoin late to the listing")
    result = run_range(settings, server, FIRST, LAST)

    posts = lake_table(settings, "reddit_posts").set_index("post_id")
    assert len(posts) == 13
    assert (posts.loc["b5", "score"], posts.loc["b5", "num_comments"]) == (99, 7)
    assert posts.loc["a0", "last_seen_at"] == first_read.loc["a0", "last_seen_at"]
    assert posts.loc["b5", "last_seen_at"] > first_read.loc["b5", "last_seen_at"]
    assert posts.loc["b5", "first_seen_at"] == first_read.loc["b5", "first_seen_at"]
    stored = warehouse(settings, "SELECT post_id, score FROM LOADING.reddit_posts")
    assert dict(zip(stored["post_id"], stored["score"], strict=True))["b5"] == 99
    check = next(
        c
        for c in result.get_asset_check_evaluations()
        if c.check_name == "reread_returned_stored_posts"
    )
    assert check.metadata["failing"].value == 1  # a0
    scores = warehouse(settings, "SELECT post_id FROM STAGING.sentiment_scores")
    assert set(scores["post_id"]) == set(posts.index)  # downstream sees the merged set
