"""The numbers behind a day's picture: top coins, hourly buckets, and gaps kept as NaN."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np
import pandas as pd

TOP_N = 10
HOURS = 24
WINDOWS_PER_HOUR = 6
NO_PRICE = "no price"


@dataclass(frozen=True)
class DayFigure:
    """What a day's report draws: per hour (rows) and top coin (columns), NaN where unknown."""

    day: date
    coins: list[str]  # labels of the top coins, most mentioned first
    windows_per_hour: pd.Series  # stored windows in each hour, 0..6 (0: a gap)
    mentions: pd.DataFrame  # NaN in hours without a stored window
    sentiment: pd.DataFrame  # mean VADER compound; NaN where no post mentions the coin
    price: pd.DataFrame  # last known price in the hour; NaN where none
    table: pd.DataFrame
    price_unit: str  # e.g. "USDT, binance 5m close", or "no price"


def hour_starts(day: date) -> pd.DatetimeIndex:
    """The day's 24 hour starts, naive UTC."""
    first = datetime(day.year, day.month, day.day)
    return pd.DatetimeIndex([first + timedelta(hours=h) for h in range(HOURS)], name="hour")


def currency(price_source: str | None) -> str | None:
    """USD for a Coinlore price, USDT for Binance candles and fixed USDT, None without a price."""
    if not isinstance(price_source, str) or not price_source:
        return None
    return "USD" if price_source.startswith("coinlore") else "USDT"


def price_unit(sources: pd.Series) -> str:
    """The currency and source of the prices shown, e.g. `USDT, binance 5m close`."""
    known = sorted({s for s in sources.dropna() if s})
    if not known:
        return NO_PRICE
    units = sorted({currency(s) for s in known})
    kinds = sorted({"binance 5m close" if s.startswith("binance") else s for s in known})
    return f"{'/'.join(u for u in units if u)}, {', '.join(kinds)}"


def labels(top: pd.DataFrame) -> list[str]:
    """One label per coin: its symbol, with the name when two top coins share a symbol."""
    shared = top["symbol"].duplicated(keep=False)
    return [
        f"{s} ({n})" if dup else s
        for s, n, dup in zip(top["symbol"], top["name"], shared, strict=True)
    ]


def top_coins(counts: pd.DataFrame, n: int = TOP_N) -> pd.DataFrame:
    """The day's `n` most mentioned coins (ties by symbol): coin_id, symbol, name, mentions."""
    if counts.empty:
        return pd.DataFrame(columns=["coin_id", "symbol", "name", "mentions"])
    totals = counts.groupby("coin_id", as_index=False).agg(
        symbol=("symbol", "last"), name=("name", "last"), mentions=("mentions", "sum")
    )
    ranked = totals.sort_values(["mentions", "symbol"], ascending=[False, True])
    return ranked.head(n).reset_index(drop=True)


def _weighted(values: pd.Series, weights: pd.Series) -> float:
    mask = values.notna() & (weights > 0)
    if not mask.any():
        return np.nan
    return float(np.average(values[mask], weights=weights[mask]))


def day_figure(
    counts: pd.DataFrame, prices: pd.DataFrame, stored: list[datetime], day: date
) -> DayFigure:
    """The picture's data for `day`: its mention_counts rows, its listings' prices (window_start,
    coin_id, price_usd, price_source) and the windows stored."""
    hours = hour_starts(day)
    per_hour = pd.Series(
        pd.DatetimeIndex(stored).floor("h") if stored else [], dtype="datetime64[ns]"
    ).value_counts()
    windows_per_hour = per_hour.reindex(hours, fill_value=0).astype(int)
    top = top_coins(counts)
    names = labels(top)
    rows, priced = _of_top(counts, top, names), _of_top(prices, top, names)
    priced = priced[priced["price_usd"].notna()]
    grouped = rows.groupby(["hour", "label"])

    def grid(series: pd.Series, fill: float) -> pd.DataFrame:
        wide = series.unstack("label") if len(series) else pd.DataFrame(index=hours)
        wide = wide.reindex(index=hours, columns=names).astype(float).fillna(fill)
        wide[windows_per_hour == 0] = np.nan  # no stored window: unknown, not zero
        return wide

    def sentiment_of(g: pd.DataFrame) -> float:
        return _weighted(g["mean_sentiment"], g["posts_mentioning"])

    mentions = grid(grouped["mentions"].sum(), 0.0)
    sentiment = grid(grouped.apply(sentiment_of, include_groups=False), np.nan)
    price = grid(priced.groupby(["hour", "label"])["price_usd"].last(), np.nan)
    return DayFigure(
        day=day,
        coins=names,
        windows_per_hour=windows_per_hour,
        mentions=mentions,
        sentiment=sentiment,
        price=price,
        table=coin_table(rows, priced, top, names),
        price_unit=price_unit(priced["price_source"]),
    )


def _of_top(frame: pd.DataFrame, top: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    rows = frame[frame["coin_id"].isin(top["coin_id"])].sort_values("window_start").copy()
    rows["hour"] = pd.DatetimeIndex(rows["window_start"]).floor("h")
    rows["label"] = rows["coin_id"].map(dict(zip(top["coin_id"], names, strict=True)))
    return rows


def coin_table(
    rows: pd.DataFrame, prices: pd.DataFrame, top: pd.DataFrame, names: list[str]
) -> pd.DataFrame:
    """Per top coin: mentions, posts, mean sentiment (VADER, model), price open/close/change."""
    records = []
    for coin_id, label in zip(top["coin_id"], names, strict=True):
        own = rows[rows["coin_id"] == coin_id]
        priced = prices[prices["coin_id"] == coin_id]
        first = priced["price_usd"].iloc[0] if len(priced) else np.nan
        last = priced["price_usd"].iloc[-1] if len(priced) else np.nan
        records.append(
            {
                "coin": label,
                "mentions": int(own["mentions"].sum()),
                "posts": int(own["posts_mentioning"].sum()),
                "vader": _weighted(own["mean_sentiment"], own["posts_mentioning"]),
                "model": _weighted(own["mean_model_sentiment"], own["posts_mentioning"]),
                "open": first,
                "close": last,
                "change_pct": (last / first - 1) * 100 if len(priced) else np.nan,
                "currency": currency(priced["price_source"].iloc[-1]) if len(priced) else None,
            }
        )
    return pd.DataFrame(records, columns=TABLE_COLUMNS)


TABLE_COLUMNS = [
    "coin",
    "mentions",
    "posts",
    "vader",
    "model",
    "open",
    "close",
    "change_pct",
    "currency",
]
