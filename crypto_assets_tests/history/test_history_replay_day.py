"""Replay mode offers the recorded history days: Terra's collapse from the shipped recordings."""

from __future__ import annotations

from pathlib import Path

from dagster import AssetKey, DagsterInstance, materialize

from crypto_assets.definitions import build_definitions
from crypto_assets.environment import Settings
from crypto_assets.sources.history_replay import REPLAY_HISTORY_DAYS
from crypto_assets.storage.duckdb_warehouse import DuckDBWarehouse
from crypto_assets_tests.support.definitions import history_assets, live_assets

SUBREDDITS = "Bitcoin,CryptoMarkets,dogecoin"


def test_replay_materializes_a_recorded_day_with_posts_prices_and_mentions(tmp_path: Path) -> None:
    settings = Settings.from_env(
        {
            "CRYPTO_ASSETS_HOME": str(tmp_path),
            "CRYPTO_SOURCE": "replay",
            "CRYPTO_HISTORY_SUBREDDITS": SUBREDDITS,
        }
    )
    defs = build_definitions(settings)
    day = REPLAY_HISTORY_DAYS[0].isoformat()  # 2022-05-08, the day before LUNA's collapse
    with DagsterInstance.ephemeral() as instance:
        result = materialize(
            history_assets(defs),
            resources=dict(defs.resources or {}),
            instance=instance,
            partition_key=day,
        )
    assert result.success
    warehouse = DuckDBWarehouse(settings.duckdb_path)
    posts = warehouse.query("SELECT subreddit, count(*) AS n FROM LOADING.reddit_posts GROUP BY 1")
    assert set(posts["subreddit"]) == set(SUBREDDITS.split(","))
    luna = warehouse.query(
        "SELECT price_usd FROM LOADING.coin_listings WHERE symbol = 'LUNA' AND price_usd IS NOT NULL"
    )
    # Every window of the day is priced from LUNAUSDT's candles, at Terra's pre-collapse level.
    assert len(luna) == 144 and luna["price_usd"].between(40, 100).all()
    btc = warehouse.query(
        "SELECT count(*) AS n FROM WORKING.mention_counts WHERE symbol = 'BTC' AND price_usd > 0"
    )
    assert btc["n"][0] > 0
    # The live graph is untouched: its windows are other days, its assets another partitioning.
    days = defs.resolve_assets_def(AssetKey(["history", "reddit_posts"])).partitions_def
    assert all(a.partitions_def != days for a in live_assets(defs))
