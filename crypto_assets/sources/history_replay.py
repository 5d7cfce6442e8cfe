"""Arctic Shift's post search and Binance's klines answered from recorded history (for replay)."""

from __future__ import annotations

import csv
import functools
import io
import json
import re
import time
from collections.abc import Collection, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from decimal import Decimal
from importlib.resources import files
from typing import Any
from urllib.parse import urlsplit

from crypto_assets.history.universe import universe_rows
from crypto_assets.sources.klines import (
    DEFAULT_PRICE_HISTORY_URL,
    INTERVAL_MS,
    INVALID_SYMBOL_CODE,
    KLINES_PATH,
)
from crypto_assets.sources.reddit_archive import DEFAULT_ARCHIVE_URL, SEARCH_PATH

Answer = tuple[int, Any]  # HTTP status and JSON-able body
KlineSeries = tuple[int, list[list[Any]]]  # a symbol's finest interval (ms), its rows ascending

EXCHANGE_INFO_PATH = "/api/v3/exchangeInfo"
PING_PATH = "/api/v3/ping"
HISTORY_URL_PREFIXES = (DEFAULT_ARCHIVE_URL + "/", DEFAULT_PRICE_HISTORY_URL + "/")
REPLAY_HISTORY_DAYS: tuple[date, ...] = (date(2022, 5, 8), date(2022, 5, 13), date(2022, 5, 14))
# recordings/history/reddit/<subreddit>_<REPLAY_POSTS_SUFFIX>.ndjson, one file per subreddit
REPLAY_SUBREDDITS = ("Bitcoin", "CoinBase", "CryptoMarkets", "binance", "dogecoin", "ethereum")
REPLAY_POSTS_SUFFIX = "2022-05-08_13_14"
REPLAY_KLINES = {  # symbol -> (finest interval, file in recordings/history/klines)
    "LUNAUSDT": ("1m", "LUNAUSDT-1m-2022-05-08_13.csv"),  # Binance CSV; ends 2022-05-13 00:39
    "BTCUSDT": ("5m", "BTC_USDT-5m-2022-05-08_13_14.json"),  # freqtrade OHLCV JSON
}
REPLAY_ARCHIVE_RATE_LIMIT = 100  # the replayed archive's window: always all of it left
_ARCHIVE_HOST = urlsplit(DEFAULT_ARCHIVE_URL).hostname
_KLINES_HOST = urlsplit(DEFAULT_PRICE_HISTORY_URL).hostname


def parse_archive_date(value: str) -> float:
    """An Arctic Shift date parameter as epoch seconds: epoch s, epoch ms or (partial) ISO-8601."""
    if re.fullmatch(r"\d+", value):
        number = int(value)
        return number / 1000 if number >= 10**11 else float(number)
    moment = datetime.fromisoformat(value.strip().replace(" ", "T").removesuffix("Z"))
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


def search_posts(posts: Sequence[Mapping[str, Any]], query: Mapping[str, str]) -> Answer:
    """GET /api/posts/search over `posts` (sorted by created_utc): {"data": [...]} or a 400."""
    try:
        after = parse_archive_date(query["after"]) if "after" in query else float("-inf")
        before = parse_archive_date(query["before"]) if "before" in query else float("inf")
        limit = int(query.get("limit", "25"))
    except ValueError as exc:
        return 400, {"error": str(exc)}
    if not 1 <= limit <= 100:
        return 400, {"error": f"limit must be {'<= 100' if limit > 100 else '>= 1'}"}
    subreddit = query.get("subreddit", "").lower()
    found = [
        post
        for post in posts
        if after < float(post["created_utc"]) < before
        and (not subreddit or post["subreddit"].lower() == subreddit)
    ]
    if query.get("sort", "desc") == "desc":
        found.reverse()
    found = found[:limit]
    if query.get("fields"):
        keep = {"id", "created_utc", *query["fields"].split(",")}
        found = [{k: v for k, v in post.items() if k in keep} for post in found]
    return 200, {"data": found}


def binance_error(code: int, msg: str) -> Answer:
    """Binance's HTTP 400 error body, e.g. -1121 'Invalid symbol.'."""
    return 400, {"code": code, "msg": msg}


def aggregate_klines(rows: Sequence[Sequence[Any]], open_ms: int, interval_ms: int) -> list[Any]:
    """One coarser candle from finer 12-column rows: first open, max high, min low, last close."""

    def total(i: int) -> str:
        return f"{sum(Decimal(row[i]) for row in rows):.8f}"  # Decimal: no float dust

    high, low = max(Decimal(row[2]) for row in rows), min(Decimal(row[3]) for row in rows)
    return [
        open_ms, rows[0][1], f"{high:.8f}", f"{low:.8f}", rows[-1][4], total(5),
        open_ms + interval_ms - 1, total(7), sum(int(row[8]) for row in rows),
        total(9), total(10), "0",
    ]  # fmt: skip


def klines_answer(
    series: Mapping[str, KlineSeries], symbols: Collection[str], query: Mapping[str, str]
) -> Answer:
    """GET /api/v3/klines: a listed symbol's candles (aggregated from its finest), or an error."""
    symbol, interval = query.get("symbol", ""), query.get("interval", "")
    if symbol not in symbols:
        return binance_error(INVALID_SYMBOL_CODE, "Invalid symbol.")
    if interval not in INTERVAL_MS:
        return binance_error(-1120, "Invalid interval.")
    limit = int(query.get("limit", "500"))
    if not 1 <= limit <= 1000:
        return binance_error(-1130, "Data sent for parameter 'limit' is not valid.")
    finest, rows = series.get(symbol, (INTERVAL_MS["1m"], []))
    step = INTERVAL_MS[interval]
    if step < finest or step % finest:
        return 200, []  # nothing recorded that fine
    first, last = int(query.get("startTime", 0)), int(query.get("endTime", 2**62))
    buckets: dict[int, list[list[Any]]] = {}
    for row in rows:
        bucket = row[0] - row[0] % step
        if first <= bucket <= last:
            buckets.setdefault(bucket, []).append(row)
    candles = [
        group[0] if step == finest else aggregate_klines(group, bucket, step)
        for bucket, group in sorted(buckets.items())
    ]
    return 200, candles[:limit] if "startTime" in query else candles[-limit:]


def exchange_info(symbols: Iterable[str]) -> dict[str, Any]:
    """GET /api/v3/exchangeInfo listing `symbols` (USDT pairs) as trading."""
    listed = [
        {"symbol": s, "status": "TRADING", "baseAsset": s[:-4], "quoteAsset": s[-4:]}
        for s in sorted(symbols)
    ]
    return {"timezone": "UTC", "serverTime": int(time.time() * 1000), "symbols": listed}


def binance_csv_rows(text: str) -> list[list[Any]]:
    """Binance's kline CSV (12 columns, no header) as rows, numbers kept as written."""
    rows = csv.reader(io.StringIO(text))
    return [[int(r[0]), *r[1:6], int(r[6]), r[7], int(r[8]), *r[9:]] for r in rows]


def freqtrade_rows(ohlcv: Iterable[Sequence[float]], interval: str) -> list[list[Any]]:
    """freqtrade's OHLCV [[open_ms, o, h, l, c, volume], ...] as 12-column Binance rows."""
    step = INTERVAL_MS[interval]
    return [
        [t, f"{o:.8f}", f"{h:.8f}", f"{lo:.8f}", f"{c:.8f}", f"{v:.8f}", t + step - 1,
         f"{v * c:.8f}", 0, "0", "0", "0"]
        for t, o, h, lo, c, v in ohlcv
    ]  # fmt: skip


def parse_ndjson(text: str) -> list[dict[str, Any]]:
    """The objects of NDJSON text (one per line), blank lines skipped."""
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def history_recording_text(kind: str, name: str) -> str:
    """A shipped file of crypto_assets/sources/recordings/history/<kind>/ as text."""
    path = files("crypto_assets.sources").joinpath("recordings", "history", kind, name)
    return path.read_text(encoding="utf-8")


@functools.cache
def recorded_history_posts() -> tuple[dict[str, Any], ...]:
    """Every shipped archive post of REPLAY_SUBREDDITS, sorted by created_utc."""
    names = [f"{sub}_{REPLAY_POSTS_SUFFIX}.ndjson" for sub in REPLAY_SUBREDDITS]
    posts = [
        post for name in names for post in parse_ndjson(history_recording_text("reddit", name))
    ]
    return tuple(sorted(posts, key=lambda post: float(post["created_utc"])))


@functools.cache
def recorded_history_klines() -> dict[str, KlineSeries]:
    """The shipped candles per symbol, at their finest recorded interval."""
    (luna_step, luna_file), (btc_step, btc_file) = (
        REPLAY_KLINES["LUNAUSDT"],
        REPLAY_KLINES["BTCUSDT"],
    )
    luna = binance_csv_rows(history_recording_text("klines", luna_file))
    btc = freqtrade_rows(json.loads(history_recording_text("klines", btc_file)), btc_step)
    return {"LUNAUSDT": (INTERVAL_MS[luna_step], luna), "BTCUSDT": (INTERVAL_MS[btc_step], btc)}


@functools.cache
def replay_symbols() -> frozenset[str]:
    """Symbols the replayed exchange lists: the coin universe's Binance pairs and the recorded."""
    pairs = {row.binance_pair for row in universe_rows() if row.binance_pair}
    return frozenset(pairs | set(REPLAY_KLINES))


def archive_rate_limit_headers(now: float | None = None) -> dict[str, str]:
    """X-RateLimit-* headers of a replayed archive answer: a full window, never a wait."""
    reset = (int(time.time() if now is None else now) // 60 + 1) * 60  # epoch s, next minute
    full = str(REPLAY_ARCHIVE_RATE_LIMIT)
    return {
        "X-RateLimit-Limit": full,
        "X-RateLimit-Remaining": full,
        "X-RateLimit-Reset": str(reset),
    }


def history_reply(
    host: str | None, path: str, method: str | None, query: Mapping[str, str]
) -> tuple[int, Any, dict[str, str]] | None:
    """Status, body and headers for a history API request; None if not to a history host."""
    if host == _ARCHIVE_HOST:
        headers = archive_rate_limit_headers()
        if method == "GET" and path == SEARCH_PATH:
            return *search_posts(recorded_history_posts(), query), headers
        return 404, {"error": "Not Found"}, headers
    if host != _KLINES_HOST:
        return None
    routes = {
        KLINES_PATH: lambda: klines_answer(recorded_history_klines(), replay_symbols(), query),
        EXCHANGE_INFO_PATH: lambda: (200, exchange_info(replay_symbols())),
        PING_PATH: lambda: (200, {}),
    }
    route = routes.get(path) if method == "GET" else None
    return *(route() if route else (404, {"code": -1, "msg": "Not Found"})), {}
