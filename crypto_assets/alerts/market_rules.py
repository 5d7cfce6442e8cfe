"""Market alert rules: a YAML file, validated when the code location loads, errors with a line."""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import timedelta
from importlib.resources import files
from pathlib import Path
from typing import Any, NoReturn

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode

from crypto_assets.alerts.message import SEVERITIES

DEFAULT_RULES_PATH = Path(str(files("crypto_assets.alerts") / "alert_rules.yaml"))
PERIODS = ("1h", "24h", "7d")
_DURATION = re.compile(r"(\d+)\s*([mhd])")
_UNITS = {"m": "minutes", "h": "hours", "d": "days"}


class RulesFileError(ValueError):
    """The alert rules file is unusable; the message names the file, line and field."""


@dataclass(frozen=True)
class Rule:
    """One configured rule: its name, severity and settings (defaults filled in)."""

    name: str
    severity: str
    settings: Mapping[str, Any]

    def __getitem__(self, key: str) -> Any:
        return self.settings[key]


@dataclass(frozen=True)
class MarketRules:
    """The validated rules file."""

    source: str
    rules: dict[str, Rule]
    version: str = "1"
    max_window_age: timedelta = timedelta(hours=2)
    baseline_windows: int = 6

    def baseline(self, rule: Rule) -> int:
        """How many trailing windows a rule compares a window with."""
        return rule.settings.get("baseline_windows") or self.baseline_windows

    @property
    def lookback(self) -> int:
        """The most trailing windows any rule reads."""
        return max([self.baseline_windows, *(self.baseline(r) for r in self.rules.values())])


def load_rules(path: Path | None = None) -> MarketRules:
    """Read and validate a rules file (None: the defaults shipped in the package)."""
    path = path or DEFAULT_RULES_PATH
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise RulesFileError(f"{path}: cannot read the alert rules: {exc}") from exc
    return parse_rules(text, str(path))


def parse_rules(text: str, source: str) -> MarketRules:
    """Validate rules given as YAML text; `source` names the file in error messages."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        line = (exc.problem_mark or exc.context_mark).line + 1  # type: ignore[union-attr]
        raise RulesFileError(f"{source}:{line}: invalid YAML: {exc.problem}") from exc
    if root is None:
        raise RulesFileError(f"{source}:1: the file is empty; expected a mapping with 'rules'")
    return _Reader(source).rules(root)


Check = Callable[["_Reader", Node, str], Any]


def _scalar(expected: str, parse: Callable[[Any], Any]) -> Check:
    """A check of one scalar: `parse` returns the value to keep, or None when it is unusable."""

    def check(reader: _Reader, node: Node, where: str) -> Any:
        value = reader.value(node) if isinstance(node, ScalarNode) else None
        parsed = None if value is None else parse(value)
        if parsed is None:
            reader.fail(node, where, f"expected {expected}, got {reader.shown(node)}")
        return parsed

    return check


def _number(low: float, high: float | None = None, integer: bool = False) -> Check:
    def parse(v: Any) -> float | None:
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
            return None
        if (integer and v != int(v)) or (v < low if integer else v <= low):
            return None
        return None if high is not None and v > high else (int(v) if integer else float(v))

    kind = f"an integer >= {low}" if integer else f"a number > {low:g}"
    return _scalar(kind + (f" and <= {high:g}" if high else ""), parse)


def _duration(v: Any) -> timedelta | None:
    match = _DURATION.fullmatch(v.strip()) if isinstance(v, str) else None
    return timedelta(**{_UNITS[match[2]]: int(match[1])}) if match and int(match[1]) else None


def _periods(reader: _Reader, node: Node, where: str) -> dict[str, float]:
    entries = reader.mapping(node, where, allowed=PERIODS, what="period")
    return {p: _POSITIVE(reader, v, f"{where}.{p}") for p, (_, v) in entries.items()}


def _symbols(value_check: Check) -> Check:
    def check(reader: _Reader, node: Node, where: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        # The raw key text, not its YAML value: symbols such as ON or NO are not booleans here.
        for raw, (key, value) in reader.mapping(node, where).items():
            symbol = raw.strip().upper()
            if not symbol or symbol in out:
                reader.fail(key, f"{where}.{raw}", "empty or repeated symbol")
            out[symbol] = value_check(reader, value, f"{where}.{symbol}")
        return out

    return check


_SEVERITY = _scalar(
    f"one of {', '.join(SEVERITIES)}",
    lambda v: str(v).upper() if str(v).upper() in SEVERITIES else None,
)
_POSITIVE, _COUNT = _number(0), _number(1, integer=True)
# Per rule: each key's check and default; None marks a key without a default.
_FIELDS: dict[str, dict[str, tuple[Check, Any]]] = {
    "mention_spike": {
        "ratio": (_number(1), 3.0),
        "min_mentions": (_COUNT, 5),
        "baseline_windows": (_COUNT, None),
        "min_baseline_windows": (_number(0, integer=True), 3),
    },
    "sentiment_swing": {
        "change": (_number(0, high=2), 0.5),
        "min_posts": (_COUNT, 3),
        "min_baseline_posts": (_COUNT, 3),
        "baseline_windows": (_COUNT, None),
    },
    "price_above": {"symbols": (_symbols(_POSITIVE), {})},
    "price_below": {"symbols": (_symbols(_POSITIVE), {})},
    "percent_change": {
        "limits": (_periods, {}),
        "symbols": (_symbols(_periods), {}),
        "max_rank": (_COUNT, None),
    },
}
DEFAULT_SEVERITY = {"sentiment_swing": "INFO", "price_below": "CRITICAL"}  # else WARNING
_NEEDS = {"price_above": "symbols", "price_below": "symbols", "percent_change": "limits or symbols"}
_TOP: dict[str, Check] = {
    "version": _scalar("a version number or name", lambda v: str(v).strip() or None),
    "max_window_age": _scalar("a duration such as 90m, 2h or 1d", _duration),
    "baseline_windows": _COUNT,
}


class _Reader:
    """Walks the composed YAML nodes, so every error can name its line."""

    def __init__(self, source: str) -> None:
        self.source = source
        self._constructor = yaml.constructor.SafeConstructor()

    def fail(self, node: Node, where: str, message: str) -> NoReturn:
        raise RulesFileError(f"{self.source}:{node.start_mark.line + 1}: {where}: {message}")

    def value(self, node: ScalarNode) -> Any:
        return self._constructor.construct_object(node, deep=True)

    def shown(self, node: Node) -> str:
        return repr(self.value(node)) if isinstance(node, ScalarNode) else f"a {node.id}"

    def mapping(
        self, node: Node, where: str, allowed: tuple[str, ...] | None = None, what: str = "key"
    ) -> dict[str, tuple[Node, Node]]:
        if not isinstance(node, MappingNode):
            self.fail(node, where, f"expected a mapping, got {self.shown(node)}")
        out: dict[str, tuple[Node, Node]] = {}
        for key, value in node.value:
            path = f"{where}.{key.value}" if where else str(key.value)
            if not isinstance(key, ScalarNode) or key.value in out:
                self.fail(key, path, "repeated or non-text key")
            if allowed is not None and key.value not in allowed:
                close = difflib.get_close_matches(key.value, allowed, n=1, cutoff=0.75)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                self.fail(key, path, f"unknown {what}{hint}; expected one of {', '.join(allowed)}")
            out[key.value] = (key, value)
        return out

    def rules(self, root: Node) -> MarketRules:
        top = self.mapping(root, "", allowed=(*_TOP, "rules"))
        if "rules" not in top:
            self.fail(root, "rules", "missing; list the rules to apply (rules: {} for none)")
        settings = {k: _TOP[k](self, v, k) for k, (_, v) in top.items() if k != "rules"}
        found = self.mapping(top["rules"][1], "rules", allowed=tuple(_FIELDS), what="rule")
        rules = {name: self.rule(name, k, v, settings) for name, (k, v) in found.items()}
        return MarketRules(source=self.source, rules=rules, **settings)

    def rule(self, name: str, key: Node, node: Node, settings: dict[str, Any]) -> Rule:
        where, fields = f"rules.{name}", _FIELDS[name]
        empty = isinstance(node, ScalarNode) and node.tag.endswith(":null")  # `rule:` = defaults
        entries = {} if empty else self.mapping(node, where, allowed=("severity", *fields))
        checks = {"severity": _SEVERITY, **{k: check for k, (check, _) in fields.items()}}
        values = {k: checks[k](self, v, f"{where}.{k}") for k, (_, v) in entries.items()}
        if name in _NEEDS and not any(values.get(k) for k in _NEEDS[name].split(" or ")):
            self.fail(key, where, f"expected {_NEEDS[name]}: without them the rule never fires")
        severity = values.pop("severity", DEFAULT_SEVERITY.get(name, "WARNING"))
        rule = Rule(name, severity, {k: values.get(k, d) for k, (_, d) in fields.items()})
        baseline = MarketRules(self.source, {}, **settings).baseline(rule)
        if rule.settings.get("min_baseline_windows", 0) > baseline:
            at = entries.get("min_baseline_windows", (key, key))[1]
            message = f"expected at most baseline_windows ({baseline})"
            self.fail(at, f"{where}.min_baseline_windows", message)
        return rule
