"""History resources: a Reddit archive (API or monthly dumps) and 5-minute kline prices."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from dagster import ConfigurableResource
from pydantic import Field

from crypto_assets.history.days import DAY, KLINE_INTERVAL, day_window_starts
from crypto_assets.sources.errors import SourceError
from crypto_assets.sources.http import HttpClient
from crypto_assets.sources.kline_files import KlineArchive
from crypto_assets.sources.klines import (
    DEFAULT_PRICE_HISTORY_URL,
    KLINES_MIN_INTERVAL_S,
    KlinesClient,
    UnknownSymbolError,
    window_candles,
)
from crypto_assets.sources.reddit_archive import (
    ARCHIVE_MIN_INTERVAL_S,
    DEFAULT_ARCHIVE_URL,
    ArchiveClient,
)
from crypto_assets.sources.reddit_dumps import DumpFolder
from crypto_assets.sources.replay import replay_session

logger = logging.getLogger(__name__)


def _http(source: str, min_interval_s: float, max_retries: int) -> HttpClient:
    # Replay answers the archive's and Binance's public hosts from recordings (same parsing).
    session = replay_session() if source == "replay" else None
    return HttpClient(session=session, min_interval_s=min_interval_s, max_retries=max_retries)


class RedditArchiveResource(ConfigurableResource):
    """Past posts from an Arctic-Shift-compatible archive API, or its monthly RS_*.zst dumps."""

    source: str = Field(default="live", description="`live` or `replay`")
    subreddits: list[str] = Field(default=["CryptoCurrency"])
    base_url: str | None = Field(
        default=DEFAULT_ARCHIVE_URL, description="archive API base; None: off (dumps only)"
    )
    dumps_root: str | None = Field(default=None, description="folder or s3:// prefix of dumps")
    max_retries: int = 5
    min_interval_s: float = Field(default=ARCHIVE_MIN_INTERVAL_S, description="request pacing")

    @property
    def available(self) -> bool:
        """Whether past posts can be read: an archive API, dumps, or replay's recordings."""
        return self.source == "replay" or bool(self.base_url or self.dumps_root)

    @property
    def serves_old_live_windows(self) -> bool:
        """Whether a live window too old for /new reads the archive (live mode only: replay's
        archive recordings are of other days, so it would answer such a window empty)."""
        return self.source == "live" and self.available

    @property
    def describe(self) -> str:
        """Where posts come from, for metadata."""
        if self.dumps_root:
            return f"reddit dumps {self.dumps_root}"
        return "replayed archive" if self.source == "replay" else f"archive {self.base_url}"

    def fetch_posts(self, start: datetime, end: datetime) -> list[dict]:
        """Posts of the subreddits created in [start, end) (aware UTC), oldest first."""
        if self.dumps_root and self.source == "live":
            return DumpFolder(self.dumps_root).fetch_window(self.subreddits, start, end)
        if not self.available:
            raise SourceError(
                "no Reddit archive: CRYPTO_REDDIT_ARCHIVE_URL is off and CRYPTO_REDDIT_DUMPS is "
                "not set; set one of them to read past days"
            )
        http = _http(self.source, self.min_interval_s, self.max_retries)
        base_url = self.base_url or DEFAULT_ARCHIVE_URL  # replay answers the public host
        return ArchiveClient(http, base_url).fetch_window(self.subreddits, start, end)


@dataclass
class DayCloses:
    """A day's window closes per pair, and the pairs the exchange did not know."""

    closes: dict[str, dict[datetime, tuple[float, datetime]]] = field(default_factory=dict)
    unknown_pairs: list[str] = field(default_factory=list)
    requests: int = 0


class PriceHistoryResource(ConfigurableResource):
    """Binance-compatible 5-minute spot klines (USDT pairs), from the API or monthly zip files."""

    source: str = Field(default="live", description="`live` or `replay`")
    base_url: str = DEFAULT_PRICE_HISTORY_URL
    files_root: str | None = Field(default=None, description="folder or s3:// prefix of zips")
    max_retries: int = 5
    min_interval_s: float = Field(default=KLINES_MIN_INTERVAL_S, description="request pacing")

    @property
    def describe(self) -> str:
        """Where prices come from, for metadata."""
        if self.files_root:
            return f"binance kline files {self.files_root}"
        return "replayed klines" if self.source == "replay" else f"klines {self.base_url}"

    def day_closes(self, day: date, pairs: Iterable[str]) -> DayCloses:
        """Per pair, each window's close of the last 5-minute candle opening in it."""
        start = datetime(day.year, day.month, day.day, tzinfo=UTC)
        starts = [s.replace(tzinfo=UTC) for s in day_window_starts(day)]
        if self.files_root and self.source == "live":
            client: KlineArchive | KlinesClient = KlineArchive(
                self.files_root, interval=KLINE_INTERVAL
            )
        else:
            http = _http(self.source, self.min_interval_s, self.max_retries)
            client = KlinesClient(http, self.base_url)
        found = DayCloses()
        for pair in sorted(set(pairs)):
            try:
                candles = client.fetch_klines(pair, start, start + DAY)
            except UnknownSymbolError:
                # A universe pair the exchange does not know: its coin stays unpriced, the day
                # goes on; the asset check names it.
                logger.warning("price history: %s unknown to the exchange", pair)
                found.unknown_pairs.append(pair)
                continue
            finally:
                found.requests += 1
            found.closes[pair] = {
                start: (candle.close, candle.close_time)
                for start, candle in window_candles(candles, starts).items()
            }
        return found
