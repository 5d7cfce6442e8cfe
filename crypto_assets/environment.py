"""The one place that reads the environment: settings from the configuration contract."""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("live", "replay")
WAREHOUSES = ("duckdb", "snowflake")
DEFAULT_PARTITIONS_START = "2025-10-01"
REDDIT_CREDENTIAL_VARS = (
    "REDDIT_CLIENT_ID",
    "REDDIT_CLIENT_SECRET",
    "REDDIT_USERNAME",
    "REDDIT_PASSWORD",
)
# The Snowflake part of the contract; HOST / PORT / PROTOCOL only point tests at an emulator.
SNOWFLAKE_VARS = (
    "SNOWFLAKE_ACCOUNT",
    "SNOWFLAKE_USER",
    "SNOWFLAKE_DATABASE",
    "SNOWFLAKE_ROLE",
    "SNOWFLAKE_WAREHOUSE",
    "SNOWFLAKE_PRIVATE_KEY",
    "SNOWFLAKE_PASSWORD",
    "SNOWFLAKE_HOST",
    "SNOWFLAKE_PORT",
    "SNOWFLAKE_PROTOCOL",
)
SNOWFLAKE_REQUIRED_VARS = ("SNOWFLAKE_ACCOUNT", "SNOWFLAKE_USER", "SNOWFLAKE_DATABASE")
SNOWFLAKE_SECRET_VARS = ("SNOWFLAKE_PRIVATE_KEY", "SNOWFLAKE_PASSWORD")  # one of them is required


class ConfigurationError(ValueError):
    """An environment variable of the configuration contract has an unusable value."""


@dataclass(frozen=True)
class Settings:
    """The configuration contract of design.md, resolved with its local defaults."""

    home: Path
    source: str
    lake_root: str
    warehouse: str
    duckdb_path: Path
    alerts_sns_topic_arn: str | None
    subreddits: tuple[str, ...]
    top_n_coins: int
    partitions_start: str
    reddit_credentials_set: bool
    aws_endpoint_url: str | None
    snowflake_vars_set: tuple[str, ...]

    @property
    def alerts_outbox(self) -> Path:
        """The local alert outbox used when no SNS topic is configured."""
        return self.home / "alerts.jsonl"

    @property
    def dagster_home(self) -> Path:
        """DAGSTER_HOME for the local instance."""
        return self.home / "dagster"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read and validate the CRYPTO_* variables; a bad value names its variable."""
        env = os.environ if environ is None else environ

        def get(name: str, default: str) -> str:
            value = env.get(name, "").strip()
            return value or default

        home = Path(get("CRYPTO_ASSETS_HOME", str(PROJECT_ROOT / ".crypto_assets"))).expanduser()
        source = get("CRYPTO_SOURCE", "live").lower()
        _require_choice("CRYPTO_SOURCE", source, SOURCES)
        warehouse = get("CRYPTO_WAREHOUSE", "duckdb").lower()
        _require_choice("CRYPTO_WAREHOUSE", warehouse, WAREHOUSES)
        subreddits = tuple(s.strip() for s in get("CRYPTO_SUBREDDITS", "CryptoCurrency").split(","))
        if not all(subreddits):
            raise ConfigurationError("CRYPTO_SUBREDDITS: empty subreddit name in the list")
        top_n = get("CRYPTO_TOP_N_COINS", "1000")
        if not top_n.isdigit() or int(top_n) < 1:
            raise ConfigurationError(
                f"CRYPTO_TOP_N_COINS: expected a positive integer, got {top_n!r}"
            )
        start = get("CRYPTO_PARTITIONS_START", DEFAULT_PARTITIONS_START)
        try:
            datetime.fromisoformat(start)
        except ValueError as exc:
            raise ConfigurationError(
                f"CRYPTO_PARTITIONS_START: expected an ISO date or datetime, got {start!r}"
            ) from exc
        snowflake_vars_set = tuple(v for v in SNOWFLAKE_VARS if env.get(v, "").strip())
        if warehouse == "snowflake":
            _check_snowflake(env, snowflake_vars_set)
        return cls(
            home=home,
            source=source,
            lake_root=get("CRYPTO_LAKE_ROOT", str(home / "lake")),
            warehouse=warehouse,
            duckdb_path=home / "warehouse.duckdb",
            alerts_sns_topic_arn=env.get("CRYPTO_ALERTS_SNS_TOPIC_ARN") or None,
            subreddits=subreddits,
            top_n_coins=int(top_n),
            partitions_start=start,
            reddit_credentials_set=all(env.get(v) for v in REDDIT_CREDENTIAL_VARS),
            aws_endpoint_url=env.get("AWS_ENDPOINT_URL") or None,
            snowflake_vars_set=snowflake_vars_set,
        )


def _require_choice(name: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise ConfigurationError(f"{name}: expected one of {', '.join(choices)}, got {value!r}")


def _check_snowflake(env: Mapping[str, str], present: tuple[str, ...]) -> None:
    # Messages name variables and echo non-secret values only.
    missing = [v for v in SNOWFLAKE_REQUIRED_VARS if v not in present]
    if not any(v in present for v in SNOWFLAKE_SECRET_VARS):
        missing.append(" or ".join(SNOWFLAKE_SECRET_VARS))
    if missing:
        raise ConfigurationError(f"CRYPTO_WAREHOUSE=snowflake needs {', '.join(missing)}: not set")
    port = env.get("SNOWFLAKE_PORT", "").strip()
    if port and not port.isdigit():
        raise ConfigurationError(f"SNOWFLAKE_PORT: expected a port number, got {port!r}")
    protocol = env.get("SNOWFLAKE_PROTOCOL", "").strip()
    if protocol:
        _require_choice("SNOWFLAKE_PROTOCOL", protocol, ("https", "http"))


@functools.cache
def current_settings() -> Settings:
    """The settings of this process's environment, read once."""
    return Settings.from_env()
