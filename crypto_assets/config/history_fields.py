"""The history variables, a field group of `Settings`: where past days' posts and prices come from."""

from __future__ import annotations

from datetime import date

from pydantic import Field, ValidationInfo, field_validator

from crypto_assets.config.env_source import EnvironmentSettings
from crypto_assets.environment_checks import (
    ConfigurationError,
    check_http_url,
    check_partitions_start,
    subreddit_list,
)

DEFAULT_HISTORY_START = date(2021, 1, 1)
DEFAULT_REDDIT_ARCHIVE_URL = "https://arctic-shift.photon-reddit.com"
DEFAULT_PRICE_HISTORY_URL = "https://data-api.binance.vision"
# CRYPTO_REDDIT_ARCHIVE_URL=off: no archive, so a live window too old for /new fails instead.
ARCHIVE_OFF = "off"


class HistoryFields(EnvironmentSettings):
    """The daily history partitions' first day, the archive and price APIs, and bulk files."""

    history_start: date = Field(DEFAULT_HISTORY_START, validation_alias="CRYPTO_HISTORY_START")
    # None: off (history days then fail, and old live windows fail as before).
    reddit_archive_url: str | None = Field(
        DEFAULT_REDDIT_ARCHIVE_URL, validation_alias="CRYPTO_REDDIT_ARCHIVE_URL"
    )
    price_history_url: str = Field(
        DEFAULT_PRICE_HISTORY_URL, validation_alias="CRYPTO_PRICE_HISTORY_URL"
    )
    # None: CRYPTO_SUBREDDITS (replay: the subreddits its history recordings hold).
    history_subreddits: tuple[str, ...] | None = Field(
        None, validation_alias="CRYPTO_HISTORY_SUBREDDITS"
    )
    # Bulk paths: a folder or s3:// prefix of RS_YYYY-MM.zst dumps / Binance monthly kline zips.
    reddit_dumps: str | None = Field(None, validation_alias="CRYPTO_REDDIT_DUMPS")
    kline_files: str | None = Field(None, validation_alias="CRYPTO_KLINE_FILES")

    @field_validator("history_start", mode="before")
    @classmethod
    def _history_start(cls, text: str) -> date:
        check_partitions_start("CRYPTO_HISTORY_START", text)
        parsed = date.fromisoformat(text[:10])
        if text.strip() != parsed.isoformat():
            raise ConfigurationError(
                f"CRYPTO_HISTORY_START: expected a day (YYYY-MM-DD), got {text!r}"
            )
        return parsed

    @field_validator("reddit_archive_url", "price_history_url", mode="before")
    @classmethod
    def _history_url(cls, text: str, info: ValidationInfo) -> str | None:
        url = text.strip().rstrip("/")
        if info.field_name == "reddit_archive_url" and url.lower() == ARCHIVE_OFF:
            return None
        check_http_url(cls.variable(info.field_name), url)
        return url

    @field_validator("history_subreddits", mode="before")
    @classmethod
    def _history_subreddits(cls, text: str) -> tuple[str, ...]:
        return subreddit_list("CRYPTO_HISTORY_SUBREDDITS", text)

    @field_validator("reddit_dumps", "kline_files", mode="before")
    @classmethod
    def _bulk_root(cls, text: str, info: ValidationInfo) -> str:
        root = text.strip().rstrip("/")
        if "://" in root and not root.startswith("s3://"):
            raise ConfigurationError(
                f"{cls.variable(info.field_name)}: expected a folder or s3://bucket/prefix, "
                f"got {root!r}"
            )
        return root
