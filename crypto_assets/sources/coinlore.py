"""Coinlore /api/tickers/ client: parse pages of coin tickers and page through the top N."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator

from crypto_assets.sources.errors import PayloadError
from crypto_assets.sources.http import HttpClient
from crypto_assets.sources.payload_models import (
    Integer,
    NonNegativeNumber,
    Number,
    OptionalNonNegativeNumber,
    OptionalNumber,
    OptionalText,
    Text,
    validate,
)

COINLORE_API_URL = "https://api.coinlore.net/api"
# Community guidance (unverified, see API_NOTES.txt): at most one request per second.
COINLORE_MIN_INTERVAL_S = 1.0

TEXT_FIELDS = ("symbol", "name")
NUMBER_FIELDS = (
    "price_usd",
    "percent_change_24h",
    "percent_change_1h",
    "percent_change_7d",
    "price_btc",
    "market_cap_usd",
    "volume24",
    "volume24a",
    "csupply",
    "tsupply",
    "msupply",
)
COIN_FIELDS = ("id", "symbol", "name", "nameid", "rank", *NUMBER_FIELDS)
# Every number key must be present; only these may carry null or "". In the recorded responses
# msupply is "" or null for coins without a max supply (37 of the top 100, 2024), and in the
# 7,000-coin export tsupply, percent_change_1h/_7d (young coins) and volume24a are empty too.
# price_usd, percent_change_24h, price_btc, market_cap_usd, volume24 and csupply never are.
EMPTY_ALLOWED_FIELDS = ("percent_change_1h", "percent_change_7d", "volume24a", "tsupply", "msupply")
# Prices, market cap, volumes and supplies cannot be negative; percent changes can.
NON_NEGATIVE_FIELDS = tuple(f for f in NUMBER_FIELDS if not f.startswith("percent_change"))


def _coin_id(value: object) -> str:
    # The ids are numeric strings; a bare number means the same coin.
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise ValueError(f"expected a string, got {value!r:.60}")
    return value


CoinId = Annotated[str, BeforeValidator(_coin_id)]
# Coinlore lists over 10,000 coins, so a listing short of this share of min(n, info.coins_num)
# is a broken response (a truncated or failing API), not a small market.
MIN_LISTING_SHARE = 0.9

SOURCE = "coinlore tickers"


class Ticker(BaseModel):
    """One ticker object of /api/tickers/ (other keys are ignored)."""

    id: CoinId
    symbol: Text
    name: Text
    nameid: OptionalText = None
    rank: Integer
    price_usd: NonNegativeNumber
    percent_change_24h: Number
    percent_change_1h: OptionalNumber
    percent_change_7d: OptionalNumber
    price_btc: NonNegativeNumber
    market_cap_usd: NonNegativeNumber
    volume24: NonNegativeNumber
    volume24a: OptionalNonNegativeNumber
    csupply: NonNegativeNumber
    tsupply: OptionalNonNegativeNumber
    msupply: OptionalNonNegativeNumber

    def as_coin(self) -> dict[str, Any]:
        """The ticker as a dict with exactly COIN_FIELDS."""
        return self.model_dump() | {"nameid": self.nameid or ""}


class TickersInfo(BaseModel):
    """The `info` object: when Coinlore took the listing and how many coins it knows."""

    time: Integer | None = None
    coins_num: Integer | None = None


class TickersBody(BaseModel):
    """One /api/tickers/ response body."""

    data: list[Ticker]
    info: TickersInfo | None = None


@dataclass
class TickersPage:
    """One parsed /tickers/ response."""

    coins: list[dict[str, Any]]
    info_time: datetime | None
    coins_num: int | None


@dataclass
class ListingSnapshot:
    """The top-N coins as Coinlore reported them at `as_of`."""

    coins: list[dict[str, Any]]
    as_of: datetime
    fetched_at: datetime
    pages: int


def parse_tickers_page(payload: object) -> TickersPage:
    """Validate and type one /api/tickers/ response body."""
    body = validate(TickersBody, payload, SOURCE)
    info = body.info or TickersInfo()
    return TickersPage(
        coins=[ticker.as_coin() for ticker in body.data],
        info_time=None if info.time is None else datetime.fromtimestamp(info.time, UTC),
        coins_num=info.coins_num,
    )


def _require_enough_coins(got: int, n: int, coins_num: int | None) -> None:
    """PayloadError unless `got` is at least MIN_LISTING_SHARE of min(n, coins_num)."""
    expected = min(n, coins_num) if coins_num else n
    minimum = math.ceil(round(expected * MIN_LISTING_SHARE, 6))
    if got < minimum:
        raise PayloadError(
            f"{SOURCE}: got {got} coins, expected at least {minimum} of {expected} "
            f"(top {n} requested, info.coins_num={coins_num})"
        )


class CoinloreClient:
    """Fetches the top coins by rank from Coinlore, 100 per request."""

    def __init__(
        self,
        http: HttpClient,
        base_url: str = COINLORE_API_URL,
        page_size: int = 100,
        *,
        now: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        if page_size < 1:
            raise ValueError(f"page_size must be at least 1, got {page_size}")
        self.http = http
        self.base_url = base_url.rstrip("/")
        self.page_size = page_size
        self.now = now

    def fetch_page(self, start: int, limit: int) -> TickersPage:
        """One /tickers/ page; payload errors say which page they came from."""
        payload = self.http.get_json(
            f"{self.base_url}/tickers/", params={"start": start, "limit": limit}
        )
        try:
            return parse_tickers_page(payload)
        except PayloadError as exc:
            raise PayloadError(f"{exc} (page start={start}, limit={limit})") from None

    def fetch_top(self, n: int) -> ListingSnapshot:
        """The top `n` coins by rank, de-duplicated by id (first occurrence wins), sorted by rank.

        Fails with PayloadError on an empty first page or far fewer coins than expected.
        """
        if n < 1:
            raise ValueError(f"n must be at least 1, got {n}")
        fetched_at = self.now()
        as_of: datetime | None = None
        coins_num: int | None = None
        coins_by_id: dict[str, dict[str, Any]] = {}
        start = pages = 0
        while start < n:
            limit = min(self.page_size, n - start)
            page = self.fetch_page(start, limit)
            pages += 1
            if pages == 1:
                if not page.coins:
                    raise PayloadError(
                        f"{SOURCE}: data: no coins on the first page (start=0, {limit=})"
                    )
                as_of, coins_num = page.info_time, page.coins_num
            if not page.coins:
                break
            for coin in page.coins:
                coins_by_id.setdefault(coin["id"], coin)
            # Ranks can shift between requests, so neighbouring pages may overlap by a coin or two.
            start += len(page.coins)
        coins = sorted(coins_by_id.values(), key=lambda coin: coin["rank"])[:n]
        _require_enough_coins(len(coins), n, coins_num)
        return ListingSnapshot(
            coins=coins, as_of=as_of or fetched_at, fetched_at=fetched_at, pages=pages
        )
