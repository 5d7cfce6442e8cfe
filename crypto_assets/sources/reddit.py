"""Reddit client: script-app OAuth (or public JSON), rate-limit aware paging of /r/{sub}/new."""

from __future__ import annotations

import logging
import math
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import requests

from crypto_assets.sources.errors import ListingDepthError, SourceUnavailableError
from crypto_assets.sources.http import DEFAULT_USER_AGENT, HttpClient
from crypto_assets.sources.reddit_auth import BearerTokenSource, RedditCredentials
from crypto_assets.sources.reddit_listing import ListingPage, parse_listing

logger = logging.getLogger(__name__)

REDDIT_WWW_URL = "https://www.reddit.com"
REDDIT_OAUTH_URL = "https://oauth.reddit.com"
# Reddit's rate-limit period is 10 minutes, so a reset never needs a longer wait than that.
MAX_RATELIMIT_WAIT_S = 600.0
_SUBREDDIT_RE = re.compile(r"[A-Za-z0-9_]+")


def default_user_agent(username: str | None) -> str:
    """A descriptive User-Agent in Reddit's requested form, e.g. python:crypto_assets:0.1.0 (by /u/x)."""
    return f"{DEFAULT_USER_AGENT} (by /u/{username})" if username else DEFAULT_USER_AGENT


def _header_float(response: requests.Response, name: str) -> float | None:
    try:
        value = float(response.headers.get(name, ""))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _subreddit_name(subreddit: str) -> str:
    name = subreddit.strip().removeprefix("/").removeprefix("r/")
    if not _SUBREDDIT_RE.fullmatch(name):
        raise ValueError(f"not a subreddit name: {subreddit!r}")
    return name


class RedditClient:
    """Fetches the posts created inside a time window from subreddits' /new listings."""

    def __init__(
        self,
        http: HttpClient,
        credentials: RedditCredentials | None = None,
        www_url: str = REDDIT_WWW_URL,
        oauth_url: str = REDDIT_OAUTH_URL,
        page_limit: int = 100,
        max_pages: int = 12,
        *,
        max_ratelimit_wait_s: float = MAX_RATELIMIT_WAIT_S,
    ) -> None:
        if page_limit < 1 or max_pages < 1:
            raise ValueError("page_limit and max_pages must be at least 1")
        self.http = http
        self.credentials = credentials
        self.www_url = www_url.rstrip("/")
        self.oauth_url = oauth_url.rstrip("/")
        self.page_limit = page_limit
        self.max_pages = max_pages
        self.max_ratelimit_wait_s = max_ratelimit_wait_s
        self._tokens = (
            BearerTokenSource(http, credentials, self.www_url) if credentials is not None else None
        )

    def _oauth_get(
        self, tokens: BearerTokenSource, url: str, params: dict[str, Any]
    ) -> requests.Response:
        try:
            return self.http.request(
                "GET", url, params=params, headers=tokens.authorization_header()
            )
        except SourceUnavailableError as exc:
            if exc.status != 401:
                raise
        logger.info("reddit: bearer token rejected with HTTP 401; fetching a new token once")
        tokens.invalidate()
        return self.http.request("GET", url, params=params, headers=tokens.authorization_header())

    def _respect_rate_limit(self, response: requests.Response) -> None:
        remaining = _header_float(response, "X-Ratelimit-Remaining")
        reset = _header_float(response, "X-Ratelimit-Reset")
        if remaining is not None and reset is not None and remaining < 1:
            wait_s = min(max(reset, 0.0), self.max_ratelimit_wait_s)
            logger.warning("reddit: rate limit used up; waiting %.0fs for it to reset", wait_s)
            self.http.defer(wait_s)

    def fetch_new_page(self, subreddit: str, after: str | None = None) -> ListingPage:
        """One page of /r/{subreddit}/new, newest first."""
        name = _subreddit_name(subreddit)
        params: dict[str, Any] = {"limit": self.page_limit, "raw_json": 1}
        if after:
            params["after"] = after
        if self._tokens is not None:
            response = self._oauth_get(self._tokens, f"{self.oauth_url}/r/{name}/new", params)
        else:
            response = self.http.request("GET", f"{self.www_url}/r/{name}/new.json", params=params)
        self._respect_rate_limit(response)
        if response.history and "/subreddits/search" in response.url:
            raise SourceUnavailableError(f"reddit: r/{name} does not exist (redirected to search)")
        return parse_listing(self.http.decode_json(response))

    def _fetch_subreddit_window(
        self, subreddit: str, start: datetime, end: datetime
    ) -> list[dict[str, Any]]:
        kept: list[dict[str, Any]] = []
        after: str | None = None
        oldest: datetime | None = None
        seen = pages = 0
        stop = f"stopped at max_pages={self.max_pages}"
        while pages < self.max_pages:
            page = self.fetch_new_page(subreddit, after)
            pages += 1
            for post in page.posts:
                seen += 1
                oldest = post["created_utc"] if oldest is None else min(oldest, post["created_utc"])
                if start <= post["created_utc"] < end:
                    kept.append(post)
            if oldest is not None and oldest < start:
                return kept
            if not page.posts or page.after is None:
                stop = "the listing ended"
                break
            after = page.after
        reached = (
            f"its oldest post is from {oldest:%Y-%m-%d %H:%M:%S} UTC" if oldest else "no posts"
        )
        raise ListingDepthError(
            f"reddit r/{subreddit}: window {start:%Y-%m-%d %H:%M:%S} to {end:%Y-%m-%d %H:%M:%S} UTC "
            f"is older than the /new listing reaches ({stop} after {pages} pages and {seen} posts; "
            f"{reached}). Reddit's listings reach back only about 1000 posts, so this window can "
            "no longer be fetched; materialize windows while they are recent."
        )

    def fetch_window(
        self, subreddits: Sequence[str], start: datetime, end: datetime
    ) -> list[dict[str, Any]]:
        """Posts with start <= created_utc < end from each subreddit, de-duplicated, oldest first."""
        if start.tzinfo is None or end.tzinfo is None:
            raise ValueError("start and end must be timezone-aware datetimes")
        if start >= end:
            raise ValueError(f"empty window: start {start} is not before end {end}")
        start, end = start.astimezone(UTC), end.astimezone(UTC)
        posts_by_id: dict[str, dict[str, Any]] = {}
        for subreddit in subreddits:
            for post in self._fetch_subreddit_window(_subreddit_name(subreddit), start, end):
                posts_by_id.setdefault(post["id"], post)
        return sorted(posts_by_id.values(), key=lambda post: (post["created_utc"], post["id"]))
