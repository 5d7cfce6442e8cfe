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
        [sys.executable, "-c", "import crypto_assets.definitions"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert out.returncode != 0
    assert "ConfigurationError: CRYPTO_LAKE_ROOT is on S3 but neither AWS_REGION" in out.stderr
