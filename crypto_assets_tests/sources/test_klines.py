"""KlinesClient against the loopback klines fake; window_closes; epoch units."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from crypto_assets.sources.errors import PayloadError, SourceError, SourceUnavailableError
from crypto_assets.sources.http import HttpClient
from crypto_assets.sources.klines import (
    Candle,
    KlinesClient,
    UnknownSymbolError,
    window_closes,
)
from crypto_assets_tests.sources.history_fake import KLINES_PATH, HistoryFake, running
from crypto_assets_tests.sources.history_payloads import kline_row, luna_rows, recorded_fake
from crypto_assets_tests.sources.scripted_server import Reply

MAY_13 = datetime(2022, 5, 13, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


@pytest.fixture
def fake() -> Iterator[HistoryFake]:
    with running(recorded_fake()) as history:
        yield history


def klines(fake: HistoryFake, http: HttpClient, **kwargs: Any) -> KlinesClient:
    return KlinesClient(http, base_url=fake.base_url, **kwargs)


def test_a_dead_coin_is_priced_on_its_day_from_1m_data_aggregated_to_5m(fake, http) -> None:
    candles = klines(fake, http).fetch_klines("LUNAUSDT", MAY_13, MAY_13 + 40 * MINUTE)

    assert [c.open_time for c in candles] == [MAY_13 + 5 * i * MINUTE for i in range(8)]
    windows = [MAY_13 + 10 * i * MINUTE for i in range(5)]
    closes = window_closes(candles, windows)
    # Each window's close is the close of its 10th minute in Binance's own 1m file.
    by_open = {int(row[0]): float(row[4]) for row in luna_rows()}
    expected = {w: by_open[int((w + 9 * MINUTE).timestamp() * 1000)] for w in windows[:4]}
    assert closes == expected
    assert closes[MAY_13] == 0.00033 and closes[MAY_13 + 30 * MINUTE] == 0.00005
    (request,) = fake.seen(KLINES_PATH)
    assert request.query == {
        "symbol": "LUNAUSDT",
        "interval": "5m",
        "startTime": "1652400000000",
        "endTime": str(1652400000000 + 40 * 60_000 - 1),  # inclusive, so end - 1 ms
        "limit": "1000",
    }


def test_pages_follow_the_last_open_time(fake, http) -> None:
    candles = klines(fake, http, limit=30).fetch_klines("BTCUSDT", MAY_13, MAY_13 + 6 * 60 * MINUTE)

    assert [c.open_time for c in candles] == [MAY_13 + 5 * i * MINUTE for i in range(72)]
    starts = [int(r.query["startTime"]) for r in fake.seen(KLINES_PATH)]
    assert starts == [1652400000000 + n * 30 * 300_000 for n in range(3)]
    first = candles[0]  # freqtrade's first row: [1652400000000, 29029.74, ..., 418.34168]
    assert (first.open, first.high, first.low, first.close) == (
        29029.74,
        29062.45,
        28949.8,
        29010.19,
    )
    assert first.volume == 418.34168 and first.close_time == MAY_13 + timedelta(
        milliseconds=299_999
    )


@pytest.mark.parametrize(
    ("symbol", "start", "interval"),
    [
        pytest.param("USTUSDT", MAY_13, "5m", id="listed-without-candles"),
        pytest.param("BTCUSDT", MAY_13, "1m", id="finer-than-recorded"),
        pytest.param("LUNAUSDT", MAY_13 + timedelta(days=3), "5m", id="after-the-last-row"),
    ],
)
def test_no_candles_is_an_empty_list(fake, http, symbol, start, interval) -> None:
    end = start + timedelta(hours=1)
    assert klines(fake, http).fetch_klines(symbol, start, end, interval) == []
    assert len(fake.seen(KLINES_PATH)) == 1


def test_unknown_symbol_raises_a_distinct_error_without_retrying(fake, http) -> None:
    with pytest.raises(UnknownSymbolError, match="'LUNCUSDT'") as error:
        klines(fake, http).fetch_klines("LUNCUSDT", MAY_13, MAY_13 + MINUTE * 10)

    assert error.value.symbol == "LUNCUSDT"
    assert isinstance(error.value, SourceError)
    assert len(fake.seen(KLINES_PATH)) == 1


def test_429_retry_after_is_honoured(fake, http, clock) -> None:
    too_many = {"code": -1003, "msg": "Too many requests"}
    fake.fail(KLINES_PATH, 1, Reply(too_many, 429, {"Retry-After": "4"}))

    candles = klines(fake, http).fetch_klines("BTCUSDT", MAY_13, MAY_13 + 60 * MINUTE)

    assert len(candles) == 12
    assert clock.sleeps == [4.0]


def test_418_ban_is_reported_not_retried(fake, http) -> None:
    ban = Reply(
        {"code": -1003, "msg": "IP banned until 1652403600000."}, 418, {"Retry-After": "3600"}
    )
    fake.fail(KLINES_PATH, 1, ban)

    with pytest.raises(SourceUnavailableError, match="banned") as error:
        klines(fake, http).fetch_klines("BTCUSDT", MAY_13, MAY_13 + 60 * MINUTE)

    assert error.value.status == 418 and len(fake.seen(KLINES_PATH)) == 1


@pytest.mark.parametrize(("used", "waits"), [("1200", [15.0]), ("999", [])])
def test_used_weight_over_the_soft_limit_waits_for_the_next_minute(fake, http, clock, used, waits):
    fake.headers[KLINES_PATH] = {"X-MBX-USED-WEIGHT-1M": used}
    client = klines(fake, http, limit=10, now=lambda: 1652400045.0)  # 15 s before a minute ends

    client.fetch_klines("BTCUSDT", MAY_13, MAY_13 + 15 * 5 * MINUTE)

    assert len(fake.seen(KLINES_PATH)) == 2
    assert clock.sleeps == waits


@pytest.mark.parametrize(
    ("body", "field"),
    [
        (
            [kline_row(1652400000000), kline_row(1652400300000, "abc")],
            r"\[1\]\[4\]: expected a number",
        ),
        ([kline_row(1652400000000, "-1")], r"\[0\]\[4\]: must not be negative"),
        ([kline_row(1652400000000)[:11]], r"\[0\]: expected 12 columns, got 11"),
        ([{"openTime": 1652400000000}], r"\[0\]: expected a list"),
        ({"code": 0}, r"payload: expected a list"),
        ([kline_row(1652396400000)], r"\[0\]\[0\]: open time outside the requested range"),
    ],
)
def test_malformed_klines_name_the_cell(fake, http, body, field) -> None:
    fake.fail(KLINES_PATH, 1, Reply(body))

    with pytest.raises(PayloadError, match=field) as error:
        klines(fake, http).fetch_klines("BTCUSDT", MAY_13, MAY_13 + 60 * MINUTE)

    assert "symbol=BTCUSDT interval=5m startTime=1652400000000" in str(error.value)


def test_client_rejects_bad_arguments(http) -> None:
    with pytest.raises(ValueError, match="limit"):
        KlinesClient(http, limit=1001)
    with pytest.raises(ValueError, match="timezone-aware"):
        KlinesClient(http).fetch_klines("BTCUSDT", datetime(2022, 5, 13), MAY_13)
    with pytest.raises(ValueError, match="interval"):
        KlinesClient(http).fetch_klines("BTCUSDT", MAY_13, MAY_13 + MINUTE, "7m")


def candle(minute: int, close: float) -> Candle:
    opened = MAY_13 + minute * MINUTE
    return Candle(opened, close, close, close, close, 1.0, opened + 5 * MINUTE)


W0, W1 = MAY_13, MAY_13 + 10 * MINUTE


@pytest.mark.parametrize(
    ("candles", "windows", "expected"),
    [
        pytest.param([candle(0, 1), candle(5, 2)], [W0], {W0: 2}, id="last-of-two"),
        pytest.param([candle(5, 2), candle(0, 1)], [W0], {W0: 2}, id="unsorted-input"),
        pytest.param([candle(0, 1)], [W0], {W0: 1}, id="second-candle-missing"),
        pytest.param([candle(0, 1), candle(10, 3)], [W0, W1], {W0: 1, W1: 3}, id="edge-is-next"),
        pytest.param([candle(0, 1)], [W0, W1], {W0: 1}, id="empty-window-absent"),
        pytest.param([], [W0], {}, id="no-candles"),
        pytest.param([candle(m, m) for m in range(20)], [W0, W1], {W0: 9, W1: 19}, id="1m"),
    ],
)
def test_window_closes_takes_the_last_candle_opening_in_each_window(candles, windows, expected):
    assert window_closes(candles, windows) == expected


def test_window_closes_needs_aware_window_starts() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        window_closes([candle(0, 1)], [datetime(2022, 5, 13)])
