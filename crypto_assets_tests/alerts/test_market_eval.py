"""Pure evaluation of each market rule: fires / does not fire, boundaries, nulls, old windows."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest
import yaml
from dagster import AssetKey

from crypto_assets.alerts.links import asset_url
from crypto_assets.alerts.market_eval import evaluate
from crypto_assets.alerts.market_rules import MarketRules, parse_rules
from crypto_assets.alerts.message import MAX_SUBJECT

UI = "http://dagster.example:3000"
W = datetime(2025, 10, 19, 12, 40)  # the window evaluated
NOW = W + timedelta(minutes=20)
TEN = timedelta(minutes=10)
COINS = {"BTC": ("90", "Bitcoin", 1), "ETH": ("80", "Ethereum", 2), "ALGO": ("400", "Algorand", 40)}


def rules_for(name: str, version: int = 1, **settings: Any) -> MarketRules:
    """Rules with one rule, a 3-window baseline and a 2-hour max window age."""
    text = yaml.safe_dump(
        {
            "version": version,
            "max_window_age": "2h",
            "baseline_windows": 3,
            "rules": {name: settings},
        }
    )
    return parse_rules(text, "test_rules.yaml")


def row(start: datetime, symbol: str = "BTC", **values: Any) -> dict[str, Any]:
    """One mention_counts row; prices captured unless `captured=False` (then prices are null)."""
    coin_id, name, rank = COINS.get(symbol, ("1", symbol, 1))
    captured = values.pop("captured", True)
    base = {
        "window_start": start,
        "coin_id": coin_id,
        "symbol": symbol,
        "name": name,
        "rank": rank,
        "mentions": 1,
        "posts_mentioning": 1,
        "mean_sentiment": 0.0,
        "positive_posts": 0,
        "negative_posts": 0,
        "neutral_posts": 1,
        "price_usd": None,
        "percent_change_1h": None,
        "percent_change_24h": None,
        "percent_change_7d": None,
        "market_cap_usd": None,
        "as_of": start + timedelta(minutes=12),
        "prices_captured": captured,
    }
    base.update(values)
    if not captured:
        base.update({k: None for k in base if k.startswith(("price_usd", "percent_change"))})
    return base


def run(rules: MarketRules, current: dict | list[dict], *history: dict | None) -> list:
    """Evaluate window W; `history[i]` is the coin's row i+1 windows back (None: no row)."""
    rows = list(current) if isinstance(current, list) else [current]
    rows += [r | {"window_start": W - TEN * (i + 1)} for i, r in enumerate(history) if r]
    present = {W, *(W - TEN * (i + 1) for i in range(3))}
    return evaluate(rules, [W], rows, present, NOW, UI)


def back(**values: Any) -> dict[str, Any]:
    """A baseline row (its window is set by `run`)."""
    return row(W, **values)


SPIKE = rules_for("mention_spike", ratio=3, min_mentions=5, min_baseline_windows=3)


@pytest.mark.parametrize(
    ("mentions", "history", "fires"),
    [
        (5, [1, 1, 1], True),  # 5 >= 3 x 1
        (6, [2, 2, 2], True),  # exactly ratio x mean
        (5, [2, 2, 2], False),  # 5 < 6
        (5, [None, None, None], True),  # windows without the coin count as 0 mentions
        (4, [None, None, None], False),  # below min_mentions
        (9, [3, None, None], True),  # mean 1 over three windows, not 3 over one
    ],
)
def test_mention_spike(mentions: int, history: list[int | None], fires: bool) -> None:
    past = [back(mentions=m) if m is not None else None for m in history]
    alerts = run(SPIKE, row(W, mentions=mentions, posts_mentioning=2), *past)
    assert len(alerts) == int(fires)


def test_mention_spike_needs_min_baseline_windows_in_the_lake() -> None:
    rows = [row(W, mentions=50)]
    present = {W, W - TEN, W - 2 * TEN}  # two of the three baseline windows were materialized
    assert evaluate(SPIKE, [W], rows, present, NOW, UI) == []
    relaxed = rules_for("mention_spike", min_baseline_windows=2)
    assert len(evaluate(relaxed, [W], rows, present, NOW, UI)) == 1


SWING = rules_for("sentiment_swing", change=0.5, min_posts=3, min_baseline_posts=3)


@pytest.mark.parametrize(
    ("current", "posts", "history", "fires"),
    [
        (-0.25, 3, [(3, 0.25)], True),  # exactly the change
        (-0.5, 3, [(2, 0.25), (1, 0.25)], True),
        (-0.2, 3, [(3, 0.25)], False),  # 0.45 < 0.5
        (0.75, 3, [(3, 0.25)], True),  # swings up count too
        (-0.5, 2, [(3, 0.25)], False),  # below min_posts
        (-0.5, 3, [(2, 0.25)], False),  # below min_baseline_posts
        (None, 3, [(3, 0.25)], False),  # no sentiment in the window
        (-0.2, 3, [(1, 0.8), (3, 0.0)], False),  # post-weighted mean 0.2 (not 0.4)
    ],
)
def test_sentiment_swing(
    current: float | None, posts: int, history: list[tuple[int, float]], fires: bool
) -> None:
    past = [back(posts_mentioning=p, mean_sentiment=s) for p, s in history]
    alerts = run(SWING, row(W, posts_mentioning=posts, mean_sentiment=current), *past)
    assert len(alerts) == int(fires)


ABOVE = rules_for("price_above", symbols={"btc": 100000})
BELOW = rules_for("price_below", symbols={"BTC": 50000})


@pytest.mark.parametrize(
    ("rules", "current", "history", "fires"),
    [
        (ABOVE, row(W, price_usd=100001.0), [], True),
        (ABOVE, row(W, price_usd=100000.0), [], False),  # strictly above
        (ABOVE, row(W, price_usd=200000.0, captured=False), [], False),  # null price
        (ABOVE, row(W, price_usd=200000.0, prices_captured=False), [], False),
        (ABOVE, row(W, "ETH", price_usd=200000.0), [], False),  # no threshold for ETH
        (ABOVE, row(W, price_usd=120000.0), [back(price_usd=110000.0)], False),  # was above
        (ABOVE, row(W, price_usd=120000.0), [back(price_usd=90000.0)], True),  # crossed
        # The newest captured price before counts; a window without prices is skipped.
        (ABOVE, row(W, price_usd=1.2e5), [back(captured=False), back(price_usd=1.1e5)], False),
        (BELOW, row(W, price_usd=49999.0), [], True),
        (BELOW, row(W, price_usd=50000.0), [], False),
        (BELOW, row(W, captured=False), [], False),
    ],
)
def test_price_thresholds(
    rules: MarketRules, current: dict, history: list[dict], fires: bool
) -> None:
    assert len(run(rules, current, *history)) == int(fires)


def test_symbol_thresholds_apply_to_the_best_ranked_coin_with_the_symbol() -> None:
    impostor = row(W, price_usd=150000.0) | {"coin_id": "99999", "rank": 900}
    alerts = run(ABOVE, [row(W, price_usd=150000.0), impostor])
    assert [a.numbers["coin_id"] for a in alerts] == ["90"]


CHANGE = rules_for(
    "percent_change", limits={"1h": 5, "24h": 20}, max_rank=10, symbols={"BTC": {"1h": 2}}
)


@pytest.mark.parametrize(
    ("current", "history", "fires"),
    [
        (row(W, "ETH", percent_change_1h=5.1), [], True),
        (row(W, "ETH", percent_change_1h=-5.1), [], True),  # |% change|
        (row(W, "ETH", percent_change_1h=5.0), [], False),  # strictly past the limit
        (row(W, "ETH", percent_change_7d=90.0), [], False),  # no 7d limit
        (row(W, "ALGO", percent_change_1h=30.0), [], False),  # rank 40 > max_rank
        (row(W, "BTC", percent_change_1h=2.5), [], True),  # the symbol's own limit
        (row(W, "BTC", percent_change_24h=19.0), [], False),  # global 24h limit still applies
        (row(W, "BTC", percent_change_24h=21.0), [], True),
        (row(W, "ETH", captured=False), [], False),  # null % changes
        (row(W, "ETH", percent_change_1h=8.0), [back(symbol="ETH", percent_change_1h=6.0)], False),
        (row(W, "ETH", percent_change_1h=8.0), [back(symbol="ETH", percent_change_1h=1.0)], True),
    ],
)
def test_percent_change(current: dict, history: list[dict], fires: bool) -> None:
    history = [h | {"coin_id": current["coin_id"], "symbol": current["symbol"]} for h in history]
    assert len(run(CHANGE, current, *history)) == int(fires)


def test_only_recent_windows_present_in_the_lake_are_evaluated() -> None:
    rules = rules_for("mention_spike", min_mentions=1, min_baseline_windows=0)
    old, edge = W - timedelta(hours=3), NOW - timedelta(hours=2)
    rows = [row(w, mentions=9) for w in (W, old, edge)]
    alerts = evaluate(rules, [W, old, edge], rows, {W, old, edge}, NOW, UI)
    assert sorted(a.window for a in alerts) == ["2025-10-19-11:00", "2025-10-19-12:40"]
    assert evaluate(rules, [W], rows, {old}, NOW, UI) == []  # W has no lake file


def test_the_alert_carries_what_happened_the_numbers_and_a_link() -> None:
    (alert,) = run(
        SPIKE, row(W, mentions=12, posts_mentioning=9), back(mentions=2), back(mentions=1)
    )
    assert (alert.rule, alert.severity, alert.symbol, alert.window) == (
        "mention_spike",
        "WARNING",
        "BTC",
        "2025-10-19-12:40",
    )
    assert alert.subject.startswith("[WARNING] BTC mention spike: 12 mentions, 12.0x the trailing")
    assert alert.subject.endswith("(2025-10-19 12:40 UTC)")
    for text in (
        "2025-10-19 12:40-12:50 UTC",
        "12 times in 9 posts",
        "1.00 mentions per window",
        "over 3 windows",
        ">= 3 x trailing mean",
        "min_mentions (5)",
        "rules version 1",
    ):
        assert text in alert.body
    assert alert.numbers == {
        "mentions": 12,
        "baseline_mean": 1.0,
        "baseline_windows": 3,
        "coin_id": "90",
    }
    assert alert.link == f"{UI}/assets/mention_counts?view=partitions&partition=2025-10-19-12%3A40"
    assert alert.link == asset_url(
        UI, AssetKey("mention_counts"), "partitions", partition=alert.window
    )


def test_dedup_keys_are_stable_and_change_with_window_rule_or_version() -> None:
    current = row(W, mentions=12)
    first, again = run(SPIKE, current)[0], run(SPIKE, dict(current))[0]
    bumped = run(rules_for("mention_spike", version=2, min_baseline_windows=0), current)[0]
    later = evaluate(
        SPIKE,
        [W + TEN],
        [current | {"window_start": W + TEN}],
        {W + TEN, W, W - TEN, W - 2 * TEN},
        NOW,
        UI,
    )
    assert first.dedup_key == again.dedup_key
    assert len({first.dedup_key, bumped.dedup_key, later[0].dedup_key}) == 3


def test_subjects_stay_short_and_small_prices_keep_their_digits() -> None:
    symbol = "LONGSYMBOL" * 6
    rules = rules_for("price_below", symbols={symbol: 0.001})
    (alert,) = run(rules, row(W, symbol, price_usd=0.0001234))
    assert len(alert.subject) == MAX_SUBJECT and alert.subject.endswith("…")
    assert "$0.0001234" in alert.body and "price_usd < 0.001" in alert.body
