"""The Snowflake deployment on fakesnow's server: the resource, its secrets, all five assets."""

from __future__ import annotations

import logging
import traceback
from pathlib import Path

import pytest
import snowflake.connector
from dagster import DagsterInstance, EnvVar, materialize
from dagster_snowflake import SnowflakeResource

from crypto_assets.datasets import WAREHOUSE_SCHEMAS
from crypto_assets.deployment import build_resources
from crypto_assets.environment import SNOWFLAKE_VARS, Settings
from crypto_assets.resources.snowflake_warehouse import (
    SnowflakeWarehouseResource,
    snowflake_warehouse_resource,
)
from crypto_assets.storage.lake import ParquetLake
from crypto_assets.storage.snowflake_warehouse import SnowflakeWarehouse
from crypto_assets_tests.support.replay_runs import ASSETS, BUSY_WINDOW, NAMES, lake_counts
from crypto_assets_tests.support.snowflake_emulator import (
    PASSWORD,
    fakesnow_resource,
    fakesnow_warehouse,
    pem_key,
    record_statements,
)
from crypto_assets_tests.support.storage import W0, posts, write

pytestmark = pytest.mark.filterwarnings("ignore:Arrow output on a DB-API result")


@pytest.fixture(params=["stage", "put"])
def snowflake_env(
    request: pytest.FixtureRequest,
    snowflake_kwargs: dict,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> dict[str, str]:
    """A Snowflake deployment's environment pointed at fakesnow; SNOWFLAKE_* exported."""
    lake_root = str(tmp_path / "lake")
    warehouse = fakesnow_warehouse(snowflake_kwargs, lake_root)  # what Terraform creates
    env = {
        "CRYPTO_ASSETS_HOME": str(tmp_path),
        "CRYPTO_LAKE_ROOT": lake_root,
        "CRYPTO_SOURCE": "replay",
        "CRYPTO_WAREHOUSE": "snowflake",
        "SNOWFLAKE_ACCOUNT": "fakesnow",
        "SNOWFLAKE_USER": "CRYPTO_ASSETS_DAGSTER",
        "SNOWFLAKE_ROLE": "CRYPTO_ASSETS_DAGSTER",
        "SNOWFLAKE_WAREHOUSE": "CRYPTO_ASSETS",
        "SNOWFLAKE_DATABASE": snowflake_kwargs["database"],
        "SNOWFLAKE_PRIVATE_KEY": pem_key().replace("\n", "\\n"),  # a one-line .env value
        "SNOWFLAKE_HOST": snowflake_kwargs["host"],
        "SNOWFLAKE_PORT": str(snowflake_kwargs["port"]),
        "SNOWFLAKE_PROTOCOL": snowflake_kwargs["protocol"],
    }
    if request.param == "stage":
        env["SNOWFLAKE_LAKE_STAGE"] = warehouse.lake_stage or ""
    for name, value in env.items():
        if name.startswith("SNOWFLAKE_"):
            monkeypatch.setenv(name, value)  # EnvVar references resolve from the process
    return env


def warehouse_counts(snowflake_kwargs: dict) -> dict[str, int]:
    """Rows per asset table in the fakesnow database."""
    wh = fakesnow_warehouse(snowflake_kwargs)
    return {
        n: int(wh.query(f"SELECT count(*) AS n FROM {WAREHOUSE_SCHEMAS[n]}.{n}")["N"][0])
        for n in NAMES
    }


def test_one_window_lands_in_lake_and_snowflake_and_reruns_identically(
    snowflake_env: dict[str, str], snowflake_kwargs: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    statements = record_statements(monkeypatch)
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
    # COPY from the lake's stage when it is configured, else from files PUT to the table stage.
    assert statements.count("COPY") == 2 * len(NAMES)
    assert ("PUT" in statements) == ("SNOWFLAKE_LAKE_STAGE" not in snowflake_env)

    table = first.asset_materializations_for_node("mention_counts")[0].metadata["warehouse_table"]
    assert table.value == f"snowflake:{snowflake_kwargs['database']}.WORKING.MENTION_COUNTS"
    key_line = snowflake_env["SNOWFLAKE_PRIVATE_KEY"].split("\\n")[3]
    assert key_line not in str(first.all_events) + str(second.all_events)


def test_definitions_hold_env_var_references_only(monkeypatch: pytest.MonkeyPatch) -> None:
    pem = pem_key()
    for name in SNOWFLAKE_VARS:
        monkeypatch.setenv(name, {"SNOWFLAKE_PRIVATE_KEY": pem}.get(name, PASSWORD))
    resource = snowflake_warehouse_resource(SNOWFLAKE_VARS)
    snowflake = resource.snowflake
    assert isinstance(snowflake.private_key, EnvVar) and snowflake.password is None
    for value in (snowflake.account, snowflake.user, snowflake.database, snowflake.role):
        assert isinstance(value, EnvVar)
    for value in (resource.lake_stage, resource.host, resource.protocol):
        assert isinstance(value, EnvVar)
    assert PASSWORD not in repr(resource) and pem.splitlines()[3] not in repr(resource)
    fallback = snowflake_warehouse_resource(("SNOWFLAKE_ACCOUNT", "SNOWFLAKE_PASSWORD"))
    assert isinstance(fallback.snowflake.password, EnvVar) and fallback.lake_stage is None
    with pytest.raises(ValueError, match="SNOWFLAKE_PRIVATE_KEY or SNOWFLAKE_PASSWORD"):
        snowflake_warehouse_resource(("SNOWFLAKE_ACCOUNT", "SNOWFLAKE_USER"))


def test_key_pair_resource_and_secrets_stay_out_of_logs(
    snowflake_kwargs: dict, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    fakesnow_warehouse(snowflake_kwargs)  # schemas
    lake = ParquetLake(str(tmp_path / "lake"))
    pem = pem_key()
    endpoint = {k: snowflake_kwargs[k] for k in ("host", "port", "protocol")}
    resource = SnowflakeWarehouseResource(
        # A one-line .env value; SnowflakeResource on its own would refuse it.
        snowflake=SnowflakeResource(
            account="fakesnow",
            user="u",
            database=snowflake_kwargs["database"],
            private_key=pem.replace("\n", "\\n"),
        ),
        **endpoint,
    )
    with caplog.at_level(logging.DEBUG):
        write(lake, resource.open(), posts(W0, ["a"]), [W0])
        assert len(resource.query("SELECT * FROM loading.reddit_posts")) == 1
    assert any(r.name.startswith("snowflake.connector") for r in caplog.records)  # it did log
    assert pem.splitlines()[3] not in caplog.text
    database = snowflake_kwargs["database"]
    assert (
        resource.describe("LOADING", "reddit_posts") == f"snowflake:{database}.LOADING.REDDIT_POSTS"
    )


def test_secrets_never_reach_error_messages(snowflake_kwargs: dict) -> None:
    pem = pem_key()
    broken = pem.replace(pem.splitlines()[5], pem.splitlines()[5][::-1])
    bad_key_resource = fakesnow_resource(snowflake_kwargs, private_key=broken)
    with pytest.raises(ValueError, match=r"(?i)private key") as bad_key:
        SnowflakeWarehouse(bad_key_resource.get_connection).query("SELECT 1")
    wh = SnowflakeWarehouse(fakesnow_resource(snowflake_kwargs, password=PASSWORD).get_connection)
    with pytest.raises(snowflake.connector.errors.ProgrammingError) as bad_sql:
        wh.query("SELECT * FROM no_such_table")
    for error in (bad_key.value, bad_sql.value):
        text = "".join(traceback.format_exception(error)) + repr(error)
        assert PASSWORD not in text and pem.splitlines()[5] not in text
    assert PASSWORD not in repr(wh)
