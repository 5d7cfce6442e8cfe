"""A live window too old for Reddit's /new listing reads the Reddit archive instead of failing.

/new and Coinlore are a scripted server on 127.0.0.1, the archive a loopback imitation of it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from dagster import DagsterInstance, materialize

from crypto_assets.resources.history_sources import RedditArchiveResource
from crypto_assets_tests.sources.history_fake import HistoryFake, running
from crypto_assets_tests.sources.history_payloads import post_object
from crypto_assets_tests.sources.scripted_server import ScriptedServer
from crypto_assets_tests.support.pipeline import (
    ASSETS,
    NEW,
    TICKERS,
    Feed,
    coinlore_reply,
    lake_table,
    live_settings,
    resources,
)

WINDOW = datetime(2025, 10, 28, 12, 0)
KEY = f"{WINDOW:%Y-%m-%d-%H:%M}"


@pytest.fixture
def archive() -> Iterator[HistoryFake]:
    fake = HistoryFake()
    at = WINDOW.replace(tzinfo=UTC).timestamp()
    fake.add_posts(
        [
            post_object("old1", int(at) + 60, "CryptoCurrency", title="Bitcoin at dawn"),
            post_object("old2", int(at) + 420, "CryptoCurrency", title="Ethereum gas"),
            post_object("next", int(at) + 600, "CryptoCurrency"),  # the next window's
        ]
    )
    with running(fake) as served:
        yield served


def capped_listing(server: ScriptedServer) -> None:
    """/new serves its 1,000 posts, all from the day after the window: it cannot reach back."""
    feed = Feed()
    for i in range(1000):
        feed.add(f"n{i}", WINDOW + timedelta(days=1, seconds=30 * i), "newer")
    server.script("GET", NEW, feed.reply)
    server.script("GET", TICKERS, coinlore_reply(WINDOW + timedelta(days=1)))


def run_window(tmp_path: Path, server: ScriptedServer, archive: RedditArchiveResource):
    settings = live_settings(tmp_path)
    with DagsterInstance.ephemeral() as instance:
        result = materialize(
            ASSETS,
            resources=resources(settings, server) | {"reddit_archive": archive},
            instance=instance,
            partition_key=KEY,
            raise_on_error=False,
        )
    return settings, result


def test_a_window_beyond_the_listing_is_read_from_the_archive(
    tmp_path: Path, server: ScriptedServer, archive: HistoryFake
) -> None:
    capped_listing(server)
    resource = RedditArchiveResource(base_url=archive.base_url, min_interval_s=0)
    settings, result = run_window(tmp_path, server, resource)
    assert result.success
    posts = lake_table(settings, "reddit_posts")
    assert sorted(posts["post_id"]) == ["old1", "old2"]
    [materialization] = result.asset_materializations_for_node("reddit_posts")
    assert materialization.metadata["source"].value == f"archive {archive.base_url}"


def test_without_an_archive_the_window_fails_loudly_never_empty(
    tmp_path: Path, server: ScriptedServer
) -> None:
    capped_listing(server)
    settings, result = run_window(tmp_path, server, RedditArchiveResource(base_url=None))
    assert not result.success
    failure = next(e for e in result.all_events if e.is_step_failure)
    assert "ListingDepthError" in str(failure.step_failure_data.error)
    assert not (Path(settings.lake_root) / "reddit_posts").exists()
