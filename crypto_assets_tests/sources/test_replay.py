"""Replay mode: recorded responses served through the same HttpClient and parsers as live."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import requests

import crypto_assets.sources
from crypto_assets.sources.coinlore import CoinloreClient
from crypto_assets.sources.errors import SourceUnavailableError
from crypto_assets.sources.http import HttpClient
from crypto_assets.sources.reddit import RedditClient, RedditCredentials
from crypto_assets.sources.replay import (
    RECORDED_COINLORE_AS_OF,
    ReplayAdapter,
    recorded_coinlore_coin_count,
    recorded_post_times,
    replay_session,
)

RECORDINGS = Path(crypto_assets.sources.__file__).parent / "recordings"
COINLORE_FILE = RECORDINGS / "coinlore_tickers_top100_2024-12-07.json"
REDDIT_FILE = RECORDINGS / "reddit_crypto_posts_praw_2025-10-30_1533posts.json"
CREDS = RedditCredentials("replay-id", "replay-secret", "replay_user", "replay-pw")


@pytest.fixture(scope="module")
def records() -> list[dict[str, Any]]:
    return json.loads(REDDIT_FILE.read_text())


def recorded_in(
    records: list[dict[str, Any]], subreddits: list[str], start: datetime, end: datetime
) -> list[dict[str, Any]]:
    """The recording's own answer: its posts of `subreddits` created in [start, end)."""
    wanted = {s.lower() for s in subreddits}
    naive_start, naive_end = start.replace(tzinfo=None), end.replace(tzinfo=None)
    return [
        r
        for r in records
        if r["subreddit"] in wanted
        and naive_start <= datetime.fromisoformat(r["created_utc"]) < naive_end
    ]


def http() -> HttpClient:
    return HttpClient(replay_session(), max_retries=0)


def test_coinlore_replay_snapshot() -> None:
    snapshot = CoinloreClient(http()).fetch_top(recorded_coinlore_coin_count())

    assert snapshot.as_of == RECORDED_COINLORE_AS_OF == datetime(2024, 12, 7, 12, 12, 3, tzinfo=UTC)
    assert snapshot.as_of.isoformat() == "2024-12-07T12:12:03+00:00"
    assert len(snapshot.coins) == recorded_coinlore_coin_count() == 100 and snapshot.pages == 1
    assert snapshot.coins[0]["symbol"] == "BTC"
    recorded = json.loads(COINLORE_FILE.read_text())["data"]
    assert [c["id"] for c in snapshot.coins] == [c["id"] for c in recorded]


def test_coinlore_replay_pages_slice_the_recording() -> None:
    session = replay_session()
    url = "https://api.coinlore.net/api/tickers/"

    first = session.get(url, params={"start": 0, "limit": 100})
    middle = session.get(url, params={"start": 50, "limit": 10}).json()
    beyond = session.get(url, params={"start": 100, "limit": 100}).json()

    assert first.content == COINLORE_FILE.read_bytes()  # the unmodified recorded body
    assert [c["rank"] for c in middle["data"]] == list(range(51, 61))
    assert middle["info"] == beyond["info"] == {"coins_num": 13413, "time": 1733573523}
    assert beyond["data"] == []


@pytest.mark.parametrize("credentials", [CREDS, None], ids=["oauth", "public"])
def test_reddit_window_returns_exactly_the_recorded_posts(
    records: list[dict[str, Any]], credentials: RedditCredentials | None
) -> None:
    start = datetime(2025, 10, 28, 12, 0, tzinfo=UTC)
    end = start + timedelta(hours=1)
    subreddits = ["CryptoCurrency", "Bitcoin"]

    posts = RedditClient(http(), credentials).fetch_window(subreddits, start, end)

    expected = recorded_in(records, subreddits, start, end)
    assert len(expected) >= 3
    assert sorted(p["id"] for p in posts) == sorted(r["post_id"] for r in expected)
    by_id = {r["post_id"]: r for r in expected}
    for post in posts:
        record = by_id[post["id"]]
        assert post["created_utc"].replace(tzinfo=None).isoformat() == record["created_utc"]
        assert post["subreddit"].lower() == record["subreddit"]
        for field in ("title", "selftext", "author", "score", "num_comments"):
            assert post[field] == record[field]
        assert post["flair"] == record["link_flair_text"]
        assert post["permalink"] == "https://www.reddit.com" + urlsplit(record["permalink"]).path
    assert [p["created_utc"] for p in posts] == sorted(p["created_utc"] for p in posts)


def test_a_ten_minute_window_around_a_recorded_post(records: list[dict[str, Any]]) -> None:
    post_time = recorded_post_times("CryptoCurrency")[250]
    start = post_time.replace(minute=post_time.minute // 10 * 10, second=0)
    end = start + timedelta(minutes=10)

    posts = RedditClient(http(), CREDS).fetch_window(["CryptoCurrency"], start, end)

    expected = recorded_in(records, ["CryptoCurrency"], start, end)
    assert post_time in [p["created_utc"] for p in posts]
    assert sorted(p["id"] for p in posts) == sorted(r["post_id"] for r in expected)


def test_replay_listing_pages_through_a_whole_subreddit(records: list[dict[str, Any]]) -> None:
    client = RedditClient(http(), CREDS)
    seen, after = [], None
    while True:
        page = client.fetch_new_page("cryptocurrency", after)
        assert len(page.posts) <= 100
        seen += page.posts
        if page.after is None:
            break
        after = page.after

    recorded = [r for r in records if r["subreddit"] == "cryptocurrency"]
    assert len(seen) == len(recorded) == 500
    assert {p["id"] for p in seen} == {r["post_id"] for r in recorded}
    times = [p["created_utc"] for p in seen]
    assert times == sorted(times, reverse=True)  # newest first, like /new


def test_replay_reddit_responses_carry_rate_limit_headers() -> None:
    response = replay_session().get("https://www.reddit.com/r/Bitcoin/new.json?limit=5")

    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("application/json")
    assert float(response.headers["X-Ratelimit-Remaining"]) >= 1
    assert int(response.headers["X-Ratelimit-Used"]) >= 1
    assert 0 < int(response.headers["X-Ratelimit-Reset"]) <= 600
    body = response.json()
    assert body["kind"] == "Listing" and len(body["data"]["children"]) == 5
    assert body["data"]["after"] == body["data"]["children"][-1]["data"]["name"]


@pytest.mark.parametrize(
    ("method", "url", "status"),
    [
        ("GET", "https://oauth.reddit.com/r/Bitcoin/new?limit=5", 401),  # no bearer token
        ("GET", "https://www.reddit.com/r/Bitcoin/hot.json", 404),
        ("GET", "https://api.coinlore.net/api/global/", 404),
        ("GET", "https://example.com/anything", 404),  # never leaves the machine
    ],
)
def test_replay_answers_other_routes_with_errors(method: str, url: str, status: int) -> None:
    response = replay_session().request(method, url)

    assert isinstance(response, requests.Response)
    assert response.status_code == status
    assert isinstance(response.json(), dict)


def test_replay_errors_surface_as_source_errors() -> None:
    with pytest.raises(SourceUnavailableError, match="HTTP 404"):
        http().get_json("https://api.coinlore.net/api/global/")


def test_replay_session_mounts_the_adapter_on_the_api_hosts() -> None:
    session = replay_session()

    for url in (
        "https://api.coinlore.net/api/",
        "https://www.reddit.com/",
        "https://oauth.reddit.com/",
    ):
        assert isinstance(session.get_adapter(url), ReplayAdapter)


def test_recorded_post_times() -> None:
    times = recorded_post_times()

    assert len(times) == 1533
    assert times == sorted(times)
    assert all(t.tzinfo is UTC for t in times)
    assert times[0] == datetime(2025, 9, 30, 13, 49, 42, tzinfo=UTC)
    assert len(recorded_post_times("ethereum")) == 113
