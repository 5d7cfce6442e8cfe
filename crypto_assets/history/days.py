"""A history day's windows and its coin listing from the universe and kline closes (no Dagster)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta

import pandas as pd

from crypto_assets.datasets.tables import conform, empty_frame
from crypto_assets.history.universe import (
    UniverseRow,
    extend_with_listing,
    rows_on,
)
from crypto_assets.windows import WINDOW

DAY = timedelta(days=1)
WINDOWS_PER_DAY = DAY // WINDOW
KLINE_INTERVAL = "5m"
FIXED_PRICE_SOURCE = "fixed: 1 USDT"
# Listing columns klines do not give (24h/7d changes would need the days before; 1h is computed).
_NOT_IN_KLINES = (
    "percent_change_1h", "percent_change_24h", "percent_change_7d", "price_btc",
    "market_cap_usd", "volume24", "volume24a", "csupply", "tsupply", "msupply",
)  # fmt: skip


def day_window_starts(day: date) -> list[datetime]:
    """The day's 144 ten-minute window starts, naive UTC."""
    first = datetime(day.year, day.month, day.day)
    return [first + i * WINDOW for i in range(WINDOWS_PER_DAY)]


def kline_price_source(pair: str) -> str:
    """The `price_source` of a price taken from a pair's 5-minute candles."""
    return f"binance:{pair} {KLINE_INTERVAL} close"


@dataclass(frozen=True)
class PricedCoin:
    """One coin of a day's universe and how it is priced: a pair's candles, a fixed price, none."""

    coin: Mapping[str, object]
    pair: str | None
    fixed_usdt: float | None


def day_universe(day: date, rows: Sequence[UniverseRow] | None = None) -> list[PricedCoin]:
    """The coins of the day's universe (best rank first) with their pair or fixed price."""
    return [
        PricedCoin(
            {
                "id": r.coin_id,
                "symbol": r.symbol,
                "name": r.name,
                "nameid": r.nameid,
                "rank": r.rank,
            },
            r.pair_on(day),
            r.fixed_price_usdt,
        )
        for r in rows_on(day, rows)
    ]


def captured_listings(stored: pd.DataFrame) -> dict[date, list[dict[str, object]]]:
    """Per UTC day, the coins of the first listing a live run captured from Coinlore that day."""
    live = stored[stored["price_source"] == "coinlore"] if len(stored) else stored
    found: dict[date, list[dict[str, object]]] = {}
    for start, listing in live.groupby("window_start", sort=True):
        day = pd.Timestamp(start).date()
        if day not in found:
            coins = listing.sort_values(["rank", "coin_id"])
            found[day] = coins.rename(columns={"coin_id": "id"})[
                ["id", "symbol", "name", "nameid", "rank"]
            ].to_dict("records")
    return found


def universe_with_listing(day: date, coins: Sequence[Mapping[str, object]]) -> list[UniverseRow]:
    """The shipped universe extended by a live listing captured on ``day``, which wins that day."""
    # The rows of that day, opened, so that the listing closes those of the coins it lacks.
    opened = [replace(row, valid_to=None) for row in rows_on(day)]
    return extend_with_listing(opened, coins, day)


# Per pair: window start (aware UTC) -> (close, candle close time).
Closes = Mapping[str, Mapping[datetime, tuple[float, datetime]]]


def day_listing_frame(
    day: date, universe: Sequence[PricedCoin], closes: Closes, source: str
) -> pd.DataFrame:
    """One row per coin of the universe and window of `day`, priced by its pair's closes.

    A coin whose pair has no candle opening in a window, or no pair at all, has a null price in
    it; USDT is 1.0 by definition. Rank, symbol and name are those of the day.
    """
    if not universe:
        return empty_frame("coin_listings")
    rows = []
    for start in day_window_starts(day):
        aware = start.replace(tzinfo=UTC)
        for priced in universe:
            coin = priced.coin
            price, as_of, price_source = None, None, None
            if priced.fixed_usdt is not None:
                price, price_source = priced.fixed_usdt, FIXED_PRICE_SOURCE
            elif priced.pair is not None and aware in closes.get(priced.pair, {}):
                price, closed = closes[priced.pair][aware]
                as_of = closed.replace(tzinfo=None)
                price_source = kline_price_source(priced.pair)
            rows.append(
                {
                    "window_start": start,
                    "coin_id": str(coin["id"]),
                    "symbol": coin["symbol"],
                    "name": coin["name"],
                    "nameid": coin["nameid"],
                    "rank": coin["rank"],
                    "price_usd": price,
                    **dict.fromkeys(_NOT_IN_KLINES),
                    "as_of": as_of,
                    "prices_captured": price is not None,
                    "price_source": price_source,
                    "source": source,
                }
            )
    frame = pd.DataFrame(rows).sort_values(["window_start", "rank", "coin_id"])
    frame["percent_change_1h"] = _change_1h(frame)
    return conform("coin_listings", frame)


def _change_1h(frame: pd.DataFrame) -> pd.Series:
    """% change of each coin's price against its price six windows (an hour) earlier that day."""
    prices = frame.pivot(index="window_start", columns="coin_id", values="price_usd")
    change = (prices / prices.shift(6) - 1) * 100
    stacked = change.stack(future_stack=True).rename("percent_change_1h").reset_index()
    merged = frame[["window_start", "coin_id"]].merge(
        stacked, on=["window_start", "coin_id"], how="left"
    )
    return merged["percent_change_1h"].round(4).to_numpy()
