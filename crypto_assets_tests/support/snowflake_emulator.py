"""Snowflake on fakesnow's server through the real connector: resource, warehouse, key, probes."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from dagster_snowflake import SnowflakeResource
from snowflake.connector.cursor import SnowflakeCursor

from crypto_assets.datasets import warehouse_schema_names
from crypto_assets.storage.snowflake_warehouse import SnowflakeWarehouse

PASSWORD = "pa55-Sn0wflake-only-here"


def pem_key() -> str:
    """A fresh unencrypted PKCS#8 PEM private key."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def fakesnow_resource(snowflake_kwargs: dict, **auth: str) -> SnowflakeResource:
    """A SnowflakeResource on fakesnow's server (password auth unless `auth` says otherwise)."""
    return SnowflakeResource(
        account="fakesnow",
        user="CRYPTO_ASSETS_DAGSTER",
        database=snowflake_kwargs["database"],
        timezone="UTC",
        additional_snowflake_connection_args={
            k: snowflake_kwargs[k] for k in ("host", "port", "protocol")
        },
        **(auth or {"password": snowflake_kwargs["password"]}),
    )


def fakesnow_warehouse(snowflake_kwargs: dict, lake_root: str | None = None) -> SnowflakeWarehouse:
    """The database as Terraform leaves it (schemas; a stage on the lake if `lake_root`)."""
    connect = fakesnow_resource(snowflake_kwargs).get_connection
    with SnowflakeWarehouse(connect).session() as cur:
        for name in warehouse_schema_names():
            cur.execute(f"CREATE SCHEMA IF NOT EXISTS {name}")
        if lake_root is not None:
            cur.execute(f"CREATE STAGE IF NOT EXISTS LOADING.LAKE URL = 'file://{lake_root}/'")
    stage = f"{snowflake_kwargs['database']}.LOADING.LAKE" if lake_root else None
    return SnowflakeWarehouse(connect, stage)


def record_statements(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The first word of every statement any cursor executes from now on."""
    statements: list[str] = []
    execute = SnowflakeCursor.execute

    def recording(self: SnowflakeCursor, command: str, *args: object, **kw: object):
        statements.append(command.split(None, 1)[0].upper())
        return execute(self, command, *args, **kw)

    monkeypatch.setattr(SnowflakeCursor, "execute", recording)
    return statements
