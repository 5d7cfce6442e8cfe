"""The shipped coin universe: the coin dictionary and Binance pair of any day 2021-2025."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from itertools import pairwise

import pytest

from crypto_assets.history import universe
from crypto_assets.history.universe import (
    UNIVERSE_VERSION,
    binance_pair,
    coins_on,
    extend_with_listing,
    fixed_price_usdt,
    universe_rows,
)
from crypto_assets.nlp.mentions import MentionMatcher

TERRA_CLASSIC = "48537"  # Coinlore id of the original Terra (LUNA, later LUNC)
TERRA_2 = "u:terra-luna-2"  # Terra 2.0, launched 2022-05-28; in neither Coinlore recording
TERRA_USD = "48571"  # UST, later USTC
FTX_TOKEN = "48547"
SAMPLED_DAYS = [date(2021, 1, 1) + timedelta(days=61 * i) for i in range(30)]  # to 2025-11


def by_symbol(day: date, symbol: str) -> dict[str, object] | None:
    """The coin listed under ``symbol`` on ``day``, if any."""
    return next((c for c in coins_on(day) if c["symbol"] == symbol), None)


@pytest.mark.parametrize(
    ("day", "symbol", "coin_id", "pair"),
    [
        (date(2022, 5, 8), "LUNA", TERRA_CLASSIC, "LUNAUSDT"),  # before the collapse
        (date(2022, 5, 13), "LUNA", TERRA_CLASSIC, "LUNAUSDT"),  # its last 40 minutes
        (date(2022, 5, 20), "LUNA", TERRA_CLASSIC, None),  # LUNA/USDT removed 2022-05-13 00:40
        (date(2022, 6, 15), "LUNA", TERRA_2, "LUNAUSDT"),  # the same pair, another coin
        (date(2022, 6, 15), "LUNC", TERRA_CLASSIC, None),  # renamed; LUNC/USDT came later
        (date(2023, 6, 15), "LUNC", TERRA_CLASSIC, "LUNCUSDT"),
        (date(2022, 5, 8), "UST", TERRA_USD, "USTUSDT"),
        (date(2022, 11, 5), "FTT", FTX_TOKEN, "FTTUSDT"),  # days before the FTX collapse
        (date(2023, 3, 1), "FTT", FTX_TOKEN, "FTTUSDT"),  # Binance kept FTT/USDT
        (date(2024, 6, 1), "MATIC", "33536", "MATICUSDT"),
        (date(2024, 10, 15), "POL", "u:polygon-ecosystem-token", "POLUSDT"),
    ],
)
def test_coin_and_pair_of_the_day(day: date, symbol: str, coin_id: str, pair: str | None) -> None:
    coin = by_symbol(day, symbol)
    assert coin is not None and coin["id"] == coin_id
    assert binance_pair(coin_id, day) == pair


def test_terra_classic_is_not_luna_after_the_fork() -> None:
    before, after = date(2022, 5, 8), date(2022, 6, 15)
    assert by_symbol(before, "LUNA")["id"] != by_symbol(after, "LUNA")["id"]  # type: ignore[index]
    classic = next(c for c in coins_on(after) if c["id"] == TERRA_CLASSIC)
    assert classic["symbol"] == "LUNC" or binance_pair(TERRA_CLASSIC, after) is None
    assert binance_pair(TERRA_2, before) is None  # Terra 2.0 did not exist yet


@pytest.mark.parametrize("day", [date(2023, 1, 15), date(2023, 7, 1), date(2023, 12, 31)])
def test_ust_is_gone_in_2023(day: date) -> None:
    assert by_symbol(day, "UST") is None
    assert binance_pair(TERRA_USD, day) != "USTUSDT"


@pytest.mark.parametrize("day", SAMPLED_DAYS)
def test_btc_and_eth_every_day(day: date) -> None:
    assert by_symbol(day, "BTC")["id"] == "90"  # type: ignore[index]
    assert by_symbol(day, "ETH")["id"] == "80"  # type: ignore[index]
    assert binance_pair("90", day) == "BTCUSDT"
    assert binance_pair("80", day) == "ETHUSDT"


@pytest.mark.parametrize("day", SAMPLED_DAYS)
def test_no_duplicate_ids_or_symbols(day: date) -> None:
    coins = coins_on(day)
    assert 195 <= len(coins) <= 210
    ids = Counter(c["id"] for c in coins)
    symbols = Counter(str(c["symbol"]).upper() for c in coins)
    assert [i for i, n in ids.items() if n > 1] == []
    assert [s for s, n in symbols.items() if n > 1] == []
    assert [c["rank"] for c in coins] == sorted(c["rank"] for c in coins)  # type: ignore[type-var]


def test_usdt_is_the_quote_currency() -> None:
    day = date(2023, 6, 1)
    assert by_symbol(day, "USDT")["id"] == "518"  # type: ignore[index]
    assert binance_pair("518", day) is None
    assert fixed_price_usdt("518", day) == 1.0
    assert fixed_price_usdt("90", day) is None


def test_rows_are_well_formed() -> None:
    rows = universe_rows()
    assert rows and all(r.valid_to is None or r.valid_from < r.valid_to for r in rows)
    for coin_id in {r.coin_id for r in rows}:  # periods of one coin never overlap
        periods = sorted(
            (r.valid_from, r.valid_to or date.max) for r in rows if r.coin_id == coin_id
        )
        assert all(a[1] <= b[0] for a, b in pairwise(periods)), coin_id
    for r in rows:  # a pair holds on every day of its row
        if r.binance_pair:
            assert r.pair_from is None or r.pair_from <= r.valid_from
            assert r.pair_to is None or (r.valid_to is not None and r.valid_to <= r.pair_to)
    assert {r.source for r in rows if not r.source.startswith("cmc-")} == {"curated"}


def test_before_the_universe_there_is_nothing() -> None:
    assert coins_on(date(2020, 12, 31)) == []
    assert binance_pair("90", date(2020, 12, 31)) is None


def test_coins_feed_the_mention_matcher() -> None:
    matcher = MentionMatcher.from_coins(coins_on(date(2022, 5, 10)))
    found = matcher.find("Bitcoin dips while $LUNA and $UST collapse")
    assert set(found) == {"90", TERRA_CLASSIC, TERRA_USD}


def test_version_follows_the_csv_bytes(monkeypatch: pytest.MonkeyPatch) -> None:
    original = universe._csv_bytes()
    assert universe.universe_version() == UNIVERSE_VERSION and len(UNIVERSE_VERSION) == 12
    monkeypatch.setattr(universe, "_csv_bytes", lambda: original + b"\n")
    assert universe.universe_version() != UNIVERSE_VERSION


def test_a_live_listing_extends_the_universe() -> None:
    rows = universe_rows()
    day = date(2025, 11, 20)
    listing = [
        {"id": "90", "symbol": "BTC", "name": "Bitcoin", "nameid": "bitcoin", "rank": "1"},
        {"id": "999999", "symbol": "NEWC", "name": "New Coin", "nameid": "new-coin", "rank": 150},
    ]
    extended = extend_with_listing(rows, listing, day)
    assert [c["id"] for c in coins_on(day, extended)] == ["90", "999999"]
    assert binance_pair("90", day, extended) == "BTCUSDT"  # unchanged coin keeps its row
    assert binance_pair("999999", day, extended) is None
    assert coins_on(day - timedelta(days=1), extended) == coins_on(day - timedelta(days=1))
    assert extend_with_listing(extended, listing, day) == extended  # same listing: no new rows
    with pytest.raises(ValueError):
        extend_with_listing(extended, listing, day - timedelta(days=30))


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([], {}),
        # Only listings captured in time (price_source coinlore) count; the day's first wins.
        ([("2022-05-13 12:10", "coinlore", "1"), ("2022-05-13 12:00", "coinlore", "2")], {"13": ["2"]}),
        ([("2022-05-13 12:00", None, "1"), ("2022-05-13 13:00", "coinlore", "3")], {"13": ["3"]}),
        ([("2022-05-13 00:00", "binance:BTCUSDT 5m close", "1")], {}),
        ([("2022-05-13 23:50", "coinlore", "1"), ("2022-05-14 00:00", "coinlore", "2")],
         {"13": ["1"], "14": ["2"]}),
    ],
)  # fmt: skip
def test_captured_listings_are_each_days_first_live_capture(rows, expected) -> None:
    import pandas as pd

    from crypto_assets.history.days import captured_listings

    stored = pd.DataFrame(
        [
            {"window_start": pd.Timestamp(at), "price_source": source, "coin_id": coin_id,
             "symbol": "S" + coin_id, "name": "N", "nameid": "n", "rank": 1}
            for at, source, coin_id in rows
        ],
        columns=["window_start", "price_source", "coin_id", "symbol", "name", "nameid", "rank"],
    )  # fmt: skip
    found = captured_listings(stored)
    assert {f"{d.day}": [c["id"] for c in coins] for d, coins in found.items()} == expected


def test_a_captured_listing_is_the_whole_universe_of_its_day_and_keeps_known_pairs() -> None:
    from crypto_assets.history.days import day_universe, universe_with_listing

    day = date(2022, 5, 13)
    listing = [
        {"id": "90", "symbol": "BTC", "name": "Bitcoin", "nameid": "bitcoin", "rank": 1},
        {"id": TERRA_CLASSIC, "symbol": "LUNC", "name": "Terra Classic", "nameid": "x", "rank": 2},
        {"id": "999999", "symbol": "NEWC", "name": "New Coin", "nameid": "new-coin", "rank": 3},
    ]
    priced = {
        c.coin["symbol"]: c.pair for c in day_universe(day, universe_with_listing(day, listing))
    }
    # BTC keeps its pair; LUNA renamed LUNC is a new row without a pair; NEWC has none.
    assert priced == {"BTC": "BTCUSDT", "LUNC": None, "NEWC": None}
    assert len(day_universe(day)) > 100  # the shipped universe itself is unchanged
