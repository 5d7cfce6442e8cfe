"""Coinlore data that must be refused: missing keys, empty or negative values, short listings."""

from __future__ import annotations

import math
from typing import Any

import pytest

from crypto_assets.sources.coinlore import (
    EMPTY_ALLOWED_FIELDS,
    MIN_LISTING_SHARE,
    NON_NEGATIVE_FIELDS,
    NUMBER_FIELDS,
    CoinloreClient,
    parse_tickers_page,
)
from crypto_assets.sources.errors import PayloadError
from crypto_assets.sources.http import HttpClient
from crypto_assets_tests.sources.coinlore_payloads import INFO_TIME, coin, tickers_by_rank
from crypto_assets_tests.sources.scripted_server import Reply, ScriptedServer

REQUIRED_VALUE_FIELDS = [f for f in NUMBER_FIELDS if f not in EMPTY_ALLOWED_FIELDS]
PERCENT_FIELDS = [f for f in NUMBER_FIELDS if f.startswith("percent_change")]


def page_with(**changes: Any) -> dict[str, Any]:
    """Four coins; the one at data[3] carries `changes`."""
    return {"data": [coin(1), coin(2), coin(3), coin(4, **changes)], "info": {"time": INFO_TIME}}


def page_without(field: str) -> dict[str, Any]:
    page = page_with()
    del page["data"][3][field]
    return page


def test_the_field_rules_cover_every_number_field() -> None:
    assert set(EMPTY_ALLOWED_FIELDS) < set(NUMBER_FIELDS)
    assert set(NON_NEGATIVE_FIELDS) | set(PERCENT_FIELDS) == set(NUMBER_FIELDS)
    assert not set(NON_NEGATIVE_FIELDS) & set(PERCENT_FIELDS)
    assert {"price_usd", "market_cap_usd", "volume24", "csupply"} <= set(REQUIRED_VALUE_FIELDS)


@pytest.mark.parametrize("field", NUMBER_FIELDS)
def test_a_missing_number_key_names_its_path(field: str) -> None:
    with pytest.raises(PayloadError, match=rf"coinlore tickers: data\[3\]\.{field}: missing$"):
        parse_tickers_page(page_without(field))


@pytest.mark.parametrize("value", [None, ""], ids=["null", "empty-string"])
@pytest.mark.parametrize("field", REQUIRED_VALUE_FIELDS)
def test_an_empty_required_value_names_its_path(field: str, value: object) -> None:
    with pytest.raises(PayloadError) as caught:
        parse_tickers_page(page_with(**{field: value}))

    assert f"coinlore tickers: data[3].{field}: expected a number, got {value!r}" in str(
        caught.value
    )


@pytest.mark.parametrize("value", [None, ""], ids=["null", "empty-string"])
@pytest.mark.parametrize("field", EMPTY_ALLOWED_FIELDS)
def test_fields_the_recordings_leave_empty_may_be_empty(field: str, value: object) -> None:
    assert parse_tickers_page(page_with(**{field: value})).coins[3][field] is None


@pytest.mark.parametrize("value", ["-1.5", -0.01, "-3.14E-10"])
@pytest.mark.parametrize("field", NON_NEGATIVE_FIELDS)
def test_a_negative_quantity_names_its_path(field: str, value: object) -> None:
    with pytest.raises(PayloadError) as caught:
        parse_tickers_page(page_with(**{field: value}))

    assert f"coinlore tickers: data[3].{field}: must not be negative, got {value!r}" in str(
        caught.value
    )


@pytest.mark.parametrize("field", PERCENT_FIELDS)
def test_percent_changes_may_be_negative(field: str) -> None:
    assert parse_tickers_page(page_with(**{field: "-12.5"})).coins[3][field] == -12.5


@pytest.mark.parametrize("field", ["price_usd", "volume24", "volume24a", "tsupply", "msupply"])
def test_zero_quantities_are_accepted(field: str) -> None:
    assert parse_tickers_page(page_with(**{field: "0"})).coins[3][field] == 0.0


def client_for(server: ScriptedServer, http: HttpClient) -> CoinloreClient:
    return CoinloreClient(http, base_url=server.url("/api"))


@pytest.mark.parametrize(
    "body", [{"data": []}, {"data": [], "info": {"coins_num": 13413, "time": INFO_TIME}}]
)
def test_an_empty_first_page_fails(server: ScriptedServer, http: HttpClient, body: dict) -> None:
    server.script("GET", "/api/tickers/", Reply(body))

    with pytest.raises(
        PayloadError, match=r"data: no coins on the first page \(start=0, limit=100"
    ):
        client_for(server, http).fetch_top(1000)


def test_a_bad_coin_on_a_later_page_fails(server: ScriptedServer, http: HttpClient) -> None:
    bad = {"data": [coin(101), coin(102, price_usd="-0.5")]}
    server.script(
        "GET", "/api/tickers/", Reply({"data": [coin(r) for r in range(1, 101)]}), Reply(bad)
    )

    with pytest.raises(PayloadError) as caught:
        client_for(server, http).fetch_top(200)

    assert "data[1].price_usd: must not be negative, got '-0.5'" in str(caught.value)
    assert "page start=100, limit=100" in str(caught.value)


SHORT = math.ceil(MIN_LISTING_SHARE * 1000) - 1  # one coin below the threshold for n=1000


@pytest.mark.parametrize(
    ("served", "info", "n", "message"),
    [
        (SHORT, False, 1000, f"got {SHORT} coins, expected at least 900 of 1000"),
        (SHORT, True, 1000, f"got {SHORT} coins, expected at least 900 of 1000"),
        (130, False, 1000, "got 130 coins, expected at least 900 of 1000"),
        (40, False, 50, "got 40 coins, expected at least 45 of 50"),
    ],
)
def test_far_fewer_coins_than_asked_for_fails(
    server: ScriptedServer, http: HttpClient, served: int, info: bool, n: int, message: str
) -> None:
    # with info, the listing claims 13413 coins exist but stops early
    script = tickers_by_rank(total=served, info=info)
    if info:
        server.script("GET", "/api/tickers/", lambda r: _claiming(script(r), 13413))
    else:
        server.script("GET", "/api/tickers/", script)

    with pytest.raises(PayloadError) as caught:
        client_for(server, http).fetch_top(n)

    assert f"coinlore tickers: {message}" in str(caught.value)


def _claiming(reply: Reply, coins_num: int) -> Reply:
    reply.body["info"]["coins_num"] = coins_num
    return reply


@pytest.mark.parametrize(
    ("served", "info", "n"),
    [
        (math.ceil(MIN_LISTING_SHARE * 1000), False, 1000),  # exactly at the threshold
        (130, True, 1000),  # info.coins_num says only 130 coins exist
        (1000, True, 1000),
    ],
)
def test_enough_coins_pass(
    server: ScriptedServer, http: HttpClient, served: int, info: bool, n: int
) -> None:
    server.script("GET", "/api/tickers/", tickers_by_rank(total=served, info=info))

    assert len(client_for(server, http).fetch_top(n).coins) == min(served, n)
