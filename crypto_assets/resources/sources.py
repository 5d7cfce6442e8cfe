"""API resources: Coinlore and Reddit, live or replayed from recorded responses."""

from __future__ import annotations

from datetime import datetime

import requests
from dagster import ConfigurableResource
from pydantic import Field

from crypto_assets.sources.coinlore import (
    COINLORE_API_URL,
    COINLORE_MIN_INTERVAL_S,
    CoinloreClient,
    ListingSnapshot,
)
from crypto_assets.sources.http import HttpClient
from crypto_assets.sources.reddit import (
    REDDIT_OAUTH_URL,
    REDDIT_WWW_URL,
    RedditClient,
    RedditCredentials,
    default_user_agent,
)
from crypto_assets.sources.reddit_window import CAPPED_LISTING_MIN_POSTS
from crypto_assets.sources.replay import (
    REPLAY_CAPPED_LISTING_MIN_POSTS,
    recorded_coinlore_coin_count,
    replay_session,
)


def _session(source: str) -> requests.Session:
    # Replay mounts recorded responses under the real API hosts, so the same code path parses them.
    return replay_session() if source == "replay" else requests.Session()


class CoinloreResource(ConfigurableResource):
    """Coinlore's public tickers API (no key), paged 100 coins at a time."""

    source: str = Field(default="live", description="`live` or `replay`")
    base_url: str = COINLORE_API_URL
    top_n: int = Field(default=1000, description="How many top coins to list")
    min_interval_s: float = Field(
        default=COINLORE_MIN_INTERVAL_S, description="Pause between requests (politeness)"
    )
    max_retries: int = 5

    def fetch_listing(self) -> ListingSnapshot:
        """The current top-N listing with its real `as_of` time.

        In replay mode at most as many coins as the recording holds are requested (its 100, not
        the default 1000): a listing far shorter than requested is an error, live or replayed.
        """
        http = HttpClient(
            session=_session(self.source),
            user_agent=default_user_agent(None),
            min_interval_s=0.0 if self.source == "replay" else self.min_interval_s,
            max_retries=self.max_retries,
        )
        return CoinloreClient(http, base_url=self.base_url).fetch_top(self.requested_coins())

    def requested_coins(self) -> int:
        """How many coins a listing asks for: top_n, capped at the recording's size in replay."""
        if self.source == "replay":
            return min(self.top_n, recorded_coinlore_coin_count())
        return self.top_n


class RedditResource(ConfigurableResource):
    """Reddit's /new listings: OAuth script app when credentials are set, else public JSON."""

    source: str = Field(default="live", description="`live` or `replay`")
    subreddits: list[str] = Field(default=["CryptoCurrency"])
    client_id: str | None = None
    client_secret: str | None = None
    username: str | None = None
    password: str | None = None
    www_url: str = REDDIT_WWW_URL
    oauth_url: str = REDDIT_OAUTH_URL
    max_retries: int = 5

    def _credentials(self) -> RedditCredentials | None:
        values = (self.client_id, self.client_secret, self.username, self.password)
        return RedditCredentials(*values) if all(values) else None  # type: ignore[arg-type]

    def fetch_window(self, start: datetime, end: datetime) -> list[dict]:
        """Posts created in [start, end) across the configured subreddits."""
        return self.fetch_window_with_depth(start, end)[0]

    def fetch_window_with_depth(
        self, start: datetime, end: datetime
    ) -> tuple[list[dict], dict[str, int]]:
        """Posts created in [start, end), and per subreddit how many listing posts it took.

        In replay mode a recorded listing that runs out counts as cut off by Reddit's cap (the
        recording is a sample), so a window older than the recording fails as it would live.
        """
        http = HttpClient(
            session=_session(self.source),
            user_agent=default_user_agent(self.username),
            max_retries=self.max_retries,
        )
        replay = self.source == "replay"
        client = RedditClient(
            http,
            self._credentials(),
            www_url=self.www_url,
            oauth_url=self.oauth_url,
            capped_listing_min_posts=(
                REPLAY_CAPPED_LISTING_MIN_POSTS if replay else CAPPED_LISTING_MIN_POSTS
            ),
        )
        posts = client.fetch_window(self.subreddits, start, end)
        return posts, dict(client.posts_seen)

    @property
    def authenticated(self) -> bool:
        """Whether OAuth credentials are configured."""
        return self._credentials() is not None
