"""The resource set each environment gets, and secrets kept as EnvVar references."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from dagster import EnvVar

from crypto_assets.deployment import build_resources
from crypto_assets.environment import ConfigurationError, Settings
from crypto_assets.resources.warehouse import DuckDBWarehouseResource

SECRETS = {
    "REDDIT_CLIENT_ID": "id-123",
    "REDDIT_CLIENT_SECRET": "s3cr3t-value",
    "REDDIT_USERNAME": "bot",
    "REDDIT_PASSWORD": "hunter2-password",
}


def test_local_defaults_wire_replay_sources_lake_and_duckdb(tmp_path: Path) -> None:
    settings = Settings.from_env({"CRYPTO_ASSETS_HOME": str(tmp_path), "CRYPTO_SOURCE": "replay"})
    resources = build_resources(settings)
    assert resources["coinlore"].source == "replay"
    assert resources["coinlore"].top_n == 1000
    assert resources["reddit"].subreddits == ["CryptoCurrency"]
    assert resources["reddit"].client_secret is None
    lakehouse = resources["lakehouse"]
    assert lakehouse.lake.root == str(tmp_path / "lake")
    assert resources["lake"] is lakehouse.lake  # the asset reading history sees the same lake
    assert isinstance(lakehouse.warehouse, DuckDBWarehouseResource)
    assert lakehouse.warehouse.path == str(tmp_path / "warehouse.duckdb")


def test_reddit_secrets_are_env_var_references_not_values(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in SECRETS.items():
        monkeypatch.setenv(name, value)
    settings = Settings.from_env({"CRYPTO_ASSETS_HOME": str(tmp_path), **SECRETS})
    reddit = build_resources(settings)["reddit"]
    assert reddit.client_secret == EnvVar("REDDIT_CLIENT_SECRET")
    assert reddit.password == EnvVar("REDDIT_PASSWORD")
    described = repr(reddit) + repr(reddit.get_resource_context) + str(reddit.__dict__)
    assert "s3cr3t-value" not in described and "hunter2-password" not in described


SNOWFLAKE = {
    "CRYPTO_WAREHOUSE": "snowflake",
    "SNOWFLAKE_ACCOUNT": "myorg-myaccount",
    "SNOWFLAKE_USER": "CRYPTO_ASSETS_DEV_DAGSTER",
    "SNOWFLAKE_ROLE": "CRYPTO_ASSETS_DEV_DAGSTER",
    "SNOWFLAKE_WAREHOUSE": "CRYPTO_ASSETS_DEV",
    "SNOWFLAKE_DATABASE": "CRYPTO_ASSETS_DEV",
    "SNOWFLAKE_PRIVATE_KEY": "-----BEGIN PRIVATE KEY-----\\nc2VjcmV0LWtleQ==\\n-----END...",
    "SNOWFLAKE_PORT": "8443",
}


def test_snowflake_values_are_env_var_references_not_values(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in SNOWFLAKE.items():
        monkeypatch.setenv(name, value)
    settings = Settings.from_env({"CRYPTO_ASSETS_HOME": str(tmp_path), **SNOWFLAKE})
    warehouse = build_resources(settings)["lakehouse"].warehouse
    from crypto_assets.resources.snowflake_warehouse import SnowflakeWarehouseResource

    assert isinstance(warehouse, SnowflakeWarehouseResource)
    snowflake = warehouse.snowflake  # dagster-snowflake's own SnowflakeResource
    assert snowflake.account == EnvVar("SNOWFLAKE_ACCOUNT")
    assert snowflake.database == EnvVar("SNOWFLAKE_DATABASE")
    assert snowflake.private_key == EnvVar("SNOWFLAKE_PRIVATE_KEY")
    assert snowflake.timezone == "UTC"
    assert warehouse.port == EnvVar.int("SNOWFLAKE_PORT")
    assert snowflake.password is None and warehouse.host is None  # unset: not referenced
    described = repr(warehouse) + str(warehouse.__dict__)
    assert "c2VjcmV0LWtleQ" not in described and "myorg-myaccount" not in described


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({}, ["SNOWFLAKE_ACCOUNT", "SNOWFLAKE_USER", "SNOWFLAKE_DATABASE", "_PRIVATE_KEY or"]),
        ({"SNOWFLAKE_ACCOUNT": "a", "SNOWFLAKE_PASSWORD": "hunter2-sf"}, ["_USER", "_DATABASE"]),
        ({k: v for k, v in SNOWFLAKE.items() if k != "SNOWFLAKE_PRIVATE_KEY"}, ["_PASSWORD"]),
    ],
)
def test_snowflake_without_its_variables_fails_naming_them(
    env: dict[str, str], missing: list[str]
) -> None:
    with pytest.raises(ConfigurationError, match="CRYPTO_WAREHOUSE=snowflake") as error:
        Settings.from_env({"CRYPTO_WAREHOUSE": "snowflake", **env})
    message = str(error.value)
    assert all(name in message for name in missing), message
    assert "SNOWFLAKE_ACCOUNT" not in message or "SNOWFLAKE_ACCOUNT" not in env
    assert "hunter2-sf" not in message


@pytest.mark.parametrize(
    ("name", "value"), [("SNOWFLAKE_PORT", "443x"), ("SNOWFLAKE_PROTOCOL", "ftp")]
)
def test_snowflake_endpoint_overrides_are_checked(name: str, value: str) -> None:
    with pytest.raises(ConfigurationError, match=name):
        Settings.from_env({**SNOWFLAKE, name: value})


def test_duckdb_mode_loads_no_snowflake_code(tmp_path: Path) -> None:
    # The `snowflake` namespace package is created at start-up by a .pth file; the connector isn't.
    code = (
        "import sys, crypto_assets.definitions; "
        "print(sorted(m for m in sys.modules if m.startswith('snowflake.')))"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CRYPTO_", "SNOWFLAKE_"))}
    env["CRYPTO_ASSETS_HOME"] = str(tmp_path)
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"
