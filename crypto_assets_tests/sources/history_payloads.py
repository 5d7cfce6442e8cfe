"""Builders for the history tests: recorded posts and klines, hand-made posts, dumps and zips."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import zstandard

from crypto_assets_tests.sources.history_fake import HistoryFake

HISTORY_FIXTURES = Path(__file__).parent.parent / "fixtures" / "history"
LUNA_CSV = HISTORY_FIXTURES / "klines" / "LUNAUSDT-1m-2022-05-08T00-01_05-13T00.csv"
BTC_JSON = HISTORY_FIXTURES / "klines" / "BTC_USDT-5m-2022-05-13T00-05.json"
RECORDED_DAYS = ("CryptoMarkets_2022-05-13", "dogecoin_2022-05-13", "dogecoin_2022-05-04")


def read_posts(name: str) -> list[dict[str, Any]]:
    """The post objects of fixtures/history/reddit/{name}.ndjson, in file order."""
    text = (HISTORY_FIXTURES / "reddit" / f"{name}.ndjson").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def recorded_fake() -> HistoryFake:
    """A HistoryFake holding every recorded post and candle of the fixtures."""
    fake = HistoryFake()
    for name in RECORDED_DAYS:
        fake.load_posts(HISTORY_FIXTURES / "reddit" / f"{name}.ndjson")
    fake.load_binance_csv("LUNAUSDT", "1m", LUNA_CSV)
    fake.load_freqtrade_json("BTCUSDT", "5m", BTC_JSON)
    fake.symbols.add("USTUSDT")  # listed, but no candles recorded
    return fake


def post_object(
    post_id: str, created_utc: object, subreddit: str = "dogecoin", **extra: Any
) -> dict[str, Any]:
    """A hand-made Arctic Shift post object."""
    return {
        "id": post_id,
        "subreddit": subreddit,
        "author": "someone",
        "created_utc": created_utc,
        "title": f"title {post_id}",
        "selftext": "",
        "permalink": f"/r/{subreddit}/comments/{post_id}/",
        "score": 1,
        "num_comments": 0,
        **extra,
    }


def dump_bytes(lines: list[Any], window_log: int = 20) -> bytes:
    """Zstd NDJSON written as the dumps are: streamed, so the frame states no content size."""
    params = zstandard.ZstdCompressionParameters.from_level(3, window_log=window_log)
    buffer = io.BytesIO()
    compressor = zstandard.ZstdCompressor(compression_params=params)
    with compressor.stream_writer(buffer, closefd=False) as writer:
        for line in lines:
            text = line if isinstance(line, str) else json.dumps(line)
            writer.write(text.encode() + b"\n")
    return buffer.getvalue()


def luna_rows() -> list[list[str]]:
    """The recorded LUNAUSDT 1m CSV rows, as strings."""
    with LUNA_CSV.open(newline="") as lines:
        return list(csv.reader(lines))


def kline_row(open_ms: int, close: Any = "1.5") -> list[Any]:
    """A hand-made 12-column 5m kline."""
    return [
        open_ms,
        "1.0",
        "2.0",
        "0.5",
        close,
        "10.0",
        open_ms + 299_999,
        "15.0",
        3,
        "5",
        "7",
        "0",
    ]


def kline_zip(rows: list[list[Any]], name: str = "LUNAUSDT-1m-2022-05") -> bytes:
    """A monthly zip as data.binance.vision serves it: one headerless {name}.csv inside."""
    text = io.StringIO()
    csv.writer(text, lineterminator="\n").writerows(rows)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"{name}.csv", text.getvalue())
    return buffer.getvalue()
