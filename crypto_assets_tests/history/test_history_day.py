"""A history day end to end: archive posts and kline prices from a loopback imitation of both
APIs (real May 2022 recordings), through the history assets into the same lake and warehouse."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pandas as pd
import pytest
from dagster import AssetKey, DagsterInstance, materialize

from crypto_assets.definitions import build_definitions
from crypto_assets.environment import Settings
from crypto_assets.history.days import kline_price_source
from crypto_assets.history.universe import universe_rows
from crypto_assets.resources.history_sources import PriceHistoryResource, RedditArchiveResource
from crypto_assets.sources.klines import KLINES_PATH
from crypto_assets.sources.reddit_archive import SEARCH_PATH as POSTS_PATH
from crypto_assets.storage.duckdb_warehouse import DuckDBWarehouse
from crypto_assets_tests.sources.history_fake import HistoryFake, running
from crypto_assets_tests.sources.history_payloads import read_posts, recorded_fake
from crypto_assets_tests.sources.scripted_server import Reply

DAY = "2022-05-13"
TERRA_CLASSIC = "48537"
HISTORY = ["coin_listings", "reddit_posts", "sentiment_scores", "coin_mentions", "mention_counts"]


@pytest.fixture
def fake() -> Iterator[HistoryFake]:
    recorded = recorded_fake()
    # Every pair of the universe is listed; only the recorded ones have candles.
    recorded.symbols |= {row.binance_pair for row in universe_rows() if row.binance_pair}
    with running(recorded) as served:
        yield served


def history_settings(home: Path, fake: HistoryFake, **extra: str) -> Settings:
    """Live settings whose archive and kline APIs are the loopback fake."""
    env = {
        "CRYPTO_ASSETS_HOME": str(home),
        "CRYPTO_SOURCE": "live",
        "CRYPTO_PARTITIONS_START": "2025-10-01",
        "CRYPTO_HISTORY_SUBREDDITS": "CryptoMarkets,dogecoin",
        "CRYPTO_REDDIT_ARCHIVE_URL": fake.base_url,
        "CRYPTO_PRICE_HISTORY_URL": fake.base_url,
    }
    return Settings.from_env(env | extra)


def materialize_day(settings: Settings, day: str = DAY, *, must_succeed: bool = True):
    """Run the history group for one day in process (by default it must succeed)."""
    defs = build_definitions(settings)
    keys = [AssetKey(["history", name]) for name in HISTORY]
    assets = [a for a in defs.assets or [] if set(a.keys) & set(keys)]  # type: ignore[union-attr]
    resources = dict(defs.resources or {})
    # No request pacing against the loopback fake; otherwise the resources the settings build.
    archive, prices = resources["reddit_archive"], resources["price_history"]
    resources["reddit_archive"] = RedditArchiveResource(
        subreddits=archive.subreddits, base_url=archive.base_url, min_interval_s=0
    )
    resources["price_history"] = PriceHistoryResource(base_url=prices.base_url, min_interval_s=0)
    with DagsterInstance.ephemeral() as instance:
        result = materialize(
            assets,
            resources=resources,
            instance=instance,
            partition_key=day,
            raise_on_error=False,
        )
    assert result.success or not must_succeed
    return result


def warehouse(settings: Settings, sql: str) -> pd.DataFrame:
    return DuckDBWarehouse(settings.duckdb_path).query(sql)


def test_a_history_day_fills_its_144_windows_of_the_live_datasets(
    tmp_path: Path, fake: HistoryFake
) -> None:
    settings = history_settings(tmp_path, fake)
    result = materialize_day(settings)
    recorded = {
        p["id"] for p in read_posts("CryptoMarkets_2022-05-13") + read_posts("dogecoin_2022-05-13")
    }
    posts = warehouse(settings, "SELECT post_id, window_start FROM LOADING.reddit_posts")
    assert set(posts["post_id"]) == recorded
    assert posts["window_start"].dt.date.astype(str).eq(DAY).all()
    # The same lake folders as the live assets: 144 windows, empty ones written too.
    folders = sorted((Path(settings.lake_root) / "mention_counts").iterdir())
    assert len(folders) == 144 and folders[0].name == "timestamp=2022-05-13T00:00:00.000Z"
    # LUNA means Terra on its last day on Binance: priced from LUNAUSDT's candles until 00:40.
    luna = warehouse(
        settings,
        f"SELECT window_start, symbol, price_usd, price_source FROM LOADING.coin_listings "
        f"WHERE coin_id = '{TERRA_CLASSIC}' ORDER BY window_start",
    )
    assert list(luna["symbol"].unique()) == ["LUNA"]
    priced = luna.dropna(subset=["price_usd"])
    assert list(priced["window_start"]) == [datetime(2022, 5, 13, 0, m) for m in (0, 10, 20, 30)]
    assert set(priced["price_source"]) == {kline_price_source("LUNAUSDT")}
    assert luna["price_source"].iloc[4:].isna().all()  # no candles after the delisting: null
    counts = warehouse(settings, "SELECT * FROM WORKING.mention_counts")
    assert "LUNA" in set(counts["symbol"])
    metadata = result.asset_materializations_for_node("history__mention_counts")[0].metadata
    assert metadata["posts"].value == len(recorded)
    assert metadata["total_mentions"].value == counts["mentions"].sum()


def test_rerunning_a_day_only_adds_posts(tmp_path: Path, fake: HistoryFake) -> None:
    settings = history_settings(tmp_path, fake)
    materialize_day(settings)
    before = warehouse(settings, "SELECT count(*) AS n FROM LOADING.reddit_posts")["n"][0]
    fake.posts.clear()  # the archive answers nothing now (an outage returning empty pages)
    materialize_day(settings)
    after = warehouse(settings, "SELECT count(*) AS n FROM LOADING.reddit_posts")["n"][0]
    assert before > 0 and after == before


def test_a_symbol_without_candles_is_a_null_price_not_a_failed_day(
    tmp_path: Path, fake: HistoryFake
) -> None:
    settings = history_settings(tmp_path, fake)
    result = materialize_day(settings)
    [check] = [
        c for c in result.get_asset_check_evaluations() if c.check_name == "pairs_have_candles"
    ]
    assert not check.passed  # USTUSDT is listed but has no recorded candle: the check names it
    ust = warehouse(
        settings,
        "SELECT price_usd FROM LOADING.coin_listings WHERE symbol = 'UST'",
    )
    assert len(ust) == 144 and ust["price_usd"].isna().all()


def test_an_empty_day_writes_its_empty_windows_and_warns(tmp_path: Path, fake: HistoryFake) -> None:
    settings = history_settings(tmp_path, fake)
    result = materialize_day(settings, "2022-05-20")  # nothing archived that day
    folders = list((Path(settings.lake_root) / "reddit_posts").iterdir())
    assert len(folders) == 144  # stored as empty windows: the day is known to be empty
    [check] = [
        c for c in result.get_asset_check_evaluations() if c.check_name == "archive_has_posts"
    ]
    assert not check.passed


def test_a_malformed_archive_page_fails_the_day_naming_the_field(
    tmp_path: Path, fake: HistoryFake
) -> None:
    settings = history_settings(tmp_path, fake)
    fake.fail(POSTS_PATH, 1, Reply({"data": [{"id": "x1", "created_utc": 1652400100}]}))
    result = materialize_day(settings, must_succeed=False)
    assert not result.success
    failure = next(e for e in result.all_events if e.is_step_failure)
    assert "data[0].subreddit: missing" in str(failure.step_failure_data.error)
    assert not (Path(settings.lake_root) / "reddit_posts").exists()  # nothing half-written


def test_a_429_with_retry_after_is_waited_out(tmp_path: Path, fake: HistoryFake) -> None:
    settings = history_settings(tmp_path, fake)
    fake.fail(KLINES_PATH, 1, Reply({"code": -1003}, status=429, headers={"Retry-After": "1"}))
    fake.fail(POSTS_PATH, 2, Reply({"error": "upstream"}, status=502))
    materialize_day(settings)  # succeeds: both requests are retried
    luna = warehouse(settings, "SELECT count(price_usd) AS n FROM LOADING.coin_listings")
    assert luna["n"][0] > 0


def test_a_live_listing_captured_that_day_extends_the_days_universe(
    tmp_path: Path, fake: HistoryFake
) -> None:
    """A window the live graph captured keeps its listing, and the day's other windows list
    its coins: a coin the shipped universe lacks joins, one the listing dropped leaves."""
    from crypto_assets.datasets import to_arrow
    from crypto_assets.datasets.tables import empty_frame
    from crypto_assets.storage.lake import ParquetLake

    settings = history_settings(tmp_path, fake)
    captured_at = datetime(2022, 5, 13, 12, 0)
    coins = [("90", "BTC", "Bitcoin", "bitcoin", 1), ("999999", "NEWC", "New Coin", "new-coin", 2)]
    rows = pd.DataFrame(
        [
            {
                "window_start": captured_at,
                "coin_id": coin_id,
                "symbol": symbol,
                "name": name,
                "nameid": nameid,
                "rank": rank,
                "price_usd": 30000.0 if symbol == "BTC" else 1.0,
                "as_of": captured_at,
                "prices_captured": True,
                "price_source": "coinlore",
            }
            for coin_id, symbol, name, nameid, rank in coins
        ]
    )
    live = pd.concat([empty_frame("coin_listings"), rows])
    ParquetLake(settings.lake_root).write_window(
        ["coin_listings"], captured_at, to_arrow("coin_listings", live)
    )
    result = materialize_day(settings)
    listings = warehouse(
        settings, "SELECT window_start, symbol, price_source FROM LOADING.coin_listings"
    )
    at_noon = listings[listings["window_start"] == captured_at]
    assert sorted(at_noon["symbol"]) == ["BTC", "NEWC"]
    assert set(at_noon["price_source"]) == {"coinlore"}  # the captured listing is kept as it is
    others = listings[listings["window_start"] != captured_at]
    assert others["window_start"].nunique() == 143
    assert set(others["symbol"]) == {"BTC", "NEWC"}  # LUNA, ETH, ... left with the live listing
    new_coin = others[others["symbol"] == "NEWC"]
    assert new_coin["price_source"].isna().all()  # no Binance pair known: listed, unpriced
    # BTC keeps the shipped universe's pair: priced from BTCUSDT wherever the recording has candles.
    btc = others.loc[others["symbol"] == "BTC", "price_source"].dropna()
    assert len(btc) > 0 and set(btc) == {kline_price_source("BTCUSDT")}
    metadata = result.asset_materializations_for_node("history__coin_listings")[0].metadata
    assert metadata["days_extended_by_live_listings"].value == 1
