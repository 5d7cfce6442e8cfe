"""The configuration contract: defaults, overrides, and errors that name the variable."""

from __future__ import annotations

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
    assert s.partitions_start == "2025-10-01"
    assert not s.reddit_credentials_set


def test_overrides(tmp_path: Path) -> None:
    s = Settings.from_env(
        {
            "CRYPTO_ASSETS_HOME": str(tmp_path),
            "CRYPTO_SOURCE": "REPLAY",
            "CRYPTO_LAKE_ROOT": "s3://bucket/prefix",
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
