"""The market rules file: shipped defaults, and errors that name the file, line and field."""

from __future__ import annotations

from datetime import timedelta
from importlib.resources import files
from pathlib import Path

import pytest

from crypto_assets.alerts.market_eval import KEY_FORMAT
from crypto_assets.alerts.market_rules import (
    DEFAULT_RULES_PATH,
    PERIODS,
    RulesFileError,
    load_rules,
    parse_rules,
)
from crypto_assets.alerts.market_sensor import build_market_sensor
from crypto_assets.environment import Settings
from crypto_assets.environment_checks import ConfigurationError
from crypto_assets.partitions import PARTITION_KEY_FORMAT

VALID = """\
version: 3
max_window_age: 90m
baseline_windows: 4
rules:
  mention_spike:
    severity: critical
    ratio: 2.5
    min_mentions: 4
  sentiment_swing:
  price_above:
    symbols: {btc: 100000, "ON": 2}
  percent_change:
    symbols:
      BTC: {1h: 3}
"""


def write(tmp_path: Path, text: str) -> Path:
    """A rules file with `text`."""
    path = tmp_path / "alert_rules.yaml"
    path.write_text(text)
    return path


def test_shipped_defaults_load_with_every_rule() -> None:
    rules = load_rules()
    assert rules.source == str(DEFAULT_RULES_PATH)
    assert (
        DEFAULT_RULES_PATH.read_text()
        == (files("crypto_assets.alerts") / "alert_rules.yaml").read_text()
    )
    assert set(rules.rules) == {
        "mention_spike",
        "sentiment_swing",
        "price_above",
        "price_below",
        "percent_change",
    }
    assert rules.max_window_age == timedelta(hours=2)
    assert set(rules.rules["percent_change"]["limits"]) == set(PERIODS)


def test_a_file_sets_values_and_defaults_fill_the_rest(tmp_path: Path) -> None:
    rules = load_rules(write(tmp_path, VALID))
    spike = rules.rules["mention_spike"]
    assert (spike.severity, spike["ratio"], spike["min_mentions"]) == ("CRITICAL", 2.5, 4)
    assert spike["min_baseline_windows"] == 3  # default
    assert rules.rules["sentiment_swing"].severity == "INFO"  # `sentiment_swing:` = defaults
    # Symbols keep their text ("ON" is not YAML's true) and are upper-cased.
    assert rules.rules["price_above"]["symbols"] == {"BTC": 100000.0, "ON": 2.0}
    assert rules.rules["percent_change"]["limits"] == {}
    assert (rules.version, rules.max_window_age, rules.lookback) == ("3", timedelta(minutes=90), 4)


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (
            "rules:\n  mention_spike:\n    ratio: lots\n",
            3,
            "rules.mention_spike.ratio: expected a number > 1, got 'lots'",
        ),
        (
            "rules:\n  mention_spike:\n    min_mentions: 5\n    ratio: 1\n",
            4,
            "rules.mention_spike.ratio: expected a number > 1, got 1",
        ),
        (
            "rules:\n  price_below:\n    symbols:\n      BTC: 60000\n      ETH: -5\n",
            5,
            "rules.price_below.symbols.ETH: expected a number > 0, got -5",
        ),
        (
            "rules:\n  mention_spike:\n    min_mentions: 2.5\n",
            3,
            "rules.mention_spike.min_mentions: expected an integer >= 1, got 2.5",
        ),
        (
            "rules:\n  sentiment_swing:\n    change: yes\n",
            3,
            "rules.sentiment_swing.change: expected a number > 0 and <= 2, got True",
        ),
        (
            "version: 1\n\nrules:\n  mention_spike: {}\n  volume_spike:\n    ratio: 2\n",
            5,
            "rules.volume_spike: unknown rule; expected one of mention_spike",
        ),
        (
            "rules:\n  mention_spike:\n    severity: WARNING\n    min_mention: 3\n",
            4,
            "rules.mention_spike.min_mention: unknown key (did you mean 'min_mentions'?)",
        ),
        ("max_windw_age: 2h\nrules: {}\n", 1, "max_windw_age: unknown key (did you mean"),
        ("max_window_age: 2 hours\nrules: {}\n", 1, "max_window_age: expected a duration"),
        (
            "rules:\n  percent_change:\n    limits: {1h: 5, 4h: 9}\n",
            3,
            "rules.percent_change.limits.4h: unknown period",
        ),
        (
            "rules:\n  price_above:\n    severity: urgent\n    symbols: {BTC: 1}\n",
            3,
            "rules.price_above.severity: expected one of INFO, WARNING, CRITICAL, got 'urgent'",
        ),
        (
            "rules:\n  mention_spike:\n    ratio: 2\n    ratio: 3\n",
            4,
            "rules.mention_spike.ratio: repeated or non-text key",
        ),
        ("rules:\n  price_above:\n    severity: INFO\n", 2, "rules.price_above: expected symbols"),
        (
            "baseline_windows: 2\nrules:\n  mention_spike:\n    min_baseline_windows: 3\n",
            4,
            "rules.mention_spike.min_baseline_windows: expected at most baseline_windows (2)",
        ),
        ("rules:\n  mention_spike: [1, 2]\n", 2, "rules.mention_spike: expected a mapping"),
        ("version: 1\n", 1, "rules: missing"),
        ("rules:\n  mention_spike: {ratio: 2\n", 3, "invalid YAML"),
    ],
)
def test_errors_name_file_line_and_field(
    tmp_path: Path, text: str, line: int, message: str
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(RulesFileError) as raised:
        load_rules(path)
    assert str(raised.value).startswith(f"{path}:{line}: ")
    assert message in str(raised.value)
    assert isinstance(raised.value, ValueError)


def test_the_message_format() -> None:
    with pytest.raises(RulesFileError) as raised:
        parse_rules("version: 1\nrules:\n  mention_spike:\n    ratio: lots\n", "alert_rules.yaml")
    assert str(raised.value) == (
        "alert_rules.yaml:4: rules.mention_spike.ratio: expected a number > 1, got 'lots'"
    )


def test_empty_or_missing_file(tmp_path: Path) -> None:
    with pytest.raises(RulesFileError, match=r"alert_rules.yaml:1: the file is empty"):
        load_rules(write(tmp_path, "# nothing\n"))
    with pytest.raises(RulesFileError, match="cannot read"):
        load_rules(tmp_path / "missing.yaml")


def test_a_bad_file_stops_the_code_location_at_settings_load(tmp_path: Path) -> None:
    path = write(tmp_path, "rules:\n  mention_spike:\n    ratio: -2\n")
    with pytest.raises(ConfigurationError) as raised:
        Settings.from_env({"CRYPTO_ASSETS_HOME": str(tmp_path), "CRYPTO_ALERT_RULES": str(path)})
    assert str(raised.value).startswith(
        f"CRYPTO_ALERT_RULES: {path}:3: rules.mention_spike.ratio: "
    )


def test_the_sensor_builder_refuses_a_bad_file_too(tmp_path: Path) -> None:
    path = write(tmp_path, "rules:\n  mention_spike:\n    ratio: -2\n")
    settings = Settings.from_env({"CRYPTO_ASSETS_HOME": str(tmp_path)})
    settings = settings.model_copy(update={"alert_rules_path": path})
    with pytest.raises(RulesFileError) as raised:
        build_market_sensor(settings)
    assert str(raised.value).startswith(f"{path}:3: rules.mention_spike.ratio: ")


def test_the_evaluation_uses_the_partitions_key_format() -> None:
    assert KEY_FORMAT == PARTITION_KEY_FORMAT
