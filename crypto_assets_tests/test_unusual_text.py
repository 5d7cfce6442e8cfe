"""Unusual text never blocks a run: lone surrogates become U+FFFD, counted; bad cells are named."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from crypto_assets.datasets import to_arrow
from crypto_assets.datasets.frames import posts_frame, replace_unencodable
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

W = datetime(2025, 10, 28, 12, 0)


@pytest.mark.parametrize(
    ("text", "clean", "replaced"),
    [
        ("plain", "plain", 0),
        ("lone \ud800 high", "lone \ufffd high", 1),
        ("\udfff\ud83d", "\ufffd\ufffd", 2),
        ("pair 😀 stays", "pair 😀 stays", 0),
    ],
)
def test_lone_surrogates_are_replaced_and_counted(text: str, clean: str, replaced: int) -> None:
    out, count = replace_unencodable([{"title": text, "score": 1, "flair": None}])
    assert (out, count) == ([{"title": clean, "score": 1, "flair": None}], replaced)


def test_a_cell_that_cannot_be_stored_is_named_by_post_and_field() -> None:
    post = {
        "id": "abc123",
        "subreddit": "CryptoCurrency",
        "title": "bad \ud800",
        "selftext": "",
        "author": "a",
        "score": 1,
        "num_comments": 0,
        "created_utc": W.replace(tzinfo=UTC),
        "permalink": "https://www.reddit.com/r/CryptoCurrency/comments/abc123/",
        "flair": None,
    }
    with pytest.raises(ValueError, match=r"post_id=abc123: field 'title': UnicodeEncodeError"):
        to_arrow("reddit_posts", posts_frame([post], W))


def test_one_lone_surrogate_blocks_no_window_of_the_run(
    tmp_path: Path, server: ScriptedServer
) -> None:
    settings = live_settings(tmp_path)
    feed = Feed()
    feed.add("odd", W + timedelta(minutes=1), "Bitcoin \ud800 moon")
    feed.add("fine", W + timedelta(minutes=3), "Ethereum upgrade")
    feed.add("next", W + timedelta(minutes=14), "Solana news", selftext="body \udc80 here")
    server.script("GET", NEW, feed.reply)
    server.script("GET", TICKERS, coinlore_reply(W + timedelta(minutes=15)))

    result = run_range(settings, server, W, W + timedelta(minutes=10))

    metadata = result.asset_materializations_for_node("reddit_posts")[0].metadata
    assert metadata["unencodable_characters_replaced"].value == 2
    posts = lake_table(settings, "reddit_posts").set_index("post_id")
    assert sorted(posts.index) == ["fine", "next", "odd"]
    assert posts.loc["odd", "title"] == "Bitcoin \ufffd moon"
    stored = warehouse(settings, "SELECT post_id, selftext FROM LOADING.reddit_posts")
    assert (
        dict(zip(stored["post_id"], stored["selftext"], strict=True))["next"] == "body \ufffd here"
    )
