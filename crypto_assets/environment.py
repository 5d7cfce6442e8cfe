"""The one place that reads the environment: settings from the configuration contract.

Every variable is a field of `Settings` named by its alias; the field validators run the checks
of `environment_checks`, the model validators the rules that join variables. `Settings.from_env`
reads them (see `config.env_source`); the deployment's variables are in `config.deployment_fields`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated

from pydantic import AliasChoices, Field, ValidationInfo, field_validator, model_validator

from crypto_assets.config.deployment_fields import (
    DEFAULT_CELERY_BROKER_URL,
    POSTGRES_VARS,
    SNOWFLAKE_VARS,
    DeploymentFields,
)
from crypto_assets.config.env_source import SetAmong
from crypto_assets.config.history_fields import HistoryFields
from crypto_assets.config.sentiment_fields import SentimentFields
from crypto_assets.environment_checks import (
    REDDIT_CREDENTIAL_VARS,
    ConfigurationError,
    check_aws_region,
    check_http_url,
    check_lake_root,
    check_partitions_start,
    check_reddit_credentials,
    check_rules_file,
    check_sns_topic_arn,
    positive_int,
    require_choice,
    subreddit_list,
)

__all__ = [
    "DEFAULT_CELERY_BROKER_URL",
    "POSTGRES_VARS",
    "PROJECT_ROOT",
    "REDDIT_CREDENTIAL_VARS",
    "SNOWFLAKE_VARS",
    "ConfigurationError",
    "Settings",
]

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("live", "replay")


class Settings(SentimentFields, HistoryFields, DeploymentFields):
    """The configuration contract (environment variables), resolved with its local defaults."""

    home: Path = Field(PROJECT_ROOT / ".crypto_assets", validation_alias="CRYPTO_ASSETS_HOME")
    source: str = Field("live", validation_alias="CRYPTO_SOURCE")
    subreddits: tuple[str, ...] = Field(("CryptoCurrency",), validation_alias="CRYPTO_SUBREDDITS")
    top_n_coins: int = Field(1000, validation_alias="CRYPTO_TOP_N_COINS")
    # None: the default (see crypto_assets.partitions).
    partitions_start: str | None = Field(None, validation_alias="CRYPTO_PARTITIONS_START")
    settle_minutes: int = Field(2, validation_alias="CRYPTO_SETTLE_MINUTES")
    recheck_windows: int = Field(6, validation_alias="CRYPTO_RECHECK_WINDOWS")
    lake_root: str = Field(
        default_factory=lambda fields: str(fields["home"] / "lake"),
        validation_alias="CRYPTO_LAKE_ROOT",
    )
    aws_region: str | None = Field(
        None, validation_alias=AliasChoices("AWS_REGION", "AWS_DEFAULT_REGION")
    )
    aws_endpoint_url: str | None = Field(None, validation_alias="AWS_ENDPOINT_URL")
    # Which Reddit OAuth variables are set; the secrets' values never enter the settings.
    reddit_vars_set: Annotated[tuple[str, ...], SetAmong(REDDIT_CREDENTIAL_VARS)] = ()
    # None: the rules file shipped in the package.
    alert_rules_path: Path | None = Field(None, validation_alias="CRYPTO_ALERT_RULES")
    alerts_sns_topic_arn: str | None = Field(None, validation_alias="CRYPTO_ALERTS_SNS_TOPIC_ARN")
    # The APIs' public hosts; the variables point at mirrors, regional endpoints or test servers.
    coinlore_url: str = Field("https://api.coinlore.net", validation_alias="CRYPTO_COINLORE_URL")
    reddit_url: str = Field("https://www.reddit.com", validation_alias="CRYPTO_REDDIT_URL")
    reddit_oauth_url: str = Field(
        "https://oauth.reddit.com", validation_alias="CRYPTO_REDDIT_OAUTH_URL"
    )
    ui_url: str = Field("http://127.0.0.1:3000", validation_alias="CRYPTO_UI_URL")

    @property
    def alerts_outbox(self) -> Path:
        """The local alert outbox used when no SNS topic is configured."""
        return self.home / "alerts.jsonl"

    @property
    def dagster_home(self) -> Path:
        """DAGSTER_HOME for the local instance."""
        return self.home / "dagster"

    @property
    def duckdb_path(self) -> Path:
        """The DuckDB warehouse file (CRYPTO_WAREHOUSE=duckdb)."""
        return self.home / "warehouse.duckdb"

    @property
    def reddit_credentials_set(self) -> bool:
        """Whether the Reddit OAuth variables are set (all four, as validated)."""
        return bool(self.reddit_vars_set)

    @field_validator("home", mode="before")
    @classmethod
    def _home(cls, text: str) -> Path:
        return Path(text).expanduser()

    @field_validator("source", mode="before")
    @classmethod
    def _source(cls, text: str) -> str:
        require_choice("CRYPTO_SOURCE", text.lower(), SOURCES)
        return text.lower()

    @field_validator("subreddits", mode="before")
    @classmethod
    def _subreddits(cls, text: str) -> tuple[str, ...]:
        return subreddit_list("CRYPTO_SUBREDDITS", text)

    @field_validator("top_n_coins", "recheck_windows", mode="before")
    @classmethod
    def _count(cls, text: str, info: ValidationInfo) -> int:
        return positive_int(cls.variable(info.field_name), text)

    @field_validator("partitions_start", mode="before")
    @classmethod
    def _partitions_start(cls, text: str) -> str:
        check_partitions_start("CRYPTO_PARTITIONS_START", text)
        return text

    @field_validator("settle_minutes", mode="before")
    @classmethod
    def _settle_minutes(cls, text: str) -> int:
        minutes = positive_int("CRYPTO_SETTLE_MINUTES", text, low=0)
        if minutes > 9:
            raise ConfigurationError(f"CRYPTO_SETTLE_MINUTES: expected 0 to 9, got {minutes}")
        return minutes

    @field_validator("alert_rules_path", mode="before")
    @classmethod
    def _rules_file(cls, text: str) -> Path:
        path = Path(text).expanduser()
        check_rules_file(path)
        return path

    @field_validator("alerts_sns_topic_arn", mode="before")
    @classmethod
    def _sns_topic_arn(cls, text: str) -> str:
        check_sns_topic_arn(text)
        return text

    @field_validator("coinlore_url", "reddit_url", "reddit_oauth_url", "ui_url", mode="before")
    @classmethod
    def _url(cls, text: str, info: ValidationInfo) -> str:
        url, name = text.rstrip("/"), cls.variable(info.field_name)
        if info.field_name != "ui_url":
            check_http_url(name, url)
        elif not url.startswith(("http://", "https://")):
            raise ConfigurationError(f"{name}: expected an http(s) URL, got {url!r}")
        return url

    @model_validator(mode="after")
    def _across_variables(self) -> Settings:
        """A region AWS knows (any with an endpoint), one for an s3:// lake; Reddit all or none."""
        check_aws_region(self.aws_region, self.aws_endpoint_url)
        check_lake_root(self.lake_root, self.aws_region)
        check_reddit_credentials(self.reddit_vars_set)
        return self

    @property
    def archive_configured(self) -> bool:
        """Whether past posts can be read from a Reddit archive (replay always has its own)."""
        return self.source == "replay" or self.reddit_archive_url is not None


def check_dev_server(env: Mapping[str, str]) -> tuple[str, int]:
    """DAGSTER_HOST / DAGSTER_PORT for `make dev`: a valid port that is free on that host."""
    import socket

    host = env.get("DAGSTER_HOST", "") or "127.0.0.1"
    text = env.get("DAGSTER_PORT", "") or "3000"
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise ConfigurationError(f"DAGSTER_PORT: expected a port number 1-65535, got {text!r}")
    port = int(text)
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            raise ConfigurationError(
                f"DAGSTER_PORT: {host}:{port} is not free ({exc.strerror}); stop what serves it "
                f"or choose another port, e.g. DAGSTER_PORT={port + 1}"
            ) from None
    return host, port


def main(argv: list[str] | None = None) -> int:
    """Validate this process's environment: print the settings, or the error naming a variable.

    With `--dev-server` (what `make dev` runs first) also check DAGSTER_HOST / DAGSTER_PORT and
    build the code location, so a broken one stops before any server starts.
    """
    import sys

    argv = sys.argv[1:] if argv is None else argv
    try:
        settings = Settings.from_env()
        if "--dev-server" in argv:
            check_dev_server(os.environ)
            from crypto_assets.definitions import build_definitions

            build_definitions(settings).resolve_all_job_defs()
    except ConfigurationError as exc:
        print(f"crypto_assets: configuration error: {exc}", file=sys.stderr)
        return 1
    print(
        f"crypto_assets: source {settings.source}, lake {settings.lake_root}, "
        f"warehouse {settings.warehouse}, state in {settings.home}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
