"""Binance-compatible klines: a paged /api/v3/klines client and each time window's last close."""

from __future__ import annotations

import bisect
import json
import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import requests
from pydantic import TypeAdapter

from crypto_assets.sources.errors import PayloadError, SourceError, SourceUnavailableError
from crypto_assets.sources.http import HttpClient
from crypto_assets.sources.payload_models import (
    Integer,
    NonNegativeNumber,
    validate_with,
)

logger = logging.getLogger(__name__)

DEFAULT_PRICE_HISTORY_URL = "https://data-api.binance.vision"
KLINES_PATH = "/api/v3/klines"
KLINES_MIN_INTERVAL_S = 0.2  # at most 5 requests/s: 600 weight a minute, a tenth of the limit
MAX_KLINES_LIMIT = 1000
# Binance allows 6000 request weight per minute per IP (a klines call weighs 2). Other jobs may
# share the IP, so a backfill defers to the next minute once the minute's count reaches this.
USED_WEIGHT_SOFT_LIMIT = 1000
INVALID_SYMBOL_CODE = -1121
INTERVAL_MS = {"1m": 60_000, "3m": 180_000, "5m": 300_000, "15m": 900_000, "30m": 1_800_000}
INTERVAL_MS |= {"1h": 3_600_000, "4h": 14_400_000, "12h": 43_200_000, "1d": 86_400_000}
# Binance's data files switched to microsecond timestamps in 2025; ms epochs stay below 1e14
# until the year 5138, µs epochs are above it since 1973.
MICROSECOND_EPOCH_FROM = 10**14
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
SOURCE = "binance klines"


class UnknownSymbolError(SourceError):
    """The exchange does not know the symbol (Binance code -1121): a coin-universe error."""

    def __init__(self, symbol: str) -> None:
        super().__init__(
            f"binance klines: unknown symbol {symbol!r} (HTTP 400, code -1121 'Invalid symbol.'): "
            "check the coin universe's trading pairs"
        )
        self.symbol = symbol


@dataclass(frozen=True)
class Candle:
    """One kline: open time (UTC), OHLC prices, base-asset volume and close time (UTC)."""

    open_time: datetime
    open: float
    high: float
    low: float
    close: float
    volume: float
    close_time: datetime


def epoch_to_datetime(value: int) -> datetime:
    """A Binance epoch in ms (or µs, told apart by magnitude) as an exact UTC datetime."""
    if value >= MICROSECOND_EPOCH_FROM:
        return _EPOCH + timedelta(microseconds=value)
    return _EPOCH + timedelta(milliseconds=value)


def to_epoch_ms(moment: datetime) -> int:
    """A timezone-aware datetime as epoch milliseconds (rounded down)."""
    return (moment - _EPOCH) // timedelta(milliseconds=1)


# A kline row: open time, OHLC, volume, close time, then five columns the platform ignores.
KlineRow = tuple[
    Integer, NonNegativeNumber, NonNegativeNumber, NonNegativeNumber, NonNegativeNumber,
    NonNegativeNumber, Integer, Any, Any, Any, Any, Any,
]  # fmt: skip
_ROW = TypeAdapter(KlineRow)
# A page in one validation call (a history day is ~60,000 rows); errors still name the row.
_PAGE = TypeAdapter(list[KlineRow])
KLINE_COLUMNS = 12


def parse_kline_row(row: object, path: str) -> Candle:
    """One 12-column kline array (JSON numbers or strings, as API or CSV give them) as a Candle."""
    if isinstance(row, list | tuple) and len(row) != KLINE_COLUMNS:
        raise PayloadError(f"{SOURCE}: {path}: expected {KLINE_COLUMNS} columns, got {len(row)}")
    opened, o, h, low, c, volume, closed, *_ = validate_with(_ROW, row, SOURCE, at=path)
    return Candle(epoch_to_datetime(opened), o, h, low, c, volume, epoch_to_datetime(closed))


def parse_kline_rows(rows: object) -> list[Candle]:
    """A page of 12-column kline arrays as Candles; an error names the row and column."""
    if not isinstance(rows, list):
        validate_with(_PAGE, rows, SOURCE)  # raises, naming what the page is instead
    for i, row in enumerate(rows):  # type: ignore[arg-type]
        if isinstance(row, list | tuple) and len(row) != KLINE_COLUMNS:
            raise PayloadError(f"{SOURCE}: [{i}]: expected {KLINE_COLUMNS} columns, got {len(row)}")
    return [
        Candle(epoch_to_datetime(opened), o, h, low, c, volume, epoch_to_datetime(closed))
        for opened, o, h, low, c, volume, closed, *_ in validate_with(_PAGE, rows, SOURCE)
    ]


def window_candles(
    candles: Iterable[Candle],
    window_starts: Iterable[datetime],
    window: timedelta = timedelta(minutes=10),
) -> dict[datetime, Candle]:
    """Per window start, the last candle opening in [start, start + window).

    Windows without a candle are left out (the caller writes null).
    """
    ordered = sorted(candles, key=lambda candle: candle.open_time)
    opens = [candle.open_time for candle in ordered]
    found = {}
    for start in window_starts:
        if start.tzinfo is None:
            raise ValueError(f"window start {start} must be timezone-aware")
        last = bisect.bisect_left(opens, start + window) - 1
        if last >= 0 and opens[last] >= start:
            found[start] = ordered[last]
    return found


def window_closes(
    candles: Iterable[Candle],
    window_starts: Iterable[datetime],
    window: timedelta = timedelta(minutes=10),
) -> dict[datetime, float]:
    """Per window start, the close of the last candle opening in [start, start + window)."""
    return {s: c.close for s, c in window_candles(candles, window_starts, window).items()}


def _error_code(body: bytes) -> object:
    try:
        payload = json.loads(body)
    except ValueError:
        return None
    return payload.get("code") if isinstance(payload, dict) else None


class KlinesClient:
    """Fetches a symbol's candles in [start, end) from /api/v3/klines, `limit` per request."""

    def __init__(
        self,
        http: HttpClient,
        base_url: str = DEFAULT_PRICE_HISTORY_URL,
        limit: int = MAX_KLINES_LIMIT,
        *,
        used_weight_soft_limit: int = USED_WEIGHT_SOFT_LIMIT,
        now: Callable[[], float] = time.time,
    ) -> None:
        if not 1 <= limit <= MAX_KLINES_LIMIT:
            raise ValueError(f"limit must be 1..{MAX_KLINES_LIMIT}, got {limit}")
        self.http = http
        self.base_url = base_url.rstrip("/")
        self.limit = limit
        self.used_weight_soft_limit = used_weight_soft_limit
        self.now = now

    def _get(self, symbol: str, params: dict[str, Any]) -> requests.Response:
        try:
            return self.http.request("GET", self.base_url + KLINES_PATH, params=params)
        except SourceUnavailableError as exc:
            if exc.status == 400 and _error_code(exc.body) == INVALID_SYMBOL_CODE:
                raise UnknownSymbolError(symbol) from exc
            if exc.status == 418:  # HttpClient retries 429 (with Retry-After) but not a ban
                raise SourceUnavailableError(
                    f"binance klines: this IP is banned (HTTP 418) for not backing off after "
                    f"429s; retry after the ban ends. {exc}",
                    status=418,
                    body=exc.body,
                ) from exc
            raise

    def _respect_used_weight(self, response: requests.Response) -> None:
        try:
            used = float(response.headers.get("X-MBX-USED-WEIGHT-1M", ""))
        except ValueError:
            return
        if used >= self.used_weight_soft_limit:
            wait_s = 60.0 - self.now() % 60.0  # the weight counts per calendar minute
            logger.info("binance klines: used weight %.0f; waiting %.1fs", used, wait_s)
            self.http.defer(wait_s)

    def fetch_page(self, symbol: str, interval: str, start_ms: int, end_ms: int) -> list[Candle]:
        """Candles opening in [start_ms, end_ms] (both inclusive), ascending, at most `limit`."""
        params = {"symbol": symbol, "interval": interval, "startTime": start_ms, "endTime": end_ms}
        response = self._get(symbol, {**params, "limit": self.limit})
        self._respect_used_weight(response)
        request = f"GET {KLINES_PATH} symbol={symbol} interval={interval} startTime={start_ms}"
        try:
            candles = parse_kline_rows(self.http.decode_json(response))
            for i, candle in enumerate(candles):
                if not start_ms <= to_epoch_ms(candle.open_time) <= end_ms:
                    raise PayloadError(f"{SOURCE}: [{i}][0]: open time outside the requested range")
        except PayloadError as exc:
            raise PayloadError(f"{exc} ({request})") from None
        return candles

    def fetch_klines(
        self, symbol: str, start: datetime, end: datetime, interval: str = "5m"
    ) -> list[Candle]:
        """The candles opening in [start, end), oldest first; [] when the pair did not trade."""
        if start.tzinfo is None or end.tzinfo is None or start >= end:
            raise ValueError(f"need timezone-aware start < end, got {start} .. {end}")
        if interval not in INTERVAL_MS:
            raise ValueError(f"unknown interval {interval!r}; one of {', '.join(INTERVAL_MS)}")
        # endTime is inclusive: stop 1 ms before `end` for a half-open range.
        page_start, last_ms = to_epoch_ms(start), to_epoch_ms(end) - 1
        candles: dict[datetime, Candle] = {}
        while page_start <= last_ms:
            page = self.fetch_page(symbol, interval, page_start, last_ms)
            candles.update((candle.open_time, candle) for candle in page)
            if len(page) < self.limit:
                break
            page_start = to_epoch_ms(max(c.open_time for c in page)) + INTERVAL_MS[interval]
        return [candles[t] for t in sorted(candles) if start <= t < end]
