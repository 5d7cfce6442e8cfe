"""The one place that reads the environment: settings from the configuration contract."""

from __future__ import annotations

import functools
import os
import re
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
    "SNOWFLAKE_LAKE_STAGE",
    "SNOWFLAKE_HOST",
    "SNOWFLAKE_PORT",
    "SNOWFLAKE_PROTOCOL",
)
SNOWFLAKE_REQUIRED_VARS = ("SNOWFLAKE_ACCOUNT", "SNOWFLAKE_USER", "SNOWFLAKE_DATABASE")
SNOWFLAKE_SECRET_VARS = ("SNOWFLAKE_PRIVATE_KEY", "SNOWFLAKE_PASSWORD")  # one of them is required
AWS_REGION_VARS = ("AWS_REGION", "AWS_DEFAULT_REGION")
DEFAULT_SETTLE_MINUTES = 2
DEFAULT_RECHECK_WINDOWS = 6
DEFAULT_UI_URL = "http://127.0.0.1:3000"


_BUCKET_RE = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")


class ConfigurationError(ValueError):
    """An environment variable of the configuration contract has an unusable value."""


@dataclass(frozen=True)
class Settings:
    """The configuration contract (environment variables), resolved with its local defaults."""

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
    aws_region: str | None
    snowflake_vars_set: tuple[str, ...]
    settle_minutes: int = DEFAULT_SETTLE_MINUTES
    recheck_windows: int = DEFAULT_RECHECK_WINDOWS
    alert_rules_path: Path | None = None  # None: the rules file shipped in the package
    ui_url: str = DEFAULT_UI_URL

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
        top_n = _positive_int("CRYPTO_TOP_N_COINS", get("CRYPTO_TOP_N_COINS", "1000"))
        start = get("CRYPTO_PARTITIONS_START", DEFAULT_PARTITIONS_START)
        _check_partitions_start(start)
        settle = _positive_int("CRYPTO_SETTLE_MINUTES", get("CRYPTO_SETTLE_MINUTES", "2"), low=0)
        if settle > 9:
            raise ConfigurationError(f"CRYPTO_SETTLE_MINUTES: expected 0 to 9, got {settle}")
        recheck = _positive_int("CRYPTO_RECHECK_WINDOWS", get("CRYPTO_RECHECK_WINDOWS", "6"))
        lake_root = get("CRYPTO_LAKE_ROOT", str(home / "lake"))
        region = next((env[v].strip() for v in AWS_REGION_VARS if env.get(v, "").strip()), None)
        _check_lake_root(lake_root, region)
        reddit_set = _check_reddit_credentials(env)
        rules = get("CRYPTO_ALERT_RULES", "")
        if rules and not Path(rules).expanduser().is_file():
            raise ConfigurationError(f"CRYPTO_ALERT_RULES: no such file {rules!r}")
        ui_url = get("CRYPTO_UI_URL", DEFAULT_UI_URL).rstrip("/")
        if not ui_url.startswith(("http://", "https://")):
            raise ConfigurationError(f"CRYPTO_UI_URL: expected an http(s) URL, got {ui_url!r}")
        snowflake_vars_set = tuple(v for v in SNOWFLAKE_VARS if env.get(v, "").strip())
        if warehouse == "snowflake":
            _check_snowflake(env, snowflake_vars_set)
        return cls(
            home=home,
            source=source,
            lake_root=lake_root,
            warehouse=warehouse,
            duckdb_path=home / "warehouse.duckdb",
            alerts_sns_topic_arn=env.get("CRYPTO_ALERTS_SNS_TOPIC_ARN") or None,
            subreddits=subreddits,
            top_n_coins=top_n,
            partitions_start=start,
            reddit_credentials_set=reddit_set,
            aws_endpoint_url=env.get("AWS_ENDPOINT_URL") or None,
            aws_region=region,
            snowflake_vars_set=snowflake_vars_set,
            settle_minutes=settle,
            recheck_windows=recheck,
            alert_rules_path=Path(rules).expanduser() if rules else None,
            ui_url=ui_url,
        )


def _require_choice(name: str, value: str, choices: tuple[str, ...]) -> None:
    if value not in choices:
        raise ConfigurationError(f"{name}: expected one of {', '.join(choices)}, got {value!r}")


def _positive_int(name: str, text: str, low: int = 1) -> int:
    if not text.isdigit() or int(text) < low:
        kind = "a positive integer" if low == 1 else f"an integer >= {low}"
        raise ConfigurationError(f"{name}: expected {kind}, got {text!r}")
    return int(text)


def _check_partitions_start(start: str) -> None:
    try:
        parsed = datetime.fromisoformat(start)
    except ValueError as exc:
        raise ConfigurationError(
            f"CRYPTO_PARTITIONS_START: expected an ISO date or datetime, got {start!r}"
        ) from exc
    if parsed.tzinfo is not None:
        # Dropping the offset silently would shift every window; the partitions are UTC.
        raise ConfigurationError(
            f"CRYPTO_PARTITIONS_START: {start!r} has a time zone; give the UTC time without one "
            "(e.g. 2025-10-01 or 2025-10-01T06:00)"
        )
    if parsed.minute % 10 or parsed.second or parsed.microsecond:
        raise ConfigurationError(
            f"CRYPTO_PARTITIONS_START: {start!r} is not on a 10-minute boundary (e.g. 06:10)"
        )


def _check_lake_root(root: str, region: str | None) -> None:
    if root.startswith("s3://"):
        bucket = root.removeprefix("s3://").split("/", 1)[0]
        if not _BUCKET_RE.fullmatch(bucket):
            raise ConfigurationError(
                f"CRYPTO_LAKE_ROOT: {root!r} has no valid bucket name (expected s3://bucket/prefix)"
            )
        if region is None:
            raise ConfigurationError(
                "CRYPTO_LAKE_ROOT is on S3 but neither AWS_REGION nor AWS_DEFAULT_REGION is set"
            )
    elif "://" in root:
        raise ConfigurationError(
            f"CRYPTO_LAKE_ROOT: expected a folder or s3://bucket/prefix, got {root!r}"
        )


def _check_reddit_credentials(env: Mapping[str, str]) -> bool:
    present = [v for v in REDDIT_CREDENTIAL_VARS if env.get(v, "").strip()]
    if present and len(present) < len(REDDIT_CREDENTIAL_VARS):
        # A partial set would quietly fall back to the anonymous listing and its lower limits.
        missing = [v for v in REDDIT_CREDENTIAL_VARS if v not in present]
        raise ConfigurationError(
            f"Reddit OAuth needs all four variables: {', '.join(missing)} not set "
            f"({', '.join(present)} set); set them all, or none for the public listing"
        )
    return bool(present)


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
