"""A loopback fake of Arctic Shift's post search and Binance's klines API over in-memory data."""

from __future__ import annotations

import csv
import json
import re
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from crypto_assets_tests.sources.scripted_server import (
    Reply,
    ScriptedServer,
    SeenRequest,
    start_server,
)

POSTS_PATH = "/api/posts/search"
KLINES_PATH = "/api/v3/klines"
EXCHANGE_INFO_PATH = "/api/v3/exchangeInfo"
PING_PATH = "/api/v3/ping"
INTERVAL_MS = {"1m": 60_000, "3m": 180_000, "5m": 300_000, "15m": 900_000, "30m": 1_800_000}
INTERVAL_MS |= {"1h": 3_600_000, "4h": 14_400_000, "1d": 86_400_000}
WEIGHTS = {KLINES_PATH: 2, EXCHANGE_INFO_PATH: 20, PING_PATH: 1}


def binance_error(code: int, msg: str) -> Reply:
    """Binance's 400 error body, e.g. -1121 'Invalid symbol.'."""
    return Reply({"code": code, "msg": msg}, status=400)


def parse_archive_date(value: str) -> float:
    """An Arctic Shift date parameter as epoch seconds: epoch s, epoch ms or (partial) ISO-8601."""
    if re.fullmatch(r"\d+", value):
        number = int(value)
        return number / 1000 if number >= 10**11 else float(number)
    moment = datetime.fromisoformat(value.strip().replace(" ", "T").removesuffix("Z"))
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


def _aggregate(rows: list[list[Any]], open_ms: int, interval_ms: int) -> list[Any]:
    def total(i: int) -> str:
        return f"{sum(Decimal(row[i]) for row in rows):.8f}"  # Decimal: no float dust

    high, low = max(Decimal(row[2]) for row in rows), min(Decimal(row[3]) for row in rows)
    return [
        open_ms, rows[0][1], f"{high:.8f}", f"{low:.8f}", rows[-1][4], total(5),
        open_ms + interval_ms - 1, total(7), sum(int(row[8]) for row in rows),
        total(9), total(10), "0",
    ]  # fmt: skip


class HistoryFake:
    """Serves posts and candles on 127.0.0.1; records requests; plays scripted faults."""

    def __init__(self) -> None:
        self.posts: list[dict[str, Any]] = []
        self.klines: dict[str, tuple[int, list[list[Any]]]] = {}  # symbol -> (finest ms, rows)
        self.symbols: set[str] = set()  # listed on the exchange, with or without candles
        self.headers: dict[str, dict[str, str]] = {}  # path -> headers added to every answer
        self.faults: dict[tuple[str, int], Reply] = {}
        self._counts: Counter[str] = Counter()
        self._lock = threading.Lock()
        self.server: ScriptedServer | None = None  # set while running
        self.base_url = ""

    def add_posts(self, posts: Iterable[dict[str, Any]]) -> None:
        """Serve these Arctic Shift post objects."""
        self.posts.extend(posts)
        self.posts.sort(key=lambda post: float(post["created_utc"]))

    def load_posts(self, path: Path) -> None:
        """Serve the posts of an NDJSON file (one post object per line)."""
        with path.open(encoding="utf-8") as lines:
            self.add_posts(json.loads(line) for line in lines if line.strip())

    def add_klines(self, symbol: str, interval: str, rows: Iterable[list[Any]]) -> None:
        """Serve 12-column Binance rows of `interval`, the finest this symbol has."""
        self.symbols.add(symbol)
        self.klines[symbol] = (INTERVAL_MS[interval], sorted(rows, key=lambda row: int(row[0])))

    def load_binance_csv(self, symbol: str, interval: str, path: Path) -> None:
        """Serve Binance's kline CSV (12 columns, no header), numbers kept as in the file."""
        with path.open(newline="") as lines:
            rows = [
                [int(r[0]), *r[1:6], int(r[6]), r[7], int(r[8]), *r[9:]] for r in csv.reader(lines)
            ]
        self.add_klines(symbol, interval, rows)

    def load_freqtrade_json(self, symbol: str, interval: str, path: Path) -> None:
        """Serve freqtrade's OHLCV JSON [[open_ms, o, h, l, c, volume], ...] as Binance rows."""
        step = INTERVAL_MS[interval]
        rows = [
            [t, f"{o:.8f}", f"{h:.8f}", f"{lo:.8f}", f"{c:.8f}", f"{v:.8f}", t + step - 1,
             f"{v * c:.8f}", 0, "0", "0", "0"]
            for t, o, h, lo, c, v in json.loads(path.read_text())
        ]  # fmt: skip
        self.add_klines(symbol, interval, rows)

    def fail(self, path: str, nth: int, answer: Reply) -> None:
        """Answer the `nth` (1-based) request to `path` with `answer` instead of the data."""
        self.faults[(path, nth)] = answer

    def seen(self, path: str | None = None) -> list[SeenRequest]:
        """Requests received so far, optionally only those for `path`."""
        return self.server.seen(path) if self.server else []

    def answer(self, request: SeenRequest) -> Reply:
        """The answer to one request: a scripted fault, else the API's."""
        with self._lock:
            self._counts[request.path] += 1
            fault = self.faults.get((request.path, self._counts[request.path]))
            minute = f"weight@{int(time.time() // 60)}"  # Binance counts per calendar minute
            self._counts[minute] += WEIGHTS.get(request.path, 0)
        if fault is not None:
            return fault
        routes = {POSTS_PATH: self._posts, KLINES_PATH: self._klines}
        routes |= {EXCHANGE_INFO_PATH: self._exchange_info, PING_PATH: lambda _: Reply({})}
        answer = routes[request.path](request.query)
        if request.path in WEIGHTS:
            answer.headers["X-MBX-USED-WEIGHT-1M"] = str(self._counts[minute])
        answer.headers.update(self.headers.get(request.path, {}))
        return answer

    def _posts(self, query: dict[str, str]) -> Reply:
        try:
            after = parse_archive_date(query["after"]) if "after" in query else float("-inf")
            before = parse_archive_date(query["before"]) if "before" in query else float("inf")
            limit = int(query.get("limit", "25"))
        except ValueError as exc:
            return Reply({"error": str(exc)}, status=400)
        if not 1 <= limit <= 100:
            return Reply({"error": f"limit must be {'<= 100' if limit > 100 else '>= 1'}"}, 400)
        subreddit = query.get("subreddit", "").lower()
        posts = [
            post
            for post in self.posts
            if after < float(post["created_utc"]) < before
            and (not subreddit or post["subreddit"].lower() == subreddit)
        ]
        if query.get("sort", "desc") == "desc":
            posts.reverse()
        posts = posts[:limit]
        if query.get("fields"):
            keep = {"id", "created_utc", *query["fields"].split(",")}
            posts = [{k: v for k, v in post.items() if k in keep} for post in posts]
        return Reply({"data": posts})

    def _klines(self, query: dict[str, str]) -> Reply:
        symbol, interval = query.get("symbol", ""), query.get("interval", "")
        if symbol not in self.symbols:
            return binance_error(-1121, "Invalid symbol.")
        if interval not in INTERVAL_MS:
            return binance_error(-1120, "Invalid interval.")
        limit = int(query.get("limit", "500"))
        if not 1 <= limit <= 1000:
            return binance_error(-1130, "Data sent for parameter 'limit' is not valid.")
        finest, rows = self.klines.get(symbol, (INTERVAL_MS["1m"], []))
        step = INTERVAL_MS[interval]
        if step < finest or step % finest:
            return Reply([])  # nothing recorded that fine
        first, last = int(query.get("startTime", 0)), int(query.get("endTime", 2**62))
        buckets: dict[int, list[list[Any]]] = {}
        for row in rows:
            bucket = row[0] - row[0] % step
            if first <= bucket <= last:
                buckets.setdefault(bucket, []).append(row)
        candles = [
            group[0] if step == finest else _aggregate(group, bucket, step)
            for bucket, group in sorted(buckets.items())
        ]
        return Reply(candles[:limit] if "startTime" in query else candles[-limit:])

    def _exchange_info(self, query: dict[str, str]) -> Reply:
        symbols = [  # USDT pairs only
            {"symbol": s, "status": "TRADING", "baseAsset": s[:-4], "quoteAsset": s[-4:]}
            for s in sorted(self.symbols)
        ]
        return Reply({"timezone": "UTC", "serverTime": int(time.time() * 1000), "symbols": symbols})


@contextmanager
def running(fake: HistoryFake) -> Iterator[HistoryFake]:
    """Serve `fake` on an ephemeral 127.0.0.1 port (fake.base_url) until the block ends."""
    httpd, server = start_server()
    for path in (POSTS_PATH, KLINES_PATH, EXCHANGE_INFO_PATH, PING_PATH):
        server.script("GET", path, fake.answer)
    fake.server, fake.base_url = server, server.base_url
    try:
        yield fake
    finally:
        httpd.shutdown()
        httpd.server_close()
