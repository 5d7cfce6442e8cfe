"""CoinloreClient paging, de-duplication, as_of and pacing against a local server."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crypto_assets.sources.coinlore import COINLORE_MIN_INTERVAL_S, CoinloreClient
from crypto_assets.sources.errors import PayloadError
from crypto_assets.sources.http import HttpClient
from crypto_assets_tests.sources.coinlore_payloads import INFO_TIME, coin, tickers_by_rank
from crypto_assets_tests.sources.scripted_server import Reply, ScriptedServer

FETCH_TIME = datetime(2025, 10, 30, 12, 0, tzinfo=UTC)


def client_for(server: ScriptedServer, http: HttpClient, page_size: int = 100) -> CoinloreClient:
    return CoinloreClient(
        http, base_url=server.url("/api"), page_size=page_size, now=lambda: FETCH_TIME
    )


def test_pages_to_n_in_limit_sized_steps(server: ScriptedServer, http: HttpClient) -> None:
    server.script("GET", "/api/tickers/", tickers_by_rank())

    snapshot = client_for(server, http).fetch_top(250)

    requested = [(r.query["start"], r.query["limit"]) for r in server.seen()]
    assert requested == [("0", "100"), ("100", "100"), ("200", "50")]
    assert [c["rank"] for c in snapshot.coins] == list(range(1, 251))
    assert snapshot.pages == 3
    assert snapshot.coins[0]["price_usd"] == 1.5 and snapshot.coins[0]["msupply"] is None


def test_overlapping_pages_are_deduplicated(server: ScriptedServer, http: HttpClient) -> None:
    server.script("GET", "/api/tickers/", tickers_by_rank(shift_at=1))

    snapshot = client_for(server, http).fetch_top(250)

    ids = [c["id"] for c in snapshot.coins]
    assert len(ids) == len(set(ids)) == 249  # rank 100 was on pages one and two
    assert [c["rank"] for c in snapshot.coins] == list(range(1, 250))
    assert [c["rank"] for c in snapshot.coins] == sorted(c["rank"] for c in snapshot.coins)
    assert [(r.query["start"], r.query["limit"]) for r in server.seen()] == [
        ("0", "100"),
        ("100", "100"),
        ("200", "50"),
    ]


def test_first_occurrence_wins_and_output_is_sorted(
    server: ScriptedServer, http: HttpClient
) -> None:
    info = {"time": INFO_TIME, "coins_num": 3}  # Coinlore knows only three coins
    first = {"data": [coin(2), coin(1) | {"price_usd": "10"}], "info": info}
    second = {"data": [coin(1) | {"price_usd": "99", "rank": 3}, coin(4)]}
    server.script("GET", "/api/tickers/", Reply(first), Reply(second), Reply({"data": []}))

    snapshot = client_for(server, http, page_size=2).fetch_top(10)

    assert [c["rank"] for c in snapshot.coins] == [1, 2, 4]
    assert snapshot.coins[0]["price_usd"] == 10.0


def test_stops_at_an_empty_page(server: ScriptedServer, http: HttpClient) -> None:
    server.script("GET", "/api/tickers/", tickers_by_rank(total=130))  # info.coins_num=130

    snapshot = client_for(server, http).fetch_top(1000)

    assert len(snapshot.coins) == 130
    assert [r.query["start"] for r in server.seen()] == ["0", "100", "130"]
    assert snapshot.pages == 3


def test_as_of_is_the_first_pages_info_time(server: ScriptedServer, http: HttpClient) -> None:
    server.script("GET", "/api/tickers/", tickers_by_rank())

    snapshot = client_for(server, http).fetch_top(150)

    assert snapshot.as_of == datetime.fromtimestamp(INFO_TIME + 1, UTC)
    assert snapshot.fetched_at == FETCH_TIME


def test_as_of_falls_back_to_the_fetch_time(server: ScriptedServer, http: HttpClient) -> None:
    server.script("GET", "/api/tickers/", tickers_by_rank(info=False))

    snapshot = client_for(server, http).fetch_top(5)

    assert snapshot.as_of == snapshot.fetched_at == FETCH_TIME
    assert snapshot.as_of.tzinfo is not None


def test_default_clock_gives_an_aware_fetch_time(server: ScriptedServer, http: HttpClient) -> None:
    server.script("GET", "/api/tickers/", tickers_by_rank(info=False))
    before = datetime.now(UTC)

    snapshot = CoinloreClient(http, base_url=server.url("/api")).fetch_top(1)

    assert before <= snapshot.fetched_at <= datetime.now(UTC)


def test_payload_error_names_the_page(server: ScriptedServer, http: HttpClient) -> None:
    bad = {"data": [coin(101), coin(102) | {"price_usd": "abc"}]}
    server.script(
        "GET", "/api/tickers/", Reply({"data": [coin(r) for r in range(1, 101)]}), Reply(bad)
    )

    with pytest.raises(PayloadError) as caught:
        client_for(server, http).fetch_top(200)

    message = str(caught.value)
    assert "coinlore tickers: data[1].price_usd: expected a number, got 'abc'" in message
    assert "page start=100, limit=100" in message


def test_requests_are_paced_at_one_per_second(server: ScriptedServer, clock) -> None:
    server.script("GET", "/api/tickers/", tickers_by_rank())
    http = HttpClient(min_interval_s=COINLORE_MIN_INTERVAL_S, sleep=clock.sleep, clock=clock)

    client_for(server, http).fetch_top(400)

    assert COINLORE_MIN_INTERVAL_S == 1.0
    assert len(server.seen()) == 4
    assert clock.sleeps == [1.0, 1.0, 1.0]


@pytest.mark.parametrize("n", [0, -5])
def test_n_must_be_positive(http: HttpClient, n: int) -> None:
    with pytest.raises(ValueError, match="n must be at least 1"):
        CoinloreClient(http).fetch_top(n)
