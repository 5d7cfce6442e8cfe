"""Validation of the configuration contract's values; every error names its variable."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime

REDDIT_CREDENTIAL_VARS = (
    "REDDIT_CLIENT_ID",
    "REDDIT_CLIENT_SECRET",
    "REDDIT_USERNAME",
    "REDDIT_PASSWORD",
)
SNOWFLAKE_REQUIRED_VARS = ("SNOWFLAKE_ACCOUNT", "SNOWFLAKE_USER", "SNOWFLAKE_DATABASE")
SNOWFLAKE_SECRET_VARS = ("SNOWFLAKE_PRIVATE_KEY", "SNOWFLAKE_PASSWORD")  # one of them is required

_BUCKET_RE = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")


class ConfigurationError(ValueError):
    """An environment variable of the configuration contract has an unusable value."""


def require_choice(name: str, value: str, choices: tuple[str, ...]) -> None:
    """Fail unless `value` is one of `choices`."""
    if value not in choices:
        raise ConfigurationError(f"{name}: expected one of {', '.join(choices)}, got {value!r}")


def positive_int(name: str, text: str, low: int = 1) -> int:
    """`text` as an integer >= `low`."""
    if not text.isdigit() or int(text) < low:
        kind = "a positive integer" if low == 1 else f"an integer >= {low}"
        raise ConfigurationError(f"{name}: expected {kind}, got {text!r}")
    return int(text)


def check_partitions_start(start: str) -> None:
    """An ISO date or datetime in UTC, without an offset, on a 10-minute boundary."""
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


def check_lake_root(root: str, region: str | None) -> None:
    """A folder, or `s3://bucket/prefix` with an AWS region set."""
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


def check_reddit_credentials(env: Mapping[str, str]) -> bool:
    """All four Reddit OAuth variables or none; returns whether they are set."""
    present = [v for v in REDDIT_CREDENTIAL_VARS if env.get(v, "").strip()]
    if present and len(present) < len(REDDIT_CREDENTIAL_VARS):
        # A partial set would quietly fall back to the anonymous listing and its lower limits.
        missing = [v for v in REDDIT_CREDENTIAL_VARS if v not in present]
        raise ConfigurationError(
            f"Reddit OAuth needs all four variables: {', '.join(missing)} not set "
            f"({', '.join(present)} set); set them all, or none for the public listing"
        )
    return bool(present)


def check_snowflake(env: Mapping[str, str], present: tuple[str, ...]) -> None:
    """The Snowflake variables CRYPTO_WAREHOUSE=snowflake needs, and sane endpoint overrides."""
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
        require_choice("SNOWFLAKE_PROTOCOL", protocol, ("https", "http"))


def check_broker_url(name: str, url: str) -> None:
    """A Celery broker / result backend URL this deployment supports (Redis, or RabbitMQ)."""
    if not url.startswith(("redis://", "rediss://", "amqp://", "pyamqp://")):
        raise ConfigurationError(
            f"{name}: expected a redis://, rediss:// or amqp:// URL, got {url.split('@')[-1]!r}"
        )


def check_postgres_port(env: Mapping[str, str]) -> None:
    """DAGSTER_PG_PORT, when set, is a port number (the instance YAML reads it as text)."""
    port = env.get("DAGSTER_PG_PORT", "").strip()
    if port and not (port.isdigit() and 0 < int(port) < 65536):
        raise ConfigurationError(f"DAGSTER_PG_PORT: expected a port number, got {port!r}")


def check_bucket_name(name: str, bucket: str) -> None:
    """A bare S3 bucket name (no s3:// and no prefix)."""
    if not _BUCKET_RE.fullmatch(bucket):
        raise ConfigurationError(f"{name}: expected an S3 bucket name, got {bucket!r}")
