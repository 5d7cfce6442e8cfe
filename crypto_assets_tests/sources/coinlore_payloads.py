"""Coinlore test builders: complete ticker objects and a /api/tickers/ script served by rank."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from crypto_assets_tests.sources.scripted_server import Reply, SeenRequest

INFO_TIME = 1733573523


def coin(rank: int, **changes: Any) -> dict[str, Any]:
    """A ticker with every field, typed as /api/tickers/ sends it; the id comes from the rank."""
    ticker = {
        "id": str(1000 + rank),
        "symbol": f"C{rank}",
        "name": f"Coin {rank}",
        "nameid": f"coin-{rank}",
        "rank": rank,
        "price_usd": "1.50",
        "percent_change_24h": "-2.10",
        "percent_change_1h": "0.05",
        "percent_change_7d": "-7.30",
        "price_btc": "0.000015",
        "market_cap_usd": "150000000.00",
        "volume24": 1234.5,
        "volume24a": 1200.25,
        "csupply": "100000000.00",
        "tsupply": "120000000",
        "msupply": "",
    }
    return ticker | changes


def tickers_by_rank(
    shift_at: int | None = None, total: int = 10_000, info: bool = True
) -> Callable[[SeenRequest], Reply]:
    """Serve ranks start+1..start+limit; from request `shift_at` on, pages start one rank early."""
    calls: list[SeenRequest] = []

    def reply(request: SeenRequest) -> Reply:
        calls.append(request)
        start, limit = int(request.query["start"]), int(request.query["limit"])
        if shift_at is not None and len(calls) > shift_at:
            start -= 1  # a coin moved down a rank between requests: pages overlap by one
        ranks = range(start + 1, min(start + limit, total) + 1)
        body: dict[str, Any] = {"data": [coin(r) for r in ranks]}
        if info:
            body["info"] = {"coins_num": total, "time": INFO_TIME + len(calls)}
        return Reply(body)

    return reply
