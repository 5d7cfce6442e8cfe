"""Runs of the whole pipeline against scripted Coinlore and Reddit servers on 127.0.0.1."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
from dagster import DagsterInstance, ExecuteInProcessResult, materialize

from crypto_assets.deployment import build_resources
from crypto_assets.environment import Settings
from crypto_assets.resources.sources import CoinloreResource, RedditResource
from crypto_assets.sources.replay import COINLORE_RECORDING, recording_bytes
from crypto_assets.storage.duckdb_warehouse import DuckDBWarehouse
from crypto_assets_tests.sources.reddit_payloads import paged_listing, post_child
from crypto_assets_tests.sources.scripted_server import Reply, ScriptedServer
from crypto_assets_tests.support.definitions import live_assets, replay_definitions

defs = replay_definitions()

ASSETS = live_assets(defs)
TICKERS = "/api/tickers/"
NEW = "/r/CryptoCurrency/new.json"


def coinlore_reply(taken_at: datetime, price_factor: float = 1.0) -> Reply:
    """The recorded top-100 listing, re-timed to `taken_at` and with prices scaled."""
    body = copy.deepcopy(json.loads(recording_bytes(COINLORE_RECORDING)))
    body["info"]["time"] = int(taken_at.replace(tzinfo=UTC).timestamp())
    for coin in body["data"]:
        coin["price_usd"] = str(float(coin["price_usd"]) * price_factor)
    return Reply(body)


class Feed:
    """Reddit's /new for one subreddit: posts can be added, changed or taken away."""

    def __init__(self) -> None:
        self.children: list[dict] = []

    def add(self, post_id: str, created: datetime, title: str, **fields: object) -> None:
        """List a post (newest first, as /new does)."""
        child = post_child(post_id, created.replace(tzinfo=UTC))
        child["data"].update(title=title, **fields)
        self.children.append(child)
        self.children.sort(key=lambda c: -c["data"]["created_utc"])

    def remove(self, post_id: str) -> None:
        """The post is no longer listed (removed at the source)."""
        self.children = [c for c in self.children if c["data"]["id"] != post_id]

    def reply(self, request):
        """The server script answering /new from the current posts."""
        return paged_listing(self.children)(request)


def live_settings(home: Path) -> Settings:
    """Live-mode settings with all state under `home`."""
    return Settings.from_env({"CRYPTO_ASSETS_HOME": str(home), "CRYPTO_SOURCE": "live"})


def resources(settings: Settings, server: ScriptedServer) -> dict:
    """The deployment's resources with both APIs aimed at the local server."""
    return build_resources(settings) | {
        "coinlore": CoinloreResource(base_url=server.url("/api"), top_n=100, min_interval_s=0),
        "reddit": RedditResource(www_url=server.url(), max_retries=1),
    }


def run_range(
    settings: Settings, server: ScriptedServer, first: datetime, last: datetime
) -> ExecuteInProcessResult:
    """Materialize every asset for the windows first..last in one run; it must succeed."""
    tags = {
        "dagster/asset_partition_range_start": f"{first:%Y-%m-%d-%H:%M}",
        "dagster/asset_partition_range_end": f"{last:%Y-%m-%d-%H:%M}",
    }
    with DagsterInstance.ephemeral() as instance:
        result = materialize(
            ASSETS, resources=resources(settings, server), instance=instance, tags=tags
        )
    assert result.success
    return result


def listing_file(settings: Settings, window: datetime) -> Path:
    """The lake file of a window's coin listing."""
    return (
        Path(settings.lake_root)
        / "coin_listings"
        / f"{window:timestamp=%Y-%m-%dT%H:%M:%S.000Z}"
        / "part-0.parquet"
    )


def warehouse(settings: Settings, sql: str) -> pd.DataFrame:
    """A query on the DuckDB warehouse."""
    return DuckDBWarehouse(settings.duckdb_path).query(sql)


def lake_table(settings: Settings, asset: str) -> pd.DataFrame:
    """Every lake row of an asset (all windows)."""
    files = sorted((Path(settings.lake_root) / asset).rglob("*.parquet"))
    frames = [pd.read_parquet(f) for f in files]
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
