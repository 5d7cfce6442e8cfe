"""parse_tickers_page on the real recorded response and on drifted or malformed payloads."""

from __future__ import annotations

import copy
import csv
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

import crypto_assets.sources
from crypto_assets.sources.coinlore import COIN_FIELDS, NUMBER_FIELDS, parse_tickers_page
from crypto_assets.sources.errors import PayloadError

RECORDING = (
    Path(crypto_assets.sources.__file__).parent
    / "recordings"
    / "coinlore_tickers_top100_2024-12-07.json"
)
FIXTURES = Path(__file__).parents[1] / "fixtures"


@pytest.fixture(scope="module")
def recorded() -> dict[str, Any]:
    return json.loads(RECORDING.read_text())


def test_recorded_response_parses_to_100_typed_coins(recorded: dict[str, Any]) -> None:
    page = parse_tickers_page(recorded)

    assert len(page.coins) == 100
    assert page.info_time == datetime(2024, 12, 7, 12, 12, 3, tzinfo=UTC)
    assert page.coins_num == 13413
    btc = page.coins[0]
    assert (btc["id"], btc["symbol"], btc["name"], btc["nameid"], btc["rank"]) == (
        "90",
        "BTC",
        "Bitcoin",
        "bitcoin",
        1,
    )
    assert btc["price_usd"] == 99584.59
    assert btc["msupply"] == 21_000_000.0
    for coin in page.coins:
        assert tuple(coin) == COIN_FIELDS
        assert all(isinstance(coin[key], str) for key in ("id", "symbol", "name", "nameid"))
        assert type(coin["rank"]) is int
        assert all(coin[key] is None or type(coin[key]) is float for key in NUMBER_FIELDS)
    assert [coin["rank"] for coin in page.coins] == list(range(1, 101))


def test_recorded_quirks_are_typed(recorded: dict[str, Any]) -> None:
    coins = {coin["symbol"]: coin for coin in parse_tickers_page(recorded).coins}

    assert coins["ETH"]["msupply"] is None  # "" in the recording
    assert coins["SHIB"]["price_btc"] == pytest.approx(3.14e-10)  # "3.14E-10"
    assert coins["SHIB"]["tsupply"] == pytest.approx(5.8951910369752e14)  # "5.8951910369752E+14"
    assert coins["BTC"]["volume24"] == pytest.approx(60985129577.58225)  # a JSON float
    nulls = [c for c in recorded["data"] if c["msupply"] is None]
    assert nulls and all(coins[c["symbol"]]["msupply"] is None for c in nulls)


_DROP = object()  # marks a key to remove from the sample coin


def _coin(**changes: Any) -> dict[str, Any]:
    """The recorded Bitcoin ticker (every field present) with `changes` applied."""
    coin = copy.deepcopy(json.loads(RECORDING.read_text())["data"][0])
    for key, value in changes.items():
        if value is _DROP:
            coin.pop(key)
        else:
            coin[key] = value
    return coin


@pytest.mark.parametrize(
    ("changes", "field", "expected"),
    [
        ({"rank": 2.0}, "rank", 2),
        ({"rank": "7.0"}, "rank", 7),
        ({"msupply": ""}, "msupply", None),
        ({"msupply": None}, "msupply", None),
        ({"price_usd": "3.14E-10"}, "price_usd", 3.14e-10),
        ({"price_usd": " 12 "}, "price_usd", 12.0),
        ({"price_usd": 5}, "price_usd", 5.0),
        ({"volume24": 1.5}, "volume24", 1.5),
        ({"percent_change_7d": ""}, "percent_change_7d", None),
        ({"nameid": _DROP}, "nameid", ""),
        ({"id": 90}, "id", "90"),
    ],
)
def test_lenient_values_are_normalised(changes: dict[str, Any], field: str, expected: Any) -> None:
    coin = parse_tickers_page({"data": [_coin(**changes)]}).coins[0]

    assert coin[field] == expected
    assert type(coin[field]) is type(expected)


def _with_coin_at_3(**changes: Any) -> dict[str, Any]:
    return {"data": [_coin(), _coin(), _coin(), _coin(**changes)], "info": {"time": 1}}


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ([], "coinlore tickers: payload: expected an object, got list"),
        ({"info": {}}, "coinlore tickers: data: missing"),
        ({"data": {"0": {}}}, "coinlore tickers: data: expected a list, got dict"),
        ({"data": [_coin(), "BTC"]}, "coinlore tickers: data[1]: expected an object, got str"),
        (_with_coin_at_3(id=_DROP), "coinlore tickers: data[3].id: missing"),
        (_with_coin_at_3(symbol=None), "coinlore tickers: data[3].symbol: missing"),
        (_with_coin_at_3(name=7), "coinlore tickers: data[3].name: expected a string, got 7"),
        (_with_coin_at_3(rank=_DROP), "coinlore tickers: data[3].rank: missing"),
        (_with_coin_at_3(rank=2.5), "coinlore tickers: data[3].rank: expected an integer, got 2.5"),
        (_with_coin_at_3(rank="first"), "coinlore tickers: data[3].rank: expected a number"),
        (
            _with_coin_at_3(price_usd="abc"),
            "coinlore tickers: data[3].price_usd: expected a number, got 'abc'",
        ),
        (
            _with_coin_at_3(price_btc="nan"),
            "coinlore tickers: data[3].price_btc: expected a number",
        ),
        (_with_coin_at_3(volume24=True), "coinlore tickers: data[3].volume24: expected a number"),
        (  # json.loads turns a bare NaN literal into a float
            _with_coin_at_3(volume24=float("nan")),
            "coinlore tickers: data[3].volume24: expected a finite number, got nan",
        ),
        (_with_coin_at_3(csupply=[1]), "coinlore tickers: data[3].csupply: expected a number"),
        ({"data": [], "info": "x"}, "coinlore tickers: info: expected an object, got str"),
        ({"data": [], "info": {"time": "noon"}}, "coinlore tickers: info.time: expected a number"),
    ],
)
def test_malformed_payload_names_the_field(payload: object, message: str) -> None:
    with pytest.raises(PayloadError) as caught:
        parse_tickers_page(payload)

    assert message in str(caught.value)


def test_drift_in_a_real_recording_is_reported_at_its_path(recorded: dict[str, Any]) -> None:
    drifted = copy.deepcopy(recorded)
    drifted["data"][41]["market_cap_usd"] = "n/a"

    with pytest.raises(PayloadError, match=r"data\[41\]\.market_cap_usd: expected a number"):
        parse_tickers_page(drifted)


def test_csv_export_rows_parse_until_an_export_artefact() -> None:
    """The 7,000-coin pandas export: string numbers, float ranks, and "0?" artefacts."""
    with (FIXTURES / "coinlore_tickers_7000coins_2021-12.csv").open(newline="") as handle:
        rows = [{k: v for k, v in row.items() if k} for row in csv.DictReader(handle)]
    first_artefact = next(i for i, row in enumerate(rows) if "0?" in row.values())

    page = parse_tickers_page({"data": rows[:first_artefact]})
    assert [coin["rank"] for coin in page.coins[:2]] == [2, 3]
    assert page.coins[0]["symbol"] == "ETH"
    assert page.coins[0]["msupply"] is None
    with pytest.raises(PayloadError, match=rf"data\[{first_artefact}\]\.\w+: expected a number"):
        parse_tickers_page({"data": rows[: first_artefact + 1]})
