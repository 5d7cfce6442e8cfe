"""Binance's monthly kline files ({SYMBOL}-5m-YYYY-MM.zip + .CHECKSUM) from a folder or s3."""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from datetime import UTC, datetime

import fsspec

from crypto_assets.sources.errors import PayloadError, SourceError
from crypto_assets.sources.klines import Candle, parse_kline_row


def verify_checksum(data: bytes, checksum_text: str, name: str) -> None:
    """PayloadError unless sha256(data) is the '<sha256>  <filename>' line's hash."""
    words = checksum_text.split()
    expected = words[0].lower() if words else ""
    actual = hashlib.sha256(data).hexdigest()
    if actual != expected:
        raise PayloadError(
            f"binance kline file {name}: sha256 {actual} does not match its .CHECKSUM "
            f"({expected or 'empty'!r:.80}); the download is corrupt or incomplete"
        )


def parse_kline_zip(data: bytes, checksum_text: str | None, *, name: str = "zip") -> list[Candle]:
    """The candles of one monthly zip (one headerless 12-column CSV), checksum-verified if given."""
    if checksum_text is not None:
        verify_checksum(data, checksum_text, name)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise PayloadError(f"binance kline file {name}: not a zip file ({exc})") from None
    members = [member for member in archive.namelist() if member.endswith(".csv")]
    if len(members) != 1:
        raise PayloadError(f"binance kline file {name}: expected one .csv inside, got {members}")
    candles = []
    with archive.open(members[0]) as raw:
        rows = csv.reader(io.TextIOWrapper(raw, encoding="utf-8", newline=""))
        for number, row in enumerate(rows, start=1):
            if number == 1 and row and not row[0].strip().isdigit():
                continue  # tolerate a header row, should a file carry one
            if row:
                candles.append(parse_kline_row(row, f"{name}:{members[0]} line {number}"))
    return candles


def months_between(start: datetime, end: datetime) -> list[str]:
    """The 'YYYY-MM' months (UTC) that hold some instant of [start, end), in order."""
    if start.tzinfo is None or end.tzinfo is None or start >= end:
        raise ValueError(f"need timezone-aware start < end, got {start} .. {end}")
    start = start.astimezone(UTC)
    months, (year, month) = [], (start.year, start.month)
    while datetime(year, month, 1, tzinfo=UTC) < end:
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


class KlineArchive:
    """Monthly kline zips at {root}/{SYMBOL}/{SYMBOL}-{interval}-YYYY-MM.zip, read via fsspec."""

    def __init__(
        self, root: str, filesystem: fsspec.AbstractFileSystem | None = None, interval: str = "5m"
    ) -> None:
        self.root = root.rstrip("/")
        self.filesystem = filesystem if filesystem is not None else fsspec.url_to_fs(root)[0]
        self.interval = interval

    def path_for(self, symbol: str, month: str) -> str:
        """The expected path of one month's zip; its checksum is this path + '.CHECKSUM'."""
        return f"{self.root}/{symbol}/{symbol}-{self.interval}-{month}.zip"

    def read_month(self, symbol: str, month: str) -> list[Candle]:
        """One month's candles; the .CHECKSUM is verified when it is present beside the zip."""
        path = self.path_for(symbol, month)
        try:
            data = self.filesystem.cat_file(path)
        except FileNotFoundError:
            raise SourceError(
                f"binance kline file for {symbol} {month} not found: {path}"
            ) from None
        try:
            checksum = self.filesystem.cat_file(path + ".CHECKSUM").decode()
        except FileNotFoundError:
            checksum = None
        return parse_kline_zip(data, checksum, name=path)

    def fetch_klines(self, symbol: str, start: datetime, end: datetime) -> list[Candle]:
        """The candles opening in [start, end), oldest first, from the months the range touches."""
        candles = {
            candle.open_time: candle
            for month in months_between(start, end)
            for candle in self.read_month(symbol, month)
        }
        return [candles[t] for t in sorted(candles) if start <= t < end]
