"""Market rules over mention_counts windows: rows in, alerts out (pure, no Dagster here)."""

from __future__ import annotations

import operator
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlencode

from crypto_assets.alerts.market_rules import PERIODS, MarketRules, Rule
from crypto_assets.alerts.message import Alert, dedup_key
from crypto_assets.windows import PARTITION_KEY_FORMAT as KEY_FORMAT
from crypto_assets.windows import WINDOW

ASSET = "mention_counts"
Row = Mapping[str, Any]
# A rule's finding: the subject's tail, what happened, the thresholds, the numbers behind it.
Finding = tuple[str, str, str, dict[str, Any]]
_NOT_BEFORE = "not already past it at its last captured price in the trailing windows"


def recent(starts: Iterable[datetime], rules: MarketRules, now: datetime) -> list[datetime]:
    """The window starts no older than max_window_age at `now`, oldest first."""
    now = now.astimezone(UTC).replace(tzinfo=None) if now.tzinfo else now  # as the lake: naive
    return sorted({s for s in starts if s >= now - rules.max_window_age})


def baseline_starts(start: datetime, count: int) -> list[datetime]:
    """The `count` window starts before `start`, newest first."""
    return [start - WINDOW * i for i in range(1, count + 1)]


def partition_link(ui_url: str, start: datetime) -> str:
    """The UI page of one mention_counts partition."""
    query = urlencode({"view": "partitions", "partition": start.strftime(KEY_FORMAT)})
    return f"{ui_url}/assets/{ASSET}?{query}"


def evaluate(
    rules: MarketRules,
    windows: Iterable[datetime],
    rows: Iterable[Row],
    present: Collection[datetime],
    now: datetime,
    ui_url: str,
) -> list[Alert]:
    """Alerts for the recent `windows`; `rows` hold them and their baselines, read from the
    lake, `present` the windows read (a coin without a row there had no mentions)."""
    by_key = {(row["window_start"], row["coin_id"]): row for row in rows}
    alerts = []
    for start in recent((w for w in windows if w in present), rules, now):
        window_rows = sorted((r for (w, _), r in by_key.items() if w == start), key=_rank)
        best = {}  # symbol -> coin_id of its best-ranked coin: symbol rules apply to it only
        for row in window_rows:
            best.setdefault(str(row["symbol"]).upper(), row["coin_id"])
        for rule in rules.rules.values():
            baseline = [w for w in baseline_starts(start, rules.baseline(rule)) if w in present]
            for row in window_rows:
                history = [
                    by_key[(w, row["coin_id"])] for w in baseline if (w, row["coin_id"]) in by_key
                ]
                is_best = best[str(row["symbol"]).upper()] == row["coin_id"]
                found = _RULES[rule.name](rule, row, history, len(baseline), is_best)
                if found:
                    alerts.append(_alert(rules, rule, row, start, found, ui_url))
    return alerts


def _rank(row: Row) -> tuple[int, str]:
    return (row["rank"] if row.get("rank") is not None else 10**9, str(row["coin_id"]))


def _usd(value: float) -> str:
    return f"${value:,.2f}" if value >= 1 else f"${value:.4g}"  # sub-dollar coins need digits


def _priced(row: Row, column: str) -> float | None:
    """A price column's value, None unless the window's prices were captured."""
    return row.get(column) if row.get("prices_captured") else None


def _crossed(row: Row, history: Sequence[Row], column: str, past: Callable[[float], bool]) -> bool:
    """Past the threshold in this window, and not at the newest captured value before it."""
    value = _priced(row, column)
    before = next((v for r in history if (v := _priced(r, column)) is not None), None)
    return value is not None and past(value) and (before is None or not past(before))


def _mention_spike(
    rule: Rule, row: Row, history: Sequence[Row], windows: int, _: bool
) -> Finding | None:
    mentions = int(row["mentions"] or 0)
    if windows < rule["min_baseline_windows"] or mentions < rule["min_mentions"]:
        return None
    mean = sum(int(r["mentions"] or 0) for r in history) / windows if windows else 0.0
    if mentions < rule["ratio"] * mean:
        return None
    times = f"{mentions / mean:.1f}x the trailing mean" if mean else "none before"
    return (
        f"mention spike: {mentions} mentions, {times}",
        f"{row['symbol']} was mentioned {mentions} times in {row['posts_mentioning']} posts; "
        f"the trailing mean is {mean:.2f} mentions per window over {windows} windows.",
        f"mentions >= {rule['ratio']:g} x trailing mean (= {rule['ratio'] * mean:.2f}) "
        f"and >= min_mentions ({rule['min_mentions']})",
        {"mentions": mentions, "baseline_mean": round(mean, 4), "baseline_windows": windows},
    )


def _sentiment_swing(
    rule: Rule, row: Row, history: Sequence[Row], windows: int, _: bool
) -> Finding | None:
    current, posts = row["mean_sentiment"], int(row["posts_mentioning"] or 0)
    scored = [r for r in history if r["mean_sentiment"] is not None and r["posts_mentioning"]]
    base_posts = sum(int(r["posts_mentioning"]) for r in scored)
    if current is None or posts < rule["min_posts"] or base_posts < rule["min_baseline_posts"]:
        return None
    base = sum(r["mean_sentiment"] * r["posts_mentioning"] for r in scored) / base_posts
    if abs(current - base) < rule["change"]:
        return None
    return (
        f"sentiment swung {'up' if current > base else 'down'}: {base:+.2f} to {current:+.2f}",
        f"{row['symbol']}'s mean sentiment over {posts} posts was {current:+.3f}, against "
        f"{base:+.3f} over {base_posts} posts in the trailing {windows} windows.",
        f"|change| >= {rule['change']:g}, posts >= min_posts ({rule['min_posts']}), "
        f"baseline posts >= min_baseline_posts ({rule['min_baseline_posts']})",
        {"mean_sentiment": current, "baseline_sentiment": round(base, 4), "posts": posts},
    )


def _price(above: bool) -> Callable[..., Finding | None]:
    side, compare = ("above", operator.gt) if above else ("below", operator.lt)

    def check(rule: Rule, row: Row, history: Sequence[Row], _: int, best: bool) -> Finding | None:
        limit = rule["symbols"].get(str(row["symbol"]).upper()) if best else None
        if limit is None or not _crossed(row, history, "price_usd", lambda p: compare(p, limit)):
            return None
        price = row["price_usd"]
        return (
            f"price {side} {_usd(limit)}: {_usd(price)}",
            f"{row['symbol']} traded at {_usd(price)} (listing as of {row['as_of']} UTC).",
            f"price_usd {'>' if above else '<'} {limit:.10g}, and {_NOT_BEFORE}",
            {"price_usd": price, "threshold": limit},
        )

    return check


def _percent_change(
    rule: Rule, row: Row, history: Sequence[Row], _: int, best: bool
) -> Finding | None:
    own = rule["symbols"].get(str(row["symbol"]).upper(), {}) if best else {}
    rank, max_rank = row.get("rank"), rule["max_rank"]
    ranked = max_rank is None or (rank is not None and rank <= max_rank)
    limits = {p: own.get(p, rule["limits"].get(p) if ranked else None) for p in PERIODS}
    moved = {
        p: (row[f"percent_change_{p}"], limit)
        for p, limit in limits.items()
        if limit is not None
        and _crossed(row, history, f"percent_change_{p}", lambda v, lim=limit: abs(v) > lim)
    }
    if not moved:
        return None
    parts = ", ".join(f"{v:+.2f}% in {p}" for p, (v, _) in moved.items())
    return (
        f"moved {parts}",
        f"{row['symbol']} moved {parts} (listing as of {row['as_of']} UTC).",
        ", ".join(f"|% change {p}| > {lim:.10g}" for p, (_, lim) in moved.items())
        + f", and {_NOT_BEFORE}",
        {f"percent_change_{p}": v for p, (v, _) in moved.items()}
        | {f"limit_{p}": lim for p, (_, lim) in moved.items()},
    )


_RULES: dict[str, Callable[..., Finding | None]] = {
    "mention_spike": _mention_spike,
    "sentiment_swing": _sentiment_swing,
    "price_above": _price(above=True),
    "price_below": _price(above=False),
    "percent_change": _percent_change,
}


def _alert(
    rules: MarketRules, rule: Rule, row: Row, start: datetime, found: Finding, ui_url: str
) -> Alert:
    summary, happened, thresholds, numbers = found
    key, symbol = start.strftime(KEY_FORMAT), str(row["symbol"])
    body = "\n".join(
        [
            f"{symbol} ({row['name']}, rank {row['rank']}, coin id {row['coin_id']}): {summary}",
            f"Window: {start:%Y-%m-%d %H:%M}-{start + WINDOW:%H:%M} UTC ({ASSET} partition {key})",
            happened,
            f"Triggered by: {thresholds}.",
            f"Rule: {rule.name} ({rule.severity}), rules version {rules.version}, {rules.source}",
        ]
    )
    return Alert(
        rule=rule.name,
        severity=rule.severity,
        subject=f"[{rule.severity}] {symbol} {summary} ({start:%Y-%m-%d %H:%M} UTC)",
        body=body,
        dedup_key=dedup_key(rule.name, symbol, row["coin_id"], key, rules.version),
        window=key,
        symbol=symbol,
        link=partition_link(ui_url, start),
        numbers={**numbers, "coin_id": row["coin_id"]},
    )
