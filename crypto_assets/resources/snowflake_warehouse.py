"""The Snowflake warehouse resource: dagster-snowflake's SnowflakeResource plus the lake's stage.

Imported only when CRYPTO_WAREHOUSE=snowflake: `import dagster_snowflake` takes seconds.
"""

from __future__ import annotations

from typing import Any

import pandas as pd
from dagster import EnvVar
from dagster_snowflake import SnowflakeResource
from pydantic import Field

from crypto_assets.resources.warehouse import WarehouseResource
from crypto_assets.storage.snowflake_warehouse import SnowflakeWarehouse, snowflake_name

# SnowflakeResource fields read from optional SNOWFLAKE_* variables.
_OPTIONAL_FIELDS = {"role": "SNOWFLAKE_ROLE", "warehouse": "SNOWFLAKE_WAREHOUSE"}
_ENDPOINT_FIELDS = {"host": "SNOWFLAKE_HOST", "protocol": "SNOWFLAKE_PROTOCOL"}


class SnowflakeWarehouseResource(WarehouseResource):
    """The cloud warehouse: one Snowflake database, loaded by COPY from the Parquet lake."""

    snowflake: SnowflakeResource = Field(
        description="Account, user, key pair (or password), role, warehouse and database"
    )
    lake_stage: str | None = Field(
        default=None,
        description="External stage on the lake root, e.g. CRYPTO_ASSETS_DEV.LOADING.LAKE; "
        "unset: each load PUTs its lake files to the table's own stage",
    )
    # An emulator endpoint (tests only). Dagster resolves EnvVars in fields, not inside
    # SnowflakeResource.additional_snowflake_connection_args (a dict of Any), hence fields here.
    host: str | None = Field(default=None, description="Emulator host (tests only)")
    port: int | None = Field(default=None, description="Emulator port (tests only)")
    protocol: str | None = Field(default=None, description="Emulator protocol (tests only)")

    def connection(self) -> SnowflakeResource:
        """`snowflake` as it connects: TIMEZONE=UTC, the emulator endpoint, a one-line PEM key."""
        current = self.snowflake
        updates: dict[str, Any] = {}
        if current.timezone != "UTC":  # window bounds and TIMESTAMP_NTZ values are naive UTC
            updates["timezone"] = "UTC"
        key = current.private_key
        if key and "\\n" in key and "\n" not in key:
            # A PEM pasted into a one-line value; SnowflakeResource accepts only real newlines
            # (or base64 of the whole PEM).
            updates["private_key"] = key.replace("\\n", "\n")
        endpoint = {
            name: value
            for name, value in (
                ("host", self.host),
                ("port", self.port),
                ("protocol", self.protocol),
            )
            if value is not None
        }
        if endpoint:
            args = current.additional_snowflake_connection_args or {}
            updates["additional_snowflake_connection_args"] = {**args, **endpoint}
        if not updates:
            return current
        values = current.model_dump(by_alias=True, exclude_none=True)
        return SnowflakeResource(**{**values, **updates})

    def open(self) -> SnowflakeWarehouse:
        """The warehouse; each `replacing` or `query` is one session."""
        return SnowflakeWarehouse(self.connection().get_connection, self.lake_stage)

    def query(self, sql: str) -> pd.DataFrame:
        """Run a read-only query in the database."""
        return self.open().query(sql)

    def describe(self, schema_name: str, table_name: str) -> str:
        """`snowflake:DATABASE.SCHEMA.TABLE`."""
        table = ".".join(snowflake_name(n) for n in (schema_name, table_name))
        return f"snowflake:{(self.snowflake.database or '').upper()}.{table}"


def snowflake_warehouse_resource(env_vars_set: tuple[str, ...]) -> SnowflakeWarehouseResource:
    """The resource from the SNOWFLAKE_* variables that are set, every value an EnvVar reference."""
    present = set(env_vars_set)
    # SnowflakeResource takes one authentication: the key pair wins over the password.
    if "SNOWFLAKE_PRIVATE_KEY" in present:
        auth = {"private_key": EnvVar("SNOWFLAKE_PRIVATE_KEY")}
    elif "SNOWFLAKE_PASSWORD" in present:
        auth = {"password": EnvVar("SNOWFLAKE_PASSWORD")}
    else:
        raise ValueError(
            "CRYPTO_WAREHOUSE=snowflake needs SNOWFLAKE_PRIVATE_KEY or SNOWFLAKE_PASSWORD"
        )
    snowflake = SnowflakeResource(
        account=EnvVar("SNOWFLAKE_ACCOUNT"),
        user=EnvVar("SNOWFLAKE_USER"),
        database=EnvVar("SNOWFLAKE_DATABASE"),
        timezone="UTC",
        **auth,
        **{field: EnvVar(var) for field, var in _OPTIONAL_FIELDS.items() if var in present},
    )
    endpoint: dict[str, Any] = {f: EnvVar(v) for f, v in _ENDPOINT_FIELDS.items() if v in present}
    if "SNOWFLAKE_PORT" in present:
        endpoint["port"] = EnvVar.int("SNOWFLAKE_PORT")
    stage = EnvVar("SNOWFLAKE_LAKE_STAGE") if "SNOWFLAKE_LAKE_STAGE" in present else None
    return SnowflakeWarehouseResource(snowflake=snowflake, lake_stage=stage, **endpoint)
