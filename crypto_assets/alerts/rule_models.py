"""The alert rules file as pydantic models: what each rule accepts, its defaults and limits.

`market_rules` reads the YAML into plain data (keys as written, so a symbol ON stays "ON"),
validates it with `RulesFile` and turns the first error into a message naming the file, line
and field. The messages here are the `ValueError`s the field validators raise.
"""

from __future__ import annotations

import math
import re
from datetime import timedelta
from functools import partial
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, model_validator

from crypto_assets.alerts.message import SEVERITIES

PERIODS = ("1h", "24h", "7d")
_DURATION = re.compile(r"(\d+)\s*([mhd])")
_UNITS = {"m": "minutes", "h": "hours", "d": "days"}


def _shown(value: object) -> str:
    return f"a {type(value).__name__}" if isinstance(value, dict | list) else repr(value)


def _number(value: object, low: float, high: float | None = None, integer: bool = False) -> Any:
    ok = not isinstance(value, bool) and isinstance(value, int | float)
    ok = ok and math.isfinite(value) and (not integer or value == int(value))  # type: ignore[arg-type]
    ok = ok and (value >= low if integer else value > low)  # type: ignore[operator]
    ok = ok and (high is None or value <= high)  # type: ignore[operator]
    if not ok:
        kind = f"an integer >= {low}" if integer else f"a number > {low:g}"
        raise ValueError(
            f"expected {kind}{f' and <= {high:g}' if high else ''}, got {_shown(value)}"
        )
    return int(value) if integer else float(value)  # type: ignore[arg-type]


def _severity(value: object) -> str:
    text = str(value).upper()
    if text not in SEVERITIES:
        raise ValueError(f"expected one of {', '.join(SEVERITIES)}, got {_shown(value)}")
    return text


def _duration(value: object) -> timedelta:
    match = _DURATION.fullmatch(value.strip()) if isinstance(value, str) else None
    if not match or not int(match[1]):
        raise ValueError(f"expected a duration such as 90m, 2h or 1d, got {_shown(value)}")
    return timedelta(**{_UNITS[match[2]]: int(match[1])})


def _version(value: object) -> str:
    text = "" if value is None or isinstance(value, dict | list) else str(value).strip()
    if not text:
        raise ValueError(f"expected a version number or name, got {_shown(value)}")
    return text


def _symbols(value: object) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"expected a mapping, got {_shown(value)}")
    out: dict[str, Any] = {}
    for raw, item in value.items():
        symbol = str(raw).strip().upper()
        if not symbol or symbol in out:
            raise ValueError(f"{raw}: empty or repeated symbol")
        out[symbol] = item
    return out


Positive = Annotated[float, BeforeValidator(partial(_number, low=0))]
Count = Annotated[int, BeforeValidator(partial(_number, low=1, integer=True))]
Severity = Annotated[str, BeforeValidator(_severity)]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


Period = Literal["1h", "24h", "7d"]
Limits = dict[Period, Positive]  # |percent change| strictly above, per period


class MentionSpike(_Strict):
    """Mentions of a coin >= ratio x its baseline mean, and >= min_mentions."""

    severity: Severity = "WARNING"
    ratio: Annotated[float, BeforeValidator(partial(_number, low=1))] = 3.0
    min_mentions: Count = 5
    baseline_windows: Count | None = None
    min_baseline_windows: Annotated[int, BeforeValidator(partial(_number, low=0, integer=True))] = 3


class SentimentSwing(_Strict):
    """|mean sentiment - baseline| >= change, with enough posts on both sides."""

    severity: Severity = "INFO"
    change: Annotated[float, BeforeValidator(partial(_number, low=0, high=2))] = 0.5
    min_posts: Count = 3
    min_baseline_posts: Count = 3
    baseline_windows: Count | None = None


class _PriceRule(_Strict):
    symbols: Annotated[dict[str, Positive], BeforeValidator(_symbols)] = {}

    @model_validator(mode="after")
    def _needs_symbols(self) -> _PriceRule:
        if not self.symbols:
            raise ValueError("expected symbols: without them the rule never fires")
        return self


class PriceAbove(_PriceRule):
    """Price strictly above a per-symbol threshold."""

    severity: Severity = "WARNING"


class PriceBelow(_PriceRule):
    """Price strictly below a per-symbol threshold."""

    severity: Severity = "CRITICAL"


class PercentChange(_Strict):
    """|percent change| above a limit, for every coin ranked <= max_rank or per symbol."""

    severity: Severity = "WARNING"
    limits: Limits = {}
    symbols: Annotated[dict[str, Limits], BeforeValidator(_symbols)] = {}
    max_rank: Count | None = None

    @model_validator(mode="after")
    def _needs_limits(self) -> PercentChange:
        if not self.limits and not self.symbols:
            raise ValueError("expected limits or symbols: without them the rule never fires")
        return self


RULE_MODELS: dict[str, type[_Strict]] = {
    "mention_spike": MentionSpike,
    "sentiment_swing": SentimentSwing,
    "price_above": PriceAbove,
    "price_below": PriceBelow,
    "percent_change": PercentChange,
}


def _defaults_when_empty(value: Any) -> Any:
    return {} if value is None else value  # `rule_name:` alone takes every default


class Rules(_Strict):
    """The rules that are on (listed), each with its settings."""

    mention_spike: Annotated[MentionSpike | None, BeforeValidator(_defaults_when_empty)] = None
    sentiment_swing: Annotated[SentimentSwing | None, BeforeValidator(_defaults_when_empty)] = None
    price_above: Annotated[PriceAbove | None, BeforeValidator(_defaults_when_empty)] = None
    price_below: Annotated[PriceBelow | None, BeforeValidator(_defaults_when_empty)] = None
    percent_change: Annotated[PercentChange | None, BeforeValidator(_defaults_when_empty)] = None


class RulesFile(_Strict):
    """The whole file."""

    version: Annotated[str, BeforeValidator(_version)] = "1"
    max_window_age: Annotated[timedelta, BeforeValidator(_duration)] = timedelta(hours=2)
    baseline_windows: Count = 6
    rules: Rules


# Allowed keys per place in the file, for "unknown key (did you mean …?)" messages.
ALLOWED_KEYS: dict[str, tuple[tuple[str, ...], str]] = {
    "": (tuple(RulesFile.model_fields), "key"),
    "rules": (tuple(RULE_MODELS), "rule"),
    **{f"rules.{name}": (tuple(m.model_fields), "key") for name, m in RULE_MODELS.items()},
}
