"""The deployment's variables, a field group of `Settings`: the warehouse, runs and their records."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, ValidationInfo, field_validator, model_validator

from crypto_assets.config.env_source import EnvironmentSettings, SetAmong
from crypto_assets.environment_checks import (
    check_broker_url,
    check_bucket_name,
    check_postgres_port,
    check_snowflake,
    positive_int,
    require_choice,
)

WAREHOUSES = ("duckdb", "snowflake")
EXECUTORS = ("in_process", "celery")
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
DEFAULT_CELERY_BROKER_URL = "redis://127.0.0.1:6379/0"
# The production instance (deploy/dagster.prod.yaml) reads these through `env:`.
POSTGRES_VARS = (
    "DAGSTER_PG_HOST",
    "DAGSTER_PG_PORT",
    "DAGSTER_PG_USERNAME",
    "DAGSTER_PG_PASSWORD",
    "DAGSTER_PG_DB",
)


class DeploymentFields(EnvironmentSettings):
    """Where the warehouse is, how runs execute and queue, and where their records go."""

    # The validators' names differ from Settings' own: a subclass's validator of the same name
    # replaces the base's, silently.

    warehouse: str = Field("duckdb", validation_alias="CRYPTO_WAREHOUSE")
    # Which Snowflake variables are set; the secrets' values never enter the settings.
    snowflake_vars_set: Annotated[tuple[str, ...], SetAmong(SNOWFLAKE_VARS)] = ()
    snowflake_port: str | None = Field(None, validation_alias="SNOWFLAKE_PORT")
    snowflake_protocol: str | None = Field(None, validation_alias="SNOWFLAKE_PROTOCOL")
    executor: str = Field("in_process", validation_alias="CRYPTO_EXECUTOR")
    celery_broker_url: str = Field(DEFAULT_CELERY_BROKER_URL, validation_alias="CELERY_BROKER_URL")
    celery_backend_url: str = Field(
        default_factory=lambda fields: fields["celery_broker_url"],
        validation_alias="CELERY_RESULT_BACKEND",
    )
    celery_queue: str = Field("dagster", validation_alias="CELERY_QUEUE")
    # None: one run per backfill, whatever its size (BackfillPolicy.single_run).
    backfill_windows_per_run: int | None = Field(
        None, validation_alias="CRYPTO_BACKFILL_WINDOWS_PER_RUN"
    )
    postgres_vars_set: Annotated[tuple[str, ...], SetAmong(POSTGRES_VARS, blank_counts=True)] = ()
    postgres_port: str | None = Field(None, validation_alias="DAGSTER_PG_PORT")
    # None: the production instance file's default.
    max_concurrent_runs: int | None = Field(None, validation_alias="DAGSTER_MAX_CONCURRENT_RUNS")
    compute_logs_bucket: str | None = Field(None, validation_alias="DAGSTER_COMPUTE_LOGS_BUCKET")
    compute_logs_prefix: str = Field(
        "dagster-compute-logs", validation_alias="DAGSTER_COMPUTE_LOGS_PREFIX"
    )

    @field_validator("warehouse", "executor", mode="before")
    @classmethod
    def _choice(cls, text: str, info: ValidationInfo) -> str:
        choice = text.lower()
        if info.field_name == "executor":
            choice = choice.replace("-", "_")  # in-process, as some write it
        choices = WAREHOUSES if info.field_name == "warehouse" else EXECUTORS
        require_choice(cls.variable(info.field_name), choice, choices)
        return choice

    @field_validator("celery_broker_url", "celery_backend_url", mode="before")
    @classmethod
    def _broker(cls, text: str, info: ValidationInfo) -> str:
        check_broker_url(cls.variable(info.field_name), text)
        return text

    @field_validator("backfill_windows_per_run", "max_concurrent_runs", mode="before")
    @classmethod
    def _run_count(cls, text: str, info: ValidationInfo) -> int:
        return positive_int(cls.variable(info.field_name), text)

    @field_validator("postgres_port", mode="before")
    @classmethod
    def _postgres_port(cls, text: str) -> str:
        check_postgres_port(text)
        return text

    @field_validator("compute_logs_bucket", mode="before")
    @classmethod
    def _bucket(cls, text: str) -> str:
        check_bucket_name("DAGSTER_COMPUTE_LOGS_BUCKET", text)
        return text

    @model_validator(mode="after")
    def _snowflake(self) -> DeploymentFields:
        """CRYPTO_WAREHOUSE=snowflake needs its account, user, database and a secret."""
        if self.warehouse == "snowflake":
            check_snowflake(self.snowflake_vars_set, self.snowflake_port, self.snowflake_protocol)
        return self
