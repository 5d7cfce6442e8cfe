"""Replay of past days: recorded archive posts and klines served through the live clients."""

from __future__ import annotations

import csv
import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests

import crypto_assets.sources
from crypto_assets.sources.history_replay import (
    REPLAY_HISTORY_DAYS,
    REPLAY_SUBREDDITS,
    recorded_history_posts,
    replay_symbols,
)
from crypto_assets.sources.http import HttpClient
from crypto_assets.sources.klines import (
    DEFAULT_PRICE_HISTORY_URL,
    Candle,
    KlinesClient,
    UnknownSymbolError,
)
from crypto_assets.sources.reddit_archive import (
    DEFAULT_ARCHIVE_URL,
    RATELIMIT_MIN_REMAINING,
    SEARCH_PATH,
    ArchiveClient,
)
from crypto_assets.sources.replay import REPLAY_URL_PREFIXES, replay_session

HISTORY = Path(crypto_assets.sources.__file__).parent / "recordings" / "history"
LUNA_CSV = HISTORY / "klines" / "LUNAUSDT-1m-2022-05-08_13.csv"
BTC_JSON = HISTORY / "klines" / "BTC_USDT-5m-2022-05-08_13_14.json"
MAY_8, MAY_13, MAY_14 = date(2022, 5, 8), date(2022, 5, 13), date(2022, 5, 14)
SUBREDDITS = ("Bitcoin", "CoinBase", "CryptoMarkets", "binance", "dogecoin", "ethereum")
DOGECOIN_PER_DAY = {MAY_8: 65, MAY_13: 141, MAY_14: 89}  # the recording's own day counts
FIVE_MIN_MS = 300_000


def http(**kwargs: Any) -> HttpClient:
    return HttpClient(replay_session(), max_retries=0, **kwargs)


def bounds(day: date) -> tuple[datetime, datetime]:
    start = datetime(day.year, day.month, day.day, tzinfo=UTC)
    return start, start + timedelta(days=1)


def recorded_posts(subreddit: str) -> list[dict[str, Any]]:
    """The shipped NDJSON of one subreddit, read directly (not through the replay code)."""
    text = (HISTORY / "reddit" / f"{subreddit}_2022-05-08_13_14.ndjson").read_text("utf-8")
    return [json.loads(line) for line in text.splitlines()]


def recorded_on(posts: list[dict[str, Any]], day: date) -> list[dict[str, Any]]:
    start, end = bounds(day)
    return [p for p in posts if start.timestamp() <= p["created_utc"] < end.timestamp()]


def luna_1m_rows() -> list[list[str]]:
    with LUNA_CSV.open(newline="") as lines:
        return list(csv.reader(lines))


def test_the_recorded_days_are_the_days_the_posts_were_created() -> None:
    days = {datetime.fromtimestamp(p["created_utc"], UTC).date() for p in recorded_history_posts()}

    assert REPLAY_HISTORY_DAYS == (MAY_8, MAY_13, MAY_14)
    assert days == set(REPLAY_HISTORY_DAYS)
    assert {p["subreddit"] for p in recorded_history_posts()} == set(SUBREDDITS)
    assert sorted(REPLAY_SUBREDDITS) == sorted(SUBREDDITS)


@pytest.mark.parametrize("day", REPLAY_HISTORY_DAYS, ids=str)
def test_archive_replay_returns_exactly_the_recorded_posts_of_a_day(day: date) -> None:
    session = replay_session()
    pages: list[str] = []
    session.hooks["response"].append(lambda response, *args, **kwargs: pages.append(response.url))
    client = ArchiveClient(HttpClient(session, max_retries=0))

    posts = client.fetch_subreddit("dogecoin", *bounds(day))

    expected = recorded_on(recorded_posts("dogecoin"), day)
    assert len(posts) == len(expected) == DOGECOIN_PER_DAY[day]
    assert sorted(p["id"] for p in posts) == sorted(e["id"] for e in expected)
    by_id = {e["id"]: e for e in expected}
    for post in posts:
        record = by_id[post["id"]]
        assert post["created_utc"] == datetime.fromtimestamp(record["created_utc"], UTC)
        assert (post["title"], post["author"], post["score"]) == (
            record["title"],
            record["author"],
            record["score"],
        )
    # A day of more than 100 posts takes several 100-post pages, like the real archive.
    assert all(SEARCH_PATH in url and "limit=100" in url for url in pages)
    assert len(pages) >= 2 if len(expected) > 100 else len(pages) == 1


@pytest.mark.parametrize("day", REPLAY_HISTORY_DAYS, ids=str)
def test_archive_replay_serves_all_six_subreddits(day: date) -> None:
    posts = ArchiveClient(http()).fetch_window(list(SUBREDDITS), *bounds(day))

    expected = [p for sub in SUBREDDITS for p in recorded_on(recorded_posts(sub), day)]
    assert sorted(p["id"] for p in posts) == sorted(e["id"] for e in expected)
    assert {p["subreddit"] for p in posts} == set(SUBREDDITS)


@pytest.mark.parametrize(
    ("after", "before", "found"),
    [(-1, 1, True), (0, 1, False), (-1, 0, False)],
    ids=["around", "after-is-exclusive", "before-is-exclusive"],
)
def test_archive_replay_bounds_are_exclusive(after: int, before: int, found: bool) -> None:
    post = recorded_on(recorded_posts("dogecoin"), MAY_13)[0]
    moment = post["created_utc"]
    params = {"subreddit": "dogecoin", "after": moment + after, "before": moment + before}

    body = replay_session().get(DEFAULT_ARCHIVE_URL + SEARCH_PATH, params=params).json()

    assert (post["id"] in [p["id"] for p in body["data"]]) is found


@pytest.mark.parametrize("day", [date(2022, 5, 10), date(2022, 5, 20)], ids=str)
def test_a_day_not_recorded_is_an_empty_day(day: date) -> None:
    assert ArchiveClient(http()).fetch_subreddit("dogecoin", *bounds(day)) == []


def test_archive_replay_rate_limit_headers_never_force_a_wait() -> None:
    sleeps: list[float] = []
    url = DEFAULT_ARCHIVE_URL + SEARCH_PATH

    response = replay_session().get(url, params={"subreddit": "dogecoin", "limit": 5})
    for day in REPLAY_HISTORY_DAYS:
        ArchiveClient(http(sleep=sleeps.append)).fetch_subreddit("Bitcoin", *bounds(day))

    assert response.status_code == 200 and len(response.json()["data"]) == 5
    assert float(response.headers["X-RateLimit-Remaining"]) >= RATELIMIT_MIN_REMAINING
    assert int(response.headers["X-RateLimit-Reset"]) > datetime.now(UTC).timestamp()
    assert sleeps == []


@pytest.mark.parametrize(
    ("url", "status", "body"),
    [
        (f"{DEFAULT_ARCHIVE_URL}{SEARCH_PATH}?subreddit=dogecoin&limit=101", 400,
         {"error": "limit must be <= 100"}),
        (f"{DEFAULT_ARCHIVE_URL}/api/comments/search", 404, {"error": "Not Found"}),
        (f"{DEFAULT_PRICE_HISTORY_URL}/api/v3/klines?symbol=NOPEUSDT&interval=5m", 400,
         {"code": -1121, "msg": "Invalid symbol."}),
        (f"{DEFAULT_PRICE_HISTORY_URL}/api/v3/ping", 200, {}),
    ],
)  # fmt: skip
def test_history_replay_answers_like_the_apis(url: str, status: int, body: Any) -> None:
    response = replay_session().get(url)

    assert isinstance(response, requests.Response)
    assert (response.status_code, response.json()) == (status, body)


def test_the_history_hosts_are_replay_prefixes() -> None:
    assert DEFAULT_ARCHIVE_URL + "/" in REPLAY_URL_PREFIXES
    assert DEFAULT_PRICE_HISTORY_URL + "/" in REPLAY_URL_PREFIXES


def assert_aggregates_the_1m_rows(candles: list[Candle], day: date) -> None:
    start, end = bounds(day)
    buckets: dict[int, list[list[str]]] = {}
    for row in luna_1m_rows():
        opened = int(row[0])
        if start.timestamp() * 1000 <= opened < end.timestamp() * 1000:
            buckets.setdefault(opened - opened % FIVE_MIN_MS, []).append(row)
    assert [int(c.open_time.timestamp() * 1000) for c in candles] == sorted(buckets)
    assert [c.close for c in candles] == [float(buckets[b][-1][4]) for b in sorted(buckets)]
    assert [c.open for c in candles] == [float(buckets[b][0][1]) for b in sorted(buckets)]
    assert [c.high for c in candles] == [
        max(float(r[2]) for r in buckets[b]) for b in sorted(buckets)
    ]


@pytest.mark.parametrize(
    ("day", "count"),
    # 2022-05-08 is whole; the source's LUNA rows of 2022-05-13 stop at 00:39 (8 candles).
    [(MAY_8, 288), (MAY_13, 8), (MAY_14, 0)],
    ids=str,
)
def test_luna_5m_candles_aggregate_the_recorded_1m_rows(day: date, count: int) -> None:
    candles = KlinesClient(http()).fetch_klines("LUNAUSDT", *bounds(day), interval="5m")

    assert len(candles) == count
    assert_aggregates_the_1m_rows(candles, day)
    assert all(
        c.close_time - c.open_time == timedelta(milliseconds=FIVE_MIN_MS - 1) for c in candles
    )


def test_luna_crashed_between_the_recorded_days() -> None:
    client = KlinesClient(http())

    before = client.fetch_klines("LUNAUSDT", *bounds(MAY_8))
    after = client.fetch_klines("LUNAUSDT", *bounds(MAY_13))

    assert min(c.low for c in before) > 50 and max(c.high for c in after) < 0.01


@pytest.mark.parametrize("day", REPLAY_HISTORY_DAYS, ids=str)
def test_btc_5m_candles_equal_the_recording(day: date) -> None:
    start, end = bounds(day)
    recorded = [
        row
        for row in json.loads(BTC_JSON.read_text())
        if start.timestamp() * 1000 <= row[0] < end.timestamp() * 1000
    ]

    candles = KlinesClient(http()).fetch_klines("BTCUSDT", start, end, interval="5m")

    assert len(candles) == len(recorded) == 288
    assert [int(c.open_time.timestamp() * 1000) for c in candles] == [r[0] for r in recorded]
    assert [(c.open, c.high, c.low, c.close, c.volume) for c in candles] == [
        tuple(r[1:6]) for r in recorded
    ]


@pytest.mark.parametrize(
    ("symbol", "interval"),
    [("ETHUSDT", "5m"), ("BTCUSDT", "1m")],  # BTC is recorded at 5m: nothing finer
)
def test_a_listed_symbol_without_recorded_candles_has_none(symbol: str, interval: str) -> None:
    assert symbol in replay_symbols()

    assert KlinesClient(http()).fetch_klines(symbol, *bounds(MAY_13), interval=interval) == []


def test_a_made_up_symbol_is_unknown() -> None:
    with pytest.raises(UnknownSymbolError) as raised:
        KlinesClient(http()).fetch_klines("MADEUPCOINUSDT", *bounds(MAY_13))

    assert raised.value.symbol == "MADEUPCOINUSDT"


def test_exchange_info_lists_the_universe_pairs_and_the_recorded() -> None:
    body = replay_session().get(DEFAULT_PRICE_HISTORY_URL + "/api/v3/exchangeInfo").json()

    listed = {s["symbol"] for s in body["symbols"]}
    assert {"LUNAUSDT", "BTCUSDT", "ETHUSDT"} <= listed == replay_symbols()
    assert all(s["status"] == "TRADING" and s["quoteAsset"] == "USDT" for s in body["symbols"])
