"""A loopback fake of Arctic Shift's post search and Binance's klines API over in-memory data."""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from crypto_assets.sources.history_replay import (
    EXCHANGE_INFO_PATH,
    PING_PATH,
    Answer,
    binance_csv_rows,
    exchange_info,
    freqtrade_rows,
    klines_answer,
    parse_ndjson,
    search_posts,
)
from crypto_assets.sources.klines import INTERVAL_MS, KLINES_PATH
from crypto_assets.sources.reddit_archive import SEARCH_PATH as POSTS_PATH
from crypto_assets_tests.sources.scripted_server import (
    Reply,
    ScriptedServer,
    SeenRequest,
    start_server,
)

WEIGHTS = {KLINES_PATH: 2, EXCHANGE_INFO_PATH: 20, PING_PATH: 1}


def _reply(answer: Answer) -> Reply:
    status, body = answer
    return Reply(body, status=status)


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
        self.add_posts(parse_ndjson(path.read_text(encoding="utf-8")))

    def add_klines(self, symbol: str, interval: str, rows: Iterable[list[Any]]) -> None:
        """Serve 12-column Binance rows of `interval`, the finest this symbol has."""
        self.symbols.add(symbol)
        self.klines[symbol] = (INTERVAL_MS[interval], sorted(rows, key=lambda row: int(row[0])))

    def load_binance_csv(self, symbol: str, interval: str, path: Path) -> None:
        """Serve Binance's kline CSV (12 columns, no header), numbers kept as in the file."""
        self.add_klines(symbol, interval, binance_csv_rows(path.read_text()))

    def load_freqtrade_json(self, symbol: str, interval: str, path: Path) -> None:
        """Serve freqtrade's OHLCV JSON [[open_ms, o, h, l, c, volume], ...] as Binance rows."""
        self.add_klines(symbol, interval, freqtrade_rows(json.loads(path.read_text()), interval))

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
        return _reply(search_posts(self.posts, query))

    def _klines(self, query: dict[str, str]) -> Reply:
        return _reply(klines_answer(self.klines, self.symbols, query))

    def _exchange_info(self, query: dict[str, str]) -> Reply:
        return Reply(exchange_info(self.symbols))


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
