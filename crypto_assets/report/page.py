"""The day's report as Markdown (Dagster metadata) and HTML (the lake), and the index page."""

from __future__ import annotations

import base64
import html
import math
from collections.abc import Sequence

import pandas as pd

from crypto_assets.report.figure_data import NO_PRICE, DayFigure

HEADERS = {
    "coin": "coin",
    "mentions": "mentions",
    "posts": "posts",
    "vader": "mean sentiment (VADER)",
    "model": "mean sentiment (model)",
    "open": "price open",
    "close": "price close",
    "change_pct": "change %",
    "currency": "currency",
}


def _cell(column: str, value: object) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return NO_PRICE if column in {"open", "close", "change_pct", "currency"} else "n/a"
    if column in {"vader", "model"}:
        return f"{value:+.3f}"
    if column == "change_pct":
        return f"{value:+.2f}"
    if column in {"open", "close"}:
        return f"{value:,.6g}"
    return str(value)


def table_rows(table: pd.DataFrame) -> list[list[str]]:
    """The coin table as text cells ("no price" where a coin has none)."""
    return [[_cell(c, row[c]) for c in HEADERS] for row in table.to_dict("records")]


def caption(data: DayFigure, replay: bool) -> str:
    """One line: the day, replay or live, prices' source and currency, stored windows."""
    stored = int(data.windows_per_hour.sum())
    mode = "replay (recorded data)" if replay else "live"
    return (
        f"{data.day:%Y-%m-%d} (UTC), {mode}; prices: {data.price_unit}; "
        f"{stored} of 144 windows stored (hours without one are grey gaps, not zeros)"
    )


def png_uri(png: bytes) -> str:
    """The picture as a `data:` URI (the UI's Markdown renderer shows it inline)."""
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def day_markdown(data: DayFigure, png: bytes, replay: bool, location: str) -> str:
    """The report as Markdown: the picture, a caption, the coin table and where the files are."""
    rows = table_rows(data.table)
    lines = [
        f"![market report {data.day:%Y-%m-%d}]({png_uri(png)})",
        "",
        f"**{caption(data, replay)}**",
        "",
        "| " + " | ".join(HEADERS.values()) + " |",
        "|" + "---|" * len(HEADERS),
        *["| " + " | ".join(r) + " |" for r in rows],
        "",
        f"HTML and PNG in the lake: `{location}`",
    ]
    return "\n".join(lines)


def summary_markdown(data: DayFigure) -> str:
    """A short table (under the UI's 1,000 characters, so it shows inline): coin, mentions,
    VADER sentiment, price change."""
    lines = ["| coin | mentions | VADER | price change % |", "|---|---|---|---|"]
    for row in data.table.to_dict("records"):
        cells = [row["coin"], str(row["mentions"]), _cell("vader", row["vader"])]
        lines.append("| " + " | ".join([*cells, _cell("change_pct", row["change_pct"])]) + " |")
    return "\n".join(lines) if len(data.table) else "_no coin mentioned on this day_"


def day_html(data: DayFigure, png: bytes, replay: bool) -> str:
    """A self-contained HTML page of the day (picture inline, table included)."""
    head = "".join(f"<th>{html.escape(h)}</th>" for h in HEADERS.values())
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>"
        for row in table_rows(data.table)
    )
    title = f"market report {data.day:%Y-%m-%d}"
    return _page(
        title,
        f"<p><a href='../index.html'>all days</a></p><h1>{title}</h1>"
        f"<p>{html.escape(caption(data, replay))}</p>"
        f"<img src='{png_uri(png)}' alt='{title}'>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>",
    )


def index_html(days: Sequence[str]) -> str:
    """The index of the reported days, newest first, each linking its page."""
    items = "".join(
        f"<li><a href='day={d}/report.html'>{d}</a></li>" for d in sorted(days, reverse=True)
    )
    text = f"<ul>{items}</ul>" if days else "<p>No day has been reported yet.</p>"
    return _page("market reports", f"<h1>market reports ({len(days)} days, UTC)</h1>{text}")


def _page(title: str, body: str) -> str:
    style = (
        "body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:4px 8px;text-align:right}img{max-width:100%}"
    )
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
        f"<style>{style}</style></head><body>{body}</body></html>\n"
    )
