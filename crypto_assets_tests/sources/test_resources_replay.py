"""The source resources in replay mode: requests sized to the recordings, same failure rules."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from crypto_assets.resources.sources import CoinloreResource, RedditResource
from crypto_assets.sources.coinlore import CoinloreClient
from crypto_assets.sources.errors import ListingDepthError, PayloadError
from crypto_assets.sources.http import HttpClient
from crypto_assets.sources.reddit import RedditClient
from crypto_assets.sources.replay import (
    REPLAY_CAPPED_LISTING_MIN_POSTS,
    recorded_coinlore_coin_count,
    recorded_post_times,
    replay_session,
)

OLD_WINDOW = datetime(2025, 10, 1, tzinfo=UTC)  # before the oldest recorded r/CryptoCurrency post


@pytest.mark.parametrize("top_n", [1000, 100, 30])
def test_replayed_listing_asks_for_at_most_the_recorded_coins(top_n: int) -> None:
    snapshot = CoinloreResource(source="replay", top_n=top_n).fetch_listing()

    assert len(snapshot.coins) == min(top_n, recorded_coinlore_coin_count())
    assert [coin["rank"] for coin in snapshot.coins] == list(range(1, len(snapshot.coins) + 1))


def test_the_recording_is_too_short_for_a_top_1000_request() -> None:
    # why the resource caps its request: 100 of 1000 coins is a broken listing
    with pytest.raises(PayloadError, match="got 100 coins, expected at least 900 of 1000"):
        CoinloreClient(HttpClient(replay_session(), max_retries=0)).fetch_top(1000)


def test_a_window_older_than_the_recording_fails_in_replay() -> None:
    oldest = recorded_post_times("CryptoCurrency")[0]
    resource = RedditResource(source="replay")

    with pytest.raises(ListingDepthError) as caught:
        resource.fetch_window(OLD_WINDOW, OLD_WINDOW + timedelta(minutes=10))

    assert f"oldest post is from {oldest:%Y-%m-%d %H:%M:%S} UTC" in str(caught.value)
    assert "the listing ended after 500 posts" in str(caught.value)


def test_with_the_live_rule_the_short_recording_would_look_like_a_whole_subreddit() -> None:
    # 500 recorded posts are fewer than a capped listing holds: live rules would return nothing
    client = RedditClient(HttpClient(replay_session(), max_retries=0))

    assert (
        client.fetch_window(["CryptoCurrency"], OLD_WINDOW, OLD_WINDOW + timedelta(minutes=10))
        == []
    )


def test_replay_window_older_than_the_recording_raises() -> None:
    oldest = recorded_post_times("CryptoCurrency")[0]
    client = RedditClient(
        HttpClient(replay_session(), max_retries=0),
        capped_listing_min_posts=REPLAY_CAPPED_LISTING_MIN_POSTS,
    )

    with pytest.raises(ListingDepthError) as caught:
        client.fetch_window(["CryptoCurrency"], OLD_WINDOW, OLD_WINDOW + timedelta(minutes=10))

    assert f"{oldest:%Y-%m-%d %H:%M:%S}" in str(caught.value)
