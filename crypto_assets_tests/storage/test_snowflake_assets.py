"""All five assets with CRYPTO_WAREHOUSE=snowflake, the warehouse being fakesnow's server."""

from __future__ import annotations

from pathlib import Path

import pytest
from dagster import DagsterInstance, materialize

from crypto_assets.deployment import build_resources
from crypto_assets.environment import Settings
from crypto_assets.resources.warehouse import SnowflakeWarehouseResource
from crypto_assets.storage.layout import WAREHOUSE_SCHEMAS
from crypto_assets.storage.snowflake_warehouse import SnowflakeWarehouse
from crypto_assets_tests.storage.test_snowflake_warehouse import pem_key
from crypto_assets_tests.test_assets_replay import ASSETS, BUSY_WINDOW, NAMES, lake_counts

pytestmark = pytest.mark.filterwarnings("ignore:Arrow output on a DB-API result")


@pytest.fixture
def snowflake_env(
    snowflake_kwargs: dict, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> dict[str, str]:
    """The environment of a Snowflake deployment pointed at fakesnow; SNOWFLAKE_* exported."""
    env = {
        "CRYPTO_ASSETS_HOME": str(tmp_path),
        "CRYPTO_SOURCE": "replay",
        "CRYPTO_WAREHOUSE": "snowflake",
        "SNOWFLAKE_ACCOUNT": "fakesnow",
        "SNOWFLAKE_USER": "CRYPTO_ASSETS_DAGSTER",
        "SNOWFLAKE_ROLE": "CRYPTO_ASSETS_DAGSTER",
        "SNOWFLAKE_WAREHOUSE": "CRYPTO_ASSETS",
        "SNOWFLAKE_DATABASE": snowflake_kwargs["database"],
        "SNOWFLAKE_PRIVATE_KEY": pem_key(),
        "SNOWFLAKE_HOST": snowflake_kwargs["host"],
        "SNOWFLAKE_PORT": str(snowflake_kwargs["port"]),
        "SNOWFLAKE_PROTOCOL": snowflake_kwargs["protocol"],
    }
    for name, value in env.items():
        if name.startswith("SNOWFLAKE_"):
            monkeypatch.setenv(name, value)  # EnvVar references resolve from the process
    return env


def warehouse_counts(snowflake_kwargs: dict) -> dict[str, int]:
    """Rows per asset table in the fakesnow database."""
    wh = SnowflakeWarehouse(snowflake_kwargs)
    return {
        n: int(wh.query(f"SELECT count(*) AS n FROM {WAREHOUSE_SCHEMAS[n]}.{n}")["N"][0])
        for n in NAMES
    }


def test_one_window_lands_in_lake_and_snowflake_and_reruns_identically(
    snowflake_env: dict[str, str], snowflake_kwargs: dict
) -> None:
    settings = Settings.from_env(snowflake_env)
    resources = build_resources(settings)
    assert isinstance(resources["lakehouse"].warehouse, SnowflakeWarehouseResource)
    with DagsterInstance.ephemeral() as instance:
        first = materialize(
            ASSETS, resources=resources, instance=instance, partition_key=BUSY_WINDOW
        )
        assert first.success
        counts = warehouse_counts(snowflake_kwargs)
        assert counts == lake_counts(settings)
        assert counts["reddit_posts"] == 5 and counts["coin_listings"] == 100
        assert counts["coin_mentions"] >= 1 and counts["mention_counts"] >= 1

        second = materialize(
            ASSETS,
            resources=build_resources(settings),
            instance=instance,
            partition_key=BUSY_WINDOW,
        )
        assert second.success
        assert warehouse_counts(snowflake_kwargs) == lake_counts(settings) == counts

    table = first.asset_materializations_for_node("mention_counts")[0].metadata["warehouse_table"]
    assert table.value == f"snowflake:{snowflake_kwargs['database']}.WORKING.MENTION_COUNTS"
    key_line = snowflake_env["SNOWFLAKE_PRIVATE_KEY"].splitlines()[3]
    assert key_line not in str(first.all_events) + str(second.all_events)
