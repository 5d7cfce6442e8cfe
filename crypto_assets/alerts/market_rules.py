"""Market alert rules: a YAML file validated by pydantic models (`rule_models`) when the code
location loads; errors name the file, line and field."""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from crypto_assets.alerts.rule_models import ALLOWED_KEYS, PERIODS, RULE_MODELS, RulesFile

DEFAULT_RULES_PATH = Path(str(files("crypto_assets.alerts") / "alert_rules.yaml"))


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
    return _rules(root, source)


def _data(node: Node, source: str, where: str = "") -> Any:
    """Plain data from a composed node; mapping keys as written (ON stays "ON", not True)."""
    if isinstance(node, MappingNode):
        out: dict[str, Any] = {}
        for key, value in node.value:
            path = f"{where}.{key.value}" if where else str(key.value)
            if not isinstance(key, ScalarNode) or key.value in out:
                raise RulesFileError(
                    f"{source}:{key.start_mark.line + 1}: {path}: repeated or non-text key"
                )
            out[key.value] = _data(value, source, path)
        return out
    if isinstance(node, SequenceNode):
        return [_data(item, source, where) for item in node.value]
    return yaml.constructor.SafeConstructor().construct_object(node, deep=True)


def _line(root: Node, loc: tuple[Any, ...]) -> int:
    """The line of the field at `loc`: its key's line (a rule's name, a misspelt key)."""
    node, line = root, root.start_mark.line + 1
    for part in loc:
        if isinstance(node, MappingNode):
            match = next(((k, v) for k, v in node.value if k.value == str(part)), None)
            if match is None:
                break
            line, node = match[0].start_mark.line + 1, match[1]
        elif isinstance(node, SequenceNode) and isinstance(part, int) and part < len(node.value):
            node = node.value[part]
            line = node.start_mark.line + 1
        else:
            break
    return line


def _message(error: Any, where: str) -> str:
    kind, loc = error["type"], error["loc"]
    if kind == "missing" and where == "rules":
        return "missing; list the rules to apply (rules: {} for none)"
    if kind == "missing":
        return "missing"
    if kind == "extra_forbidden":
        parent = ".".join(str(p) for p in loc[:-1])
        allowed, what = ALLOWED_KEYS.get(parent, ((), "key"))
        close = difflib.get_close_matches(str(loc[-1]), allowed, n=1, cutoff=0.75)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        return f"unknown {what}{hint}; expected one of {', '.join(allowed)}"
    if kind == "literal_error" and loc and loc[-1] == "[key]":
        return f"unknown period; expected one of {', '.join(PERIODS)}"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        value = error.get("input")
        shown = f"a {type(value).__name__}" if isinstance(value, dict | list) else repr(value)
        return f"expected a mapping, got {shown}"
    if kind == "value_error":
        return str(error["ctx"]["error"])
    return str(error["msg"])


def _validated(root: Node, source: str) -> RulesFile:
    try:
        return RulesFile.model_validate(_data(root, source))
    except ValidationError as exc:
        error = exc.errors(include_url=False)[0]
        loc = tuple(p for p in error["loc"] if p != "[key]")
        where = ".".join(str(p) for p in loc)
        line = _line(root, loc)
        raise RulesFileError(f"{source}:{line}: {where}: {_message(error, where)}") from None


def _rules(root: Node, source: str) -> MarketRules:
    parsed = _validated(root, source)
    rules: dict[str, Rule] = {}
    for name in RULE_MODELS:
        model = getattr(parsed.rules, name)
        if model is None:
            continue
        settings = model.model_dump(exclude={"severity"})
        rules[name] = Rule(name, model.severity, settings)
        baseline = settings.get("baseline_windows") or parsed.baseline_windows
        if settings.get("min_baseline_windows", 0) > baseline:
            where = f"rules.{name}.min_baseline_windows"
            line = _line(root, ("rules", name, "min_baseline_windows"))
            message = f"expected at most baseline_windows ({baseline})"
            raise RulesFileError(f"{source}:{line}: {where}: {message}")
    return MarketRules(
        source=source,
        rules=rules,
        version=parsed.version,
        max_window_age=parsed.max_window_age,
        baseline_windows=parsed.baseline_windows,
    )
