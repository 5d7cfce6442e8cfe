"""Validation of the configuration contract's values; every error names its variable."""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

REDDIT_CREDENTIAL_VARS = (
    "REDDIT_CLIENT_ID",
    "REDDIT_CLIENT_SECRET",
    "REDDIT_USERNAME",
    "REDDIT_PASSWORD",
)
SNOWFLAKE_REQUIRED_VARS = ("SNOWFLAKE_ACCOUNT", "SNOWFLAKE_USER", "SNOWFLAKE_DATABASE")
SNOWFLAKE_SECRET_VARS = ("SNOWFLAKE_PRIVATE_KEY", "SNOWFLAKE_PASSWORD")  # one of them is required

_BUCKET_RE = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
_SCHEME_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_REGION_RE = re.compile(r"[a-z]{2}(-[a-z]+)+-\d+")
SNS_ARN_RE = re.compile(r"arn:aws[a-z-]*:sns:([a-z0-9-]+):\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?")
# Bitcoin's first block: no crypto market, and no window of this platform, is older.
EARLIEST_START = datetime(2009, 1, 3)
# Kernel filesystems accept no folders of ours, whatever their permission bits say.
_PSEUDO_FILESYSTEMS = {"proc", "sysfs", "devtmpfs", "devpts", "cgroup", "cgroup2", "debugfs"}


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


def check_partitions_start(name: str, start: str, now: datetime | None = None) -> None:
    """An ISO date or datetime in UTC, without an offset, on a 10-minute boundary, since 2009."""
    try:
        parsed = datetime.fromisoformat(start)
    except ValueError as exc:
        raise ConfigurationError(
            f"{name}: expected an ISO date or datetime, got {start!r}"
        ) from exc
    if parsed.tzinfo is not None:
        # Dropping the offset silently would shift every window; the partitions are UTC.
        raise ConfigurationError(
            f"{name}: {start!r} has a time zone; give the UTC time without one "
            "(e.g. 2025-10-01 or 2025-10-01T06:00)"
        )
    if parsed.minute % 10 or parsed.second or parsed.microsecond:
        raise ConfigurationError(f"{name}: {start!r} is not on a 10-minute boundary (e.g. 06:10)")
    today = (now or datetime.now(UTC)).replace(tzinfo=None)
    if not EARLIEST_START <= parsed <= today:
        raise ConfigurationError(
            f"{name}: {start!r} is outside {EARLIEST_START:%Y-%m-%d} (Bitcoin's first block) "
            f"to today ({today:%Y-%m-%d}); a typo in the year?"
        )


def check_lake_root(root: str, region: str | None) -> None:
    """A folder this process can create files in, or `s3://bucket/prefix` with a region."""
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
        return
    if _SCHEME_RE.match(root):
        # "s3:/bucket" or "S3://bucket" would otherwise become a folder named "s3:".
        raise ConfigurationError(
            f"CRYPTO_LAKE_ROOT: expected a folder or s3://bucket/prefix, got {root!r}"
        )
    check_writable_folder("CRYPTO_LAKE_ROOT", Path(root).expanduser())


def check_writable_folder(name: str, folder: Path) -> None:
    """The folder exists and is writable, or its nearest existing parent lets us create it."""
    if folder.exists() and not folder.is_dir():
        raise ConfigurationError(f"{name}: {str(folder)!r} is a file, expected a folder")
    existing = (
        folder if folder.exists() else next(p for p in folder.absolute().parents if p.exists())
    )
    if not existing.is_dir():
        raise ConfigurationError(
            f"{name}: {str(existing)!r} is a file, so {str(folder)!r} cannot be a folder"
        )
    kind = _filesystem_type(existing)
    if kind in _PSEUDO_FILESYSTEMS or not os.access(existing, os.W_OK | os.X_OK):
        what = f"a {kind} filesystem" if kind in _PSEUDO_FILESYSTEMS else "not writable"
        raise ConfigurationError(
            f"{name}: {str(folder)!r} cannot be written ({str(existing)!r} is {what})"
        )


def _filesystem_type(path: Path) -> str | None:
    """The type of the filesystem `path` is on, from the mount table (None when unknown)."""
    best, kind = "", None
    for mount_point, fs_type in _mounts():
        inside = str(path) == mount_point or str(path).startswith(mount_point.rstrip("/") + "/")
        if inside and len(mount_point) > len(best):
            best, kind = mount_point, fs_type
    return kind


@functools.cache
def _mounts() -> tuple[tuple[str, str], ...]:
    try:
        lines = Path("/proc/self/mounts").read_text().splitlines()
    except OSError:
        return ()
    return tuple((f[1], f[2]) for f in (line.split() for line in lines) if len(f) > 2)


def check_aws_region(region: str | None, endpoint_url: str | None) -> None:
    """A region AWS knows (botocore's list), or any region-shaped name for a custom endpoint."""
    if region is None:
        return
    if endpoint_url:
        # MinIO, LocalStack, moto: their regions are whatever the endpoint accepts.
        if not re.fullmatch(r"[a-z0-9-]+", region):
            raise ConfigurationError(f"AWS_REGION: {region!r} is not a region name")
        return
    if region not in known_aws_regions():
        hint = "" if _REGION_RE.fullmatch(region) else " (expected e.g. us-east-1)"
        raise ConfigurationError(
            f"AWS_REGION: {region!r} is not an AWS region{hint}; for a custom endpoint set "
            "AWS_ENDPOINT_URL"
        )


@functools.cache
def known_aws_regions() -> frozenset[str]:
    """Every region of every partition botocore's endpoint data lists for S3 or SNS."""
    import botocore.session

    session = botocore.session.get_session()
    regions: set[str] = set()
    for partition in session.get_available_partitions():
        for service in ("s3", "sns"):
            regions.update(session.get_available_regions(service, partition_name=partition))
    return frozenset(regions)


def check_sns_topic_arn(arn: str) -> None:
    """An SNS topic ARN: arn:aws:sns:<region>:<12-digit account>:<topic>."""
    if not SNS_ARN_RE.fullmatch(arn):
        raise ConfigurationError(
            f"CRYPTO_ALERTS_SNS_TOPIC_ARN: expected arn:aws:sns:<region>:<account>:<topic>, "
            f"got {arn!r}"
        )


def check_http_url(name: str, url: str) -> None:
    """An http(s) URL with a host."""
    if not re.fullmatch(r"https?://[^/\s:]+(:\d+)?(/\S*)?", url):
        raise ConfigurationError(f"{name}: expected an http(s) URL, got {url!r}")


def check_reddit_credentials(present: Sequence[str]) -> None:
    """All four Reddit OAuth variables or none (`present`: those set)."""
    if present and len(present) < len(REDDIT_CREDENTIAL_VARS):
        # A partial set would quietly fall back to the anonymous listing and its lower limits.
        missing = [v for v in REDDIT_CREDENTIAL_VARS if v not in present]
        raise ConfigurationError(
            f"Reddit OAuth needs all four variables: {', '.join(missing)} not set "
            f"({', '.join(present)} set); set them all, or none for the public listing"
        )


def check_snowflake(present: Sequence[str], port: str | None, protocol: str | None) -> None:
    """The Snowflake variables CRYPTO_WAREHOUSE=snowflake needs, and sane endpoint overrides."""
    # Messages name variables and echo non-secret values only.
    missing = [v for v in SNOWFLAKE_REQUIRED_VARS if v not in present]
    if not any(v in present for v in SNOWFLAKE_SECRET_VARS):
        missing.append(" or ".join(SNOWFLAKE_SECRET_VARS))
    if missing:
        raise ConfigurationError(f"CRYPTO_WAREHOUSE=snowflake needs {', '.join(missing)}: not set")
    if port and not port.isdigit():
        raise ConfigurationError(f"SNOWFLAKE_PORT: expected a port number, got {port!r}")
    if protocol:
        require_choice("SNOWFLAKE_PROTOCOL", protocol, ("https", "http"))


def check_broker_url(name: str, url: str) -> None:
    """A Celery broker / result backend URL this deployment supports (Redis, or RabbitMQ)."""
    if not url.startswith(("redis://", "rediss://", "amqp://", "pyamqp://")):
        raise ConfigurationError(
            f"{name}: expected a redis://, rediss:// or amqp:// URL, got {url.split('@')[-1]!r}"
        )


def check_postgres_port(port: str) -> None:
    """DAGSTER_PG_PORT is a port number (the instance YAML reads it as text)."""
    if not (port.isdigit() and 0 < int(port) < 65536):
        raise ConfigurationError(f"DAGSTER_PG_PORT: expected a port number, got {port!r}")


def check_bucket_name(name: str, bucket: str) -> None:
    """A bare S3 bucket name (no s3:// and no prefix)."""
    if not _BUCKET_RE.fullmatch(bucket):
        raise ConfigurationError(f"{name}: expected an S3 bucket name, got {bucket!r}")


def check_rules_file(path: Path) -> None:
    """The alert rules file parses and validates (errors name its line)."""
    from crypto_assets.alerts.market_rules import RulesFileError, load_rules

    try:
        load_rules(path)
    except RulesFileError as exc:
        raise ConfigurationError(f"CRYPTO_ALERT_RULES: {exc}") from None


def subreddit_list(name: str, text: str) -> tuple[str, ...]:
    """A comma-separated list of subreddit names, none empty."""
    names = tuple(part.strip() for part in text.split(","))
    if not all(names):
        raise ConfigurationError(f"{name}: empty subreddit name in the list")
    return names
