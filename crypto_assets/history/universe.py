"""The coin dictionary of any past day, and its Binance USDT pair (``coin_universe.csv``).

Each row is one coin over one period: ``valid_from`` is inclusive, ``valid_to`` exclusive and
empty while open-ended; ``pair_from``/``pair_to`` bound the pair's own life the same way. The
rows and their sources are described in ``coin_universe.csv.source.txt``.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from importlib.resources import files
from typing import Final

CSV_NAME: Final = "coin_universe.csv"
# A row is split where a coin's rank crosses one of these (100: the matcher's WELL_KNOWN_MAX_RANK).
RANK_BANDS: Final = (10, 20, 50, 100)


@dataclass(frozen=True, slots=True)
class UniverseRow:
    """One coin over one validity period, with the Binance spot pair priced during it."""

    coin_id: str
    symbol: str
    name: str
    nameid: str
    rank: int
    valid_from: date
    valid_to: date | None
    binance_pair: str | None
    pair_from: date | None
    pair_to: date | None
    pair_seen: str
    fixed_price_usdt: float | None
    source: str

    def valid_on(self, day: date) -> bool:
        """Whether the row describes the coin on ``day``."""
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)

    def pair_on(self, day: date) -> str | None:
        """The row's Binance pair if it was listed on ``day``."""
        if self.binance_pair is None or not self.valid_on(day):
            return None
        if self.pair_from is not None and day < self.pair_from:
            return None
        return None if self.pair_to is not None and day >= self.pair_to else self.binance_pair


def _csv_bytes() -> bytes:
    """The shipped universe CSV."""
    return files(__package__).joinpath(CSV_NAME).read_bytes()


def universe_version(data: bytes | None = None) -> str:
    """A short content hash of the universe CSV, for Dagster code versions."""
    return hashlib.sha256(_csv_bytes() if data is None else data).hexdigest()[:12]


UNIVERSE_VERSION: Final = universe_version()


def _day(text: str) -> date | None:
    """An ISO date, or None for an empty field."""
    return date.fromisoformat(text) if text else None


def parse_rows(data: bytes) -> tuple[UniverseRow, ...]:
    """Rows of a universe CSV."""
    return tuple(
        UniverseRow(
            coin_id=r["coin_id"],
            symbol=r["symbol"],
            name=r["name"],
            nameid=r["nameid"],
            rank=int(r["rank"]),
            valid_from=date.fromisoformat(r["valid_from"]),
            valid_to=_day(r["valid_to"]),
            binance_pair=r["binance_pair"] or None,
            pair_from=_day(r["pair_from"]),
            pair_to=_day(r["pair_to"]),
            pair_seen=r["pair_seen"],
            fixed_price_usdt=float(r["fixed_price_usdt"]) if r["fixed_price_usdt"] else None,
            source=r["source"],
        )
        for r in csv.DictReader(io.StringIO(data.decode("utf-8")))
    )


@lru_cache(maxsize=1)
def universe_rows() -> tuple[UniverseRow, ...]:
    """The shipped universe, parsed once."""
    return parse_rows(_csv_bytes())


def _rows_on(day: date, rows: Sequence[UniverseRow] | None) -> list[UniverseRow]:
    """Rows valid on ``day``, best rank first, one per coin."""
    seen: set[str] = set()
    found = []
    for row in sorted(universe_rows() if rows is None else rows, key=lambda r: (r.rank, r.coin_id)):
        if row.valid_on(day) and row.coin_id not in seen:
            seen.add(row.coin_id)
            found.append(row)
    return found


def rows_on(day: date, rows: Sequence[UniverseRow] | None = None) -> list[UniverseRow]:
    """The universe's rows valid on ``day``, best rank first, one per coin."""
    return _rows_on(day, rows)


def coins_on(day: date, rows: Sequence[UniverseRow] | None = None) -> list[dict[str, object]]:
    """The coin dictionary of ``day`` in listing shape (id, symbol, name, nameid, rank)."""
    return [
        {"id": r.coin_id, "symbol": r.symbol, "name": r.name, "nameid": r.nameid, "rank": r.rank}
        for r in _rows_on(day, rows)
    ]


def binance_pair(coin_id: str, day: date, rows: Sequence[UniverseRow] | None = None) -> str | None:
    """The Binance USDT spot pair pricing ``coin_id`` on ``day``, or None if there was none."""
    for row in _rows_on(day, rows):
        if row.coin_id == coin_id:
            return row.pair_on(day)
    return None


def fixed_price_usdt(
    coin_id: str, day: date, rows: Sequence[UniverseRow] | None = None
) -> float | None:
    """A price fixed by definition (USDT in USDT is 1.0), or None when the pair prices the coin."""
    return next((r.fixed_price_usdt for r in _rows_on(day, rows) if r.coin_id == coin_id), None)


def _band(rank: int) -> int:
    """Which rank band a rank falls in."""
    return sum(rank > bound for bound in RANK_BANDS)


def _closed(row: UniverseRow, day: date) -> UniverseRow | None:
    """The row ended on ``day``; None if it would then cover no day at all."""
    return replace(row, valid_to=day) if row.valid_from < day else None


def extend_with_listing(
    rows: Iterable[UniverseRow], listing_coins: Iterable[Mapping[str, object]], day: date
) -> list[UniverseRow]:
    """The rows after a live Coinlore listing of ``day``, which is the universe from then on."""
    # An open row whose coin is listed again with the same symbol, name and rank band stays
    # open; every other open row closes on `day`, and each listed coin without such a row gets
    # a new open row, keeping its previous pair when the symbol is unchanged. Nothing is written.
    out: list[UniverseRow | None] = list(rows)
    if any(r and r.valid_to is None and r.valid_from > day for r in out):
        raise ValueError(f"listing of {day} is older than open rows of the universe")
    open_rows = {r.coin_id: i for i, r in enumerate(out) if r and r.valid_to is None}
    for coin in listing_coins:
        coin_id, symbol, rank = str(coin["id"]), str(coin["symbol"]), int(str(coin["rank"]))
        name, nameid = str(coin["name"]), str(coin.get("nameid") or "")
        index = open_rows.pop(coin_id, None)
        prev = out[index] if index is not None else None
        if prev and (prev.symbol, prev.name, _band(prev.rank)) == (symbol, name, _band(rank)):
            continue
        if prev and index is not None:
            out[index] = _closed(prev, day)
        kept = prev if prev and prev.symbol == symbol else None  # same symbol: same pair
        out.append(
            UniverseRow(
                coin_id=coin_id,
                symbol=symbol,
                name=name,
                nameid=nameid,
                rank=rank,
                valid_from=day,
                valid_to=None,
                binance_pair=kept.binance_pair if kept else None,
                pair_from=kept.pair_from if kept else None,
                pair_to=kept.pair_to if kept else None,
                pair_seen=kept.pair_seen if kept else "",
                fixed_price_usdt=kept.fixed_price_usdt if kept else None,
                source=f"coinlore-{day.isoformat()}",
            )
        )
    for index in open_rows.values():  # open rows of coins the listing no longer has
        row = out[index]
        out[index] = _closed(row, day) if row else None
    return [r for r in out if r is not None]
