"""Binance's monthly kline zips: checksums, bad cells, µs timestamps, a folder of months."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import fsspec
import pytest

from crypto_assets.sources.errors import PayloadError, SourceError
from crypto_assets.sources.kline_files import KlineArchive, parse_kline_zip
from crypto_assets.sources.klines import epoch_to_datetime
from crypto_assets_tests.sources.history_payloads import kline_row, kline_zip, luna_rows

MAY_13 = datetime(2022, 5, 13, tzinfo=UTC)
MINUTE = timedelta(minutes=1)


def test_kline_zip_with_a_good_checksum() -> None:
    data = kline_zip(luna_rows())
    checksum = f"{hashlib.sha256(data).hexdigest()}  LUNAUSDT-1m-2022-05.zip\n"

    candles = parse_kline_zip(data, checksum)

    assert len(candles) == 160
    assert candles[120].open_time == MAY_13 and candles[120].close == 0.00047
    assert candles[-1].close_time == MAY_13 + 40 * MINUTE - timedelta(milliseconds=1)


def test_kline_zip_with_a_bad_checksum_is_rejected() -> None:
    data = kline_zip(luna_rows())
    wrong = hashlib.sha256(data + b"x").hexdigest()

    with pytest.raises(PayloadError, match=r"does not match its \.CHECKSUM"):
        parse_kline_zip(data, f"{wrong}  LUNAUSDT-1m-2022-05.zip", name="LUNAUSDT-1m-2022-05.zip")
    assert len(parse_kline_zip(data, None)) == 160  # no checksum, no verification


def test_kline_zip_bad_cell_names_file_line_and_column() -> None:
    rows = luna_rows()[:3]
    rows[1][2] = "n/a"

    with pytest.raises(
        PayloadError, match=r"LUNAUSDT-1m-2022-05\.csv line 2\[2\]: expected a number"
    ):
        parse_kline_zip(kline_zip(rows), None)


def test_microsecond_timestamps_of_newer_files() -> None:
    jan_2025_us = 1735689600_000_000
    rows = [
        [jan_2025_us, "1", "1", "1", "2", "3", jan_2025_us + 299_999_999, "1", 1, "1", "1", "0"]
    ]

    (only,) = parse_kline_zip(kline_zip(rows, "BTCUSDT-5m-2025-01"), None)

    assert only.open_time == datetime(2025, 1, 1, tzinfo=UTC)
    assert only.close_time == datetime(2025, 1, 1, 0, 4, 59, 999999, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1652400000000, MAY_13),
        (1652400000000_000, MAY_13),
        (1652400299999, MAY_13 + timedelta(minutes=5, milliseconds=-1)),
    ],
)
def test_epoch_units_told_apart_by_magnitude(value, expected) -> None:
    assert epoch_to_datetime(value) == expected


def test_kline_archive_reads_the_months_a_range_touches(tmp_path: Path) -> None:
    rows = luna_rows()
    for month, part in (("2022-04", [kline_row(1651362900000)]), ("2022-05", rows)):
        folder = tmp_path / "LUNAUSDT"
        folder.mkdir(exist_ok=True)
        data = kline_zip(part, f"LUNAUSDT-1m-{month}")
        (folder / f"LUNAUSDT-1m-{month}.zip").write_bytes(data)
        checksum = f"{hashlib.sha256(data).hexdigest()}  LUNAUSDT-1m-{month}.zip"
        (folder / f"LUNAUSDT-1m-{month}.zip.CHECKSUM").write_text(checksum)
    archive = KlineArchive(str(tmp_path), fsspec.filesystem("file"), interval="1m")

    candles = archive.fetch_klines("LUNAUSDT", datetime(2022, 4, 30, 23, 55, tzinfo=UTC), MAY_13)

    assert candles[0].open_time == datetime(2022, 4, 30, 23, 55, tzinfo=UTC)
    assert len(candles) == 1 + 120  # April's candle and May 8's two hours; none of the 13th
    with pytest.raises(SourceError, match=re.escape(f"{tmp_path}/BTCUSDT/BTCUSDT-1m-2022-05.zip")):
        archive.fetch_klines("BTCUSDT", MAY_13, MAY_13 + MINUTE)
