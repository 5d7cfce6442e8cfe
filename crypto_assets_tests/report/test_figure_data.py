"""The report's figure data: which coins, which hours, gaps as NaN, prices with their currency."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from crypto_assets.report.figure_data import (
    NO_PRICE,
    currency,
    day_figure,
    hour_starts,
    labels,
    price_unit,
    top_coins,
)
from crypto_assets_tests.support.report import DAY, at, count, counts, hour_windows, prices

BINANCE = "binance:BTCUSDT 5m close"


def test_the_top_coins_are_the_ten_most_mentioned_ties_by_symbol() -> None:
    rows = [count(at(h), f"C{i:02d}", i) for i in range(12) for h in (1, 2)]
    rows += [count(at(3), "ZZZ", 11), count(at(3), "AAA", 11)]  # ties: 11 mentions in one hour
    top = top_coins(counts(*rows))
    assert list(top["symbol"]) == [
        "C11",
        "C10",
        "C09",
        "C08",
        "C07",
        "C06",
        "AAA",
        "ZZZ",
        "C05",
        "C04",
    ]
    assert list(top["mentions"])[:3] == [22, 20, 18]


def test_a_day_has_24_utc_hours() -> None:
    hours = hour_starts(DAY)
    assert len(hours) == 24 and hours[0] == at(0) and hours[-1] == at(23)


@pytest.mark.parametrize(
    ("stored_hours", "gaps"),
    [
        (range(24), []),
        ([0, 1, 2, 5], [h for h in range(24) if h not in (0, 1, 2, 5)]),
        ([], list(range(24))),
    ],
    ids=["whole day", "gaps", "nothing stored"],
)
def test_hours_without_a_stored_window_are_gaps_not_zeros(stored_hours, gaps) -> None:
    stored = hour_windows(*stored_hours)
    rows = [count(at(1, 20), "BTC", 3), count(at(1, 30), "BTC", 2)] if 1 in stored_hours else []
    data = day_figure(counts(*rows), prices(), stored, DAY)
    assert [h for h in range(24) if data.windows_per_hour.iloc[h] == 0] == gaps
    for coin in data.coins:
        column = data.mentions[coin]
        assert [h for h in range(24) if math.isnan(column.iloc[h])] == gaps
        assert column.iloc[1] == 5  # two windows of hour 01 summed
        assert column.iloc[0] == 0  # stored, nothing said: a real zero


def test_a_partly_stored_hour_counts_its_windows_and_is_not_a_gap() -> None:
    stored = [at(4, 0), at(4, 50)]
    data = day_figure(counts(count(at(4, 50), "ETH", 1)), prices(), stored, DAY)
    assert data.windows_per_hour.iloc[4] == 2
    assert data.mentions["ETH"].iloc[4] == 1 and math.isnan(data.mentions["ETH"].iloc[5])


def test_sentiment_is_weighted_by_posts_and_missing_where_no_post_mentions_the_coin() -> None:
    rows = [
        count(at(2, 0), "BTC", 3, posts=3, sentiment=0.6),
        count(at(2, 10), "BTC", 1, posts=1, sentiment=-0.2),
        count(at(3, 0), "DOGE", 1, posts=1, sentiment=None),
    ]
    data = day_figure(counts(*rows), prices(), hour_windows(*range(24)), DAY)
    assert data.sentiment["BTC"].iloc[2] == pytest.approx(0.4)
    assert math.isnan(data.sentiment["BTC"].iloc[3])  # stored hour, no post about BTC
    assert math.isnan(data.sentiment["DOGE"].iloc[3])
    table = data.table.set_index("coin")
    assert table.loc["BTC", "vader"] == pytest.approx(0.4)
    assert table.loc["BTC", "model"] == pytest.approx(0.2)
    assert (table.loc["BTC", "mentions"], table.loc["BTC", "posts"]) == (4, 4)


def test_prices_are_each_hours_last_known_with_open_close_change_and_currency() -> None:
    rows = [count(at(0), "BTC", 2), count(at(0), "ETH", 1)]
    listed = prices(
        (at(0, 0), "btc", 100.0, BINANCE),
        (at(0, 50), "btc", 110.0, BINANCE),
        (at(1, 0), "btc", None, None),
        (at(2, 0), "btc", 90.0, BINANCE),
        (at(2, 0), "eth", None, None),
        (at(2, 0), "doge", 0.1, BINANCE),  # not a top coin: not read into the figure
    )
    data = day_figure(counts(*rows), listed, hour_windows(*range(24)), DAY)
    assert list(data.price["BTC"].iloc[:3]) == [110.0, pytest.approx(np.nan, nan_ok=True), 90.0]
    assert data.price["ETH"].isna().all()
    btc, eth = data.table.to_dict("records")
    assert (btc["open"], btc["close"], btc["currency"]) == (100.0, 90.0, "USDT")
    assert btc["change_pct"] == pytest.approx(-10.0)
    assert math.isnan(eth["open"]) and eth["currency"] is None
    assert data.price_unit == "USDT, binance 5m close"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("coinlore", "USD"),
        (BINANCE, "USDT"),
        ("fixed: 1 USDT", "USDT"),
        (None, None),
        ("", None),
    ],
)
def test_currency_follows_the_price_source(source, expected) -> None:
    assert currency(source) == expected


@pytest.mark.parametrize(
    ("sources", "expected"),
    [
        (["coinlore", "coinlore"], "USD, coinlore"),
        ([BINANCE, "binance:ETHUSDT 5m close"], "USDT, binance 5m close"),
        ([BINANCE, "fixed: 1 USDT"], "USDT, binance 5m close, fixed: 1 USDT"),
        ([None], NO_PRICE),
        ([], NO_PRICE),
    ],
)
def test_the_price_unit_names_currency_and_source(sources, expected) -> None:
    assert price_unit(pd.Series(sources, dtype=object)) == expected


def test_two_top_coins_sharing_a_symbol_are_told_apart_by_name() -> None:
    rows = counts(
        count(at(0), "LUNA", 3, coin_id="terra", name="Terra"),
        count(at(0), "LUNA", 2, coin_id="luna2", name="Terra 2.0"),
        count(at(0), "BTC", 1),
    )
    assert labels(top_coins(rows)) == ["LUNA (Terra)", "LUNA (Terra 2.0)", "BTC"]


def test_a_day_without_mentions_has_no_coins_and_no_price() -> None:
    data = day_figure(counts(), prices(), hour_windows(0, 1), DAY)
    assert data.coins == [] and data.table.empty and data.price_unit == NO_PRICE
    assert list(data.windows_per_hour.iloc[:3]) == [6, 6, 0]
