"""The configuration contract: defaults, overrides, and errors that name the variable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from crypto_assets.environment import PROJECT_ROOT, ConfigurationError, Settings


def test_defaults_match_the_design_contract() -> None:
    s = Settings.from_env({})
    assert s.home == PROJECT_ROOT / ".crypto_assets"
    assert s.source == "live"
    assert s.lake_root == str(PROJECT_ROOT / ".crypto_assets" / "lake")
    assert s.warehouse == "duckdb"
    assert s.duckdb_path == PROJECT_ROOT / ".crypto_assets" / "warehouse.duckdb"
    assert s.alerts_sns_topic_arn is None
    assert s.alerts_outbox == PROJECT_ROOT / ".crypto_assets" / "alerts.jsonl"
    assert s.subreddits == ("CryptoCurrency",)
    assert s.top_n_coins == 1000
    assert s.partitions_start is None  # the default span: see crypto_assets.partitions
    assert not s.reddit_credentials_set


def test_overrides(tmp_path: Path) -> None:
    s = Settings.from_env(
        {
            "CRYPTO_ASSETS_HOME": str(tmp_path),
            "CRYPTO_SOURCE": "REPLAY",
            "CRYPTO_LAKE_ROOT": "s3://bucket/prefix",
            "AWS_REGION": "eu-central-1",
            "CRYPTO_SUBREDDITS": "CryptoCurrency, Bitcoin ,solana",
            "CRYPTO_TOP_N_COINS": "250",
            "CRYPTO_PARTITIONS_START": "2026-01-01T00:00",
            "REDDIT_CLIENT_ID": "id",
            "REDDIT_CLIENT_SECRET": "secret",
            "REDDIT_USERNAME": "u",
            "REDDIT_PASSWORD": "p",
        }
    )
    assert s.source == "replay"
    assert s.lake_root == "s3://bucket/prefix"
    assert s.duckdb_path == tmp_path / "warehouse.duckdb"
    assert s.subreddits == ("CryptoCurrency", "Bitcoin", "solana")
    assert s.top_n_coins == 250
    assert s.reddit_credentials_set
    assert s.aws_region == "eu-central-1"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("CRYPTO_SOURCE", "recorded"),
        ("CRYPTO_WAREHOUSE", "postgres"),
        ("CRYPTO_TOP_N_COINS", "-5"),
        ("CRYPTO_TOP_N_COINS", "lots"),
        ("CRYPTO_PARTITIONS_START", "yesterday"),
        ("CRYPTO_SUBREDDITS", "CryptoCurrency,,Bitcoin"),
    ],
)
def test_bad_values_name_their_variable(name: str, value: str) -> None:
    with pytest.raises(ConfigurationError, match=name):
        Settings.from_env({name: value})


@pytest.mark.parametrize(
    ("env", "message"),
    [
        (
            {"REDDIT_CLIENT_ID": "id", "REDDIT_CLIENT_SECRET": "s3cr3t"},
            r"REDDIT_USERNAME, REDDIT_PASSWORD not set \(REDDIT_CLIENT_ID, REDDIT_CLIENT_SECRET set",
        ),
        ({"REDDIT_PASSWORD": "pw"}, "REDDIT_CLIENT_ID, REDDIT_CLIENT_SECRET, REDDIT_USERNAME"),
        (
            {"CRYPTO_PARTITIONS_START": "2025-10-01T00:00+02:00"},
            "CRYPTO_PARTITIONS_START: .* time zone",
        ),
        ({"CRYPTO_PARTITIONS_START": "2025-10-01T00:00Z"}, "CRYPTO_PARTITIONS_START: .* time zone"),
        ({"CRYPTO_PARTITIONS_START": "2025-10-01T00:05"}, "CRYPTO_PARTITIONS_START: .* 10-minute"),
        ({"CRYPTO_LAKE_ROOT": "s3://crypto-lake/x"}, "neither AWS_REGION nor AWS_DEFAULT_REGION"),
        ({"CRYPTO_LAKE_ROOT": "s3:///x", "AWS_REGION": "eu-west-1"}, "CRYPTO_LAKE_ROOT: .* bucket"),
        ({"CRYPTO_LAKE_ROOT": "gs://bucket/x"}, "CRYPTO_LAKE_ROOT: expected a folder or s3://"),
        ({"CRYPTO_SETTLE_MINUTES": "12"}, "CRYPTO_SETTLE_MINUTES: expected 0 to 9"),
        ({"CRYPTO_RECHECK_WINDOWS": "0"}, "CRYPTO_RECHECK_WINDOWS: expected a positive integer"),
    ],
)
def test_misconfiguration_fails_at_load_naming_the_variable(
    env: dict[str, str], message: str
) -> None:
    with pytest.raises(ConfigurationError, match=message) as error:
        Settings.from_env(env)
    assert "s3cr3t" not in str(error.value) and "pw" not in str(error.value).split()


def test_an_s3_lake_takes_its_region_from_aws_default_region() -> None:
    s = Settings.from_env(
        {"CRYPTO_LAKE_ROOT": "s3://lake-bucket/p", "AWS_DEFAULT_REGION": "us-west-2"}
    )
    assert s.aws_region == "us-west-2"


def test_misconfiguration_stops_the_code_location_from_loading(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CRYPTO_", "REDDIT_", "AWS_"))}
    env |= {"CRYPTO_ASSETS_HOME": str(tmp_path), "CRYPTO_LAKE_ROOT": "s3://crypto-lake/lake"}
    out = subprocess.run(
        [sys.executable, "-c", "from crypto_assets.definitions import defs; defs()"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert out.returncode != 0
    assert "ConfigurationError: CRYPTO_LAKE_ROOT is on S3 but neither AWS_REGION" in out.stderr


@pytest.fixture
def rules_file(tmp_path: Path) -> Path:
    path = tmp_path / "rules.yaml"
    path.write_text("rules:\n  mention_spike:\n    factor: lots\n")
    return path


def bad_lake_roots(tmp_path: Path) -> list[tuple[dict[str, str], str]]:
    a_file = tmp_path / "lake-file"
    a_file.write_text("not a folder")
    return [
        ({"CRYPTO_LAKE_ROOT": "s3:/my-bucket/lake"}, "CRYPTO_LAKE_ROOT: expected a folder or s3"),
        ({"CRYPTO_LAKE_ROOT": "S3://my-bucket/lake"}, "CRYPTO_LAKE_ROOT: expected a folder or s3"),
        ({"CRYPTO_LAKE_ROOT": str(a_file)}, "CRYPTO_LAKE_ROOT: .* is a file"),
        ({"CRYPTO_LAKE_ROOT": str(a_file / "lake")}, "CRYPTO_LAKE_ROOT: .* is a file"),
        ({"CRYPTO_LAKE_ROOT": "/proc/lake"}, "CRYPTO_LAKE_ROOT: .* proc filesystem"),
    ]


def test_configuration_typos_that_used_to_pass_fail_naming_the_variable(
    tmp_path: Path, rules_file: Path
) -> None:
    cases = [
        *bad_lake_roots(tmp_path),
        ({"AWS_REGION": "us east 1"}, "AWS_REGION: 'us east 1' is not an AWS region"),
        ({"AWS_REGION": "us-easst-1"}, "AWS_REGION: 'us-easst-1' is not an AWS region"),
        ({"CRYPTO_PARTITIONS_START": "1999-05-01"}, "CRYPTO_PARTITIONS_START: .* typo in the year"),
        ({"CRYPTO_PARTITIONS_START": "2031-05-01"}, "CRYPTO_PARTITIONS_START: .* typo in the year"),
        ({"CRYPTO_ALERT_RULES": str(tmp_path / "nope.yaml")}, "CRYPTO_ALERT_RULES: .*cannot read"),
        ({"CRYPTO_ALERT_RULES": str(rules_file)}, r"CRYPTO_ALERT_RULES: .*rules.yaml:3"),
        ({"CRYPTO_ALERTS_SNS_TOPIC_ARN": "arn:aws:sns:us-east-1:alerts"}, "SNS_TOPIC_ARN"),
        ({"CRYPTO_COINLORE_URL": "api.coinlore.net"}, "CRYPTO_COINLORE_URL: expected an http"),
        ({"CRYPTO_REDDIT_URL": "https//www.reddit.com"}, "CRYPTO_REDDIT_URL: expected an http"),
        ({"CRYPTO_REDDIT_OAUTH_URL": "ftp://x"}, "CRYPTO_REDDIT_OAUTH_URL: expected an http"),
    ]
    for env, message in cases:
        with pytest.raises(ConfigurationError, match=message):
            Settings.from_env({"CRYPTO_ASSETS_HOME": str(tmp_path), **env})


@pytest.mark.parametrize(
    "env",
    [
        {"AWS_REGION": "eu-central-1"},
        {"AWS_REGION": "cn-north-1"},
        {"AWS_REGION": "us-gov-west-1"},
        {"AWS_REGION": "local-1", "AWS_ENDPOINT_URL": "http://127.0.0.1:9000"},
        {"CRYPTO_PARTITIONS_START": "2021-01-01"},
        {"CRYPTO_ALERTS_SNS_TOPIC_ARN": "arn:aws:sns:eu-west-1:123456789012:crypto-alerts"},
        {"CRYPTO_COINLORE_URL": "http://127.0.0.1:8080/"},
    ],
)
def test_good_values_still_load(tmp_path: Path, env: dict[str, str]) -> None:
    Settings.from_env({"CRYPTO_ASSETS_HOME": str(tmp_path), **env})


def test_source_urls_reach_the_resources(tmp_path: Path) -> None:
    from crypto_assets.deployment import build_resources

    settings = Settings.from_env(
        {
            "CRYPTO_ASSETS_HOME": str(tmp_path),
            "CRYPTO_COINLORE_URL": "http://127.0.0.1:8080/",
            "CRYPTO_REDDIT_URL": "http://127.0.0.1:8081",
            "CRYPTO_REDDIT_OAUTH_URL": "http://127.0.0.1:8082",
        }
    )
    resources = build_resources(settings)
    assert resources["coinlore"].base_url == "http://127.0.0.1:8080/api"
    assert (resources["reddit"].www_url, resources["reddit"].oauth_url) == (
        "http://127.0.0.1:8081",
        "http://127.0.0.1:8082",
    )


def test_an_explicit_mapping_is_all_that_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRYPTO_SOURCE", "recorded")
    assert Settings.from_env({}).source == "live"
    with pytest.raises(ConfigurationError, match="CRYPTO_SOURCE: expected one of live, replay"):
        Settings.from_env()  # None: os.environ


def test_importing_reads_no_environment() -> None:
    env = os.environ | {"CRYPTO_SOURCE": "recorded", "CRYPTO_TOP_N_COINS": "lots"}
    code = "import crypto_assets.environment, crypto_assets.definitions"
    subprocess.run([sys.executable, "-c", code], env=env, check=True)


def test_settings_are_frozen_and_hashable(tmp_path: Path) -> None:
    env = {"CRYPTO_ASSETS_HOME": str(tmp_path), "CRYPTO_SUBREDDITS": "a,b"}
    settings = Settings.from_env(env)
    assert hash(settings) == hash(Settings.from_env(env))
    with pytest.raises(ValueError, match="frozen"):
        settings.source = "replay"  # type: ignore[misc]
    assert settings.model_copy(update={"source": "replay"}).source == "replay"


def test_secrets_are_known_as_set_never_kept() -> None:
    secrets = {"REDDIT_CLIENT_ID": "id-1", "REDDIT_CLIENT_SECRET": "s3cr3t"}
    secrets |= {"REDDIT_USERNAME": "user-1", "REDDIT_PASSWORD": "pw-1"}
    secrets |= {"SNOWFLAKE_PASSWORD": "sf-pw", "DAGSTER_PG_PASSWORD": "pg-pw"}
    settings = Settings.from_env(secrets)
    assert settings.reddit_credentials_set
    assert settings.snowflake_vars_set == ("SNOWFLAKE_PASSWORD",)
    shown = f"{settings!r} {settings.model_dump()}"
    assert not any(value in shown for value in secrets.values())


def test_blank_means_unset_but_a_blank_postgres_variable_is_set() -> None:
    blank = {"CRYPTO_SOURCE": "  ", "CRYPTO_TOP_N_COINS": "", "REDDIT_CLIENT_ID": " "}
    settings = Settings.from_env(blank | {"DAGSTER_PG_PASSWORD": ""})
    assert (settings.source, settings.top_n_coins) == ("live", 1000)
    assert not settings.reddit_credentials_set
    assert settings.postgres_vars_set == ("DAGSTER_PG_PASSWORD",)  # the instance file reads it


@pytest.mark.parametrize(
    ("env", "region"),
    [
        ({"AWS_REGION": "eu-west-1", "AWS_DEFAULT_REGION": "us-west-2"}, "eu-west-1"),
        ({"AWS_REGION": " ", "AWS_DEFAULT_REGION": "us-west-2"}, "us-west-2"),
        ({"AWS_REGION": " eu-west-1 "}, "eu-west-1"),
    ],
)
def test_aws_region_comes_before_aws_default_region(env: dict[str, str], region: str) -> None:
    assert Settings.from_env(env).aws_region == region


def test_the_check_command_reports_the_variable(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CRYPTO_", "AWS_"))}
    env |= {"CRYPTO_ASSETS_HOME": str(tmp_path), "CRYPTO_SETTLE_MINUTES": "12"}
    command = [sys.executable, "-m", "crypto_assets.environment"]
    out = subprocess.run(command, env=env, capture_output=True, text=True)
    assert out.returncode == 1
    assert "configuration error: CRYPTO_SETTLE_MINUTES: expected 0 to 9" in out.stderr
    out = subprocess.run(command, env=env | {"CRYPTO_SETTLE_MINUTES": "3"}, capture_output=True)
    assert out.returncode == 0 and b"source live" in out.stdout
