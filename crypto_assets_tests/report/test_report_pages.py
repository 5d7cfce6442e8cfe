"""The day's report files in a local lake, its Markdown and HTML, and the index command."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from crypto_assets.report.day import build_day_report, reported_days, write_day_report, write_index
from crypto_assets.report.figure_data import day_figure
from crypto_assets.report.page import index_html, summary_markdown
from crypto_assets.storage.lake import ParquetLake
from crypto_assets_tests.support.report import (
    DAY,
    at,
    count,
    counts,
    hour_windows,
    prices,
    write_day,
)
from crypto_assets_tests.support.subprocess_env import clean_env

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
BINANCE = "binance:BTCUSDT 5m close"


def _lake_with_a_day(root: Path) -> ParquetLake:
    lake = ParquetLake(str(root))
    rows = counts(*[count(at(h), s, m) for h in (0, 9, 10) for s, m in (("BTC", 3), ("ETH", 1))])
    listed = prices(*[(at(h), "btc", 100.0 + h, BINANCE) for h in (0, 9, 10)])
    write_day(lake, hour_windows(0, 9, 10), rows, listed)
    return lake


@pytest.mark.parametrize("replay", [True, False])
def test_a_day_report_is_written_to_the_lake_with_its_picture_and_table(tmp_path, replay) -> None:
    lake = _lake_with_a_day(tmp_path / "lake")
    report = build_day_report(lake, DAY, replay)
    location = write_day_report(lake, report)

    folder = tmp_path / "lake" / "reports" / "day=2022-05-08"
    assert location == f"{tmp_path / 'lake'}/reports/day=2022-05-08/report.html"
    assert (folder / "report.png").read_bytes() == report.png
    assert report.png.startswith(PNG_SIGNATURE) and len(report.png) < 150_000
    assert report.figure.coins == ["BTC", "ETH"]
    assert report.numbers == {
        "windows": 18,
        "posts": 18,
        "mentions": 12,
        "coins": 2,
        "mean_sentiment": 0.2,
        "mean_model": 0.1,
    }
    page = (folder / "report.html").read_text()
    assert "data:image/png;base64," in page and "<td>BTC</td>" in page
    assert ("replay (recorded data)" in page) is replay
    assert "USDT, binance 5m close" in page and "no price" in page  # ETH has no price
    markdown = report.markdown(location)
    assert markdown.startswith("![market report 2022-05-08](data:image/png;base64,")
    assert location in markdown and "| ETH | 3 | 3 |" in markdown


def test_the_summary_stays_short_enough_to_show_inline() -> None:
    rows = [count(at(0), f"COIN{i}", 1000 + i, sentiment=-0.123) for i in range(12)]
    report_rows = counts(*rows)
    data = day_figure(report_rows, prices(), hour_windows(0), DAY)
    text = summary_markdown(data)
    assert len(text.splitlines()) == 12 and len(text) < 1000  # the UI inlines < 1,000 characters
    assert "| COIN11 | 1011 | -0.123 | no price |" in text


def test_the_index_lists_reported_days_newest_first(tmp_path) -> None:
    lake = _lake_with_a_day(tmp_path / "lake")
    assert reported_days(lake) == []
    write_day_report(lake, build_day_report(lake, DAY, True))
    (tmp_path / "lake/reports/day=2022-05-09").mkdir()  # a folder without a page is no report
    location, days = write_index(lake)
    assert days == ["2022-05-08"]
    assert "href='day=2022-05-08/report.html'" in Path(location).read_text()
    page = index_html(["2022-05-08", "2022-05-14", "2022-05-13"])
    assert page.index("2022-05-14") < page.index("2022-05-13") < page.index("2022-05-08")
    assert "No day has been reported yet." in index_html([])


def test_the_index_command_prints_the_page_and_never_waits_for_a_browser(tmp_path) -> None:
    home = tmp_path / "home"
    lake = _lake_with_a_day(home / "lake")
    write_day_report(lake, build_day_report(lake, DAY, True))
    env = {k: v for k, v in clean_env().items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    done = subprocess.run(
        [sys.executable, "-m", "crypto_assets.report", "--open"],
        env=env | {"CRYPTO_ASSETS_HOME": str(home)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    index = home / "lake" / "reports" / "index.html"
    assert f"1 reported days; index: {index}" in done.stdout
    assert "no display to open a browser on" in done.stdout
    assert "day=2022-05-08/report.html" in index.read_text()
