"""One day's report, built from the lake and written back to it under `reports/day=…/`."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date

from crypto_assets.report.figure_data import DayFigure, day_figure
from crypto_assets.report.page import day_html, day_markdown, index_html
from crypto_assets.report.reader import day_numbers, read_day
from crypto_assets.report.render import render_png
from crypto_assets.storage.lake import ParquetLake

REPORTS = "reports"
DAY_PREFIX = "day="
HTML = "report.html"
PNG = "report.png"
INDEX = f"{REPORTS}/index.html"


def day_folder(day: date) -> str:
    """The day's folder relative to the lake root, e.g. `reports/day=2022-05-08`."""
    return f"{REPORTS}/{DAY_PREFIX}{day:%Y-%m-%d}"


@dataclass(frozen=True)
class DayReport:
    """A rendered day: its figure data, numbers, PNG, HTML page and how long rendering took."""

    figure: DayFigure
    numbers: dict[str, float | int]
    png: bytes
    html: str
    replay: bool
    seconds: float

    def markdown(self, location: str) -> str:
        """The report as Markdown with the picture inline, naming the lake `location`."""
        return day_markdown(self.figure, self.png, self.replay, location)


def build_day_report(lake: ParquetLake, day: date, replay: bool) -> DayReport:
    """Read the day's windows and render its picture, table and page."""
    started = time.perf_counter()
    inputs = read_day(lake, day)
    figure = day_figure(inputs.counts, inputs.prices, inputs.stored, day)
    png = render_png(figure, replay)
    page = day_html(figure, png, replay)
    seconds = time.perf_counter() - started
    return DayReport(figure, day_numbers(inputs), png, page, replay, seconds)


def write_day_report(lake: ParquetLake, report: DayReport) -> str:
    """Put the day's PNG and HTML in the lake (each replaced whole); the HTML's location."""
    folder = day_folder(report.figure.day)
    lake.store.put(f"{folder}/{PNG}", report.png)
    lake.store.put(f"{folder}/{HTML}", report.html.encode())
    return f"{lake.root}/{folder}/{HTML}"


def reported_days(lake: ParquetLake) -> list[str]:
    """The days with a report page in the lake, oldest first."""
    folders = lake.store.children(REPORTS, DAY_PREFIX)
    keys = {f"{REPORTS}/{name}/{HTML}": name for name in folders}
    return sorted(keys[k].removeprefix(DAY_PREFIX) for k in lake.store.complete(list(keys)))


def write_index(lake: ParquetLake) -> tuple[str, list[str]]:
    """Put the index of the reported days in the lake; its location and the days."""
    days = reported_days(lake)
    lake.store.put(INDEX, index_html(days).encode())
    return f"{lake.root}/{INDEX}", days
