"""The resource set each environment gets, and secrets kept as EnvVar references."""

from __future__ import annotations

from pathlib import Path

import pytest
from dagster import EnvVar

from crypto_assets.deployment import build_resources, build_warehouse
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
    assert lakehouse.lake_root == str(tmp_path / "lake")
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


def test_snowflake_is_refused_with_a_clear_message(tmp_path: Path) -> None:
    settings = Settings.from_env(
        {"CRYPTO_ASSETS_HOME": str(tmp_path), "CRYPTO_WAREHOUSE": "snowflake"}
    )
    with pytest.raises(ConfigurationError, match="CRYPTO_WAREHOUSE=snowflake"):
        build_warehouse(settings)
