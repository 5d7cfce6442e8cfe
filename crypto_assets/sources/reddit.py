"""Reddit client: script-app OAuth (or public JSON), rate-limit aware paging of /r/{sub}/new."""

from __future__ import annotations

import functools
import json
import logging
import math
import re
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import requests

from crypto_assets.sources.errors import SourceUnavailableError, SubredditUnavailableError
from crypto_assets.sources.http import DEFAULT_USER_AGENT, HttpClient
from crypto_assets.sources.reddit_auth import BearerTokenSource, RedditCredentials
from crypto_assets.sources.reddit_listing import ListingPage, parse_listing
from crypto_assets.sources.reddit_window import CAPPED_LISTING_MIN_POSTS, collect_window

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


def _unavailable_reason(error: SourceUnavailableError) -> str | None:
    """Why Reddit refused the subreddit (403/404 with its `reason`), or None if it did not say."""
    if error.status not in (403, 404):
        return None
    try:
        body = json.loads(error.body)
    except ValueError:
        body = None
    reason = body.get("reason") if isinstance(body, dict) else None
    if isinstance(reason, str) and reason:
        return reason  # "private", "banned", "quarantined", "gated", ...
    # A 403 without a reason is about the client (blocked User-Agent, token scope), not the sub.
    return "not found" if error.status == 404 else None


class RedditClient:
    """Fetches the posts created inside a time window from subreddits' /new listings.

    Paging follows reddit_window's rules; `capped_listing_min_posts` is the size from which an
    ended listing counts as cut off by Reddit's cap rather than as the subreddit's whole history.
    """

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
        capped_listing_min_posts: int = CAPPED_LISTING_MIN_POSTS,
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
        self.capped_listing_min_posts = capped_listing_min_posts
        # Per subreddit, how many listing posts the last fetch_window read to reach its start.
        self.posts_seen: dict[str, int] = {}
        self._tokens = (
            BearerTokenSource(http, credentials, self.www_url) if credentials is not None else None
        )

    def _get_listing(
        self, name: str, url: str, params: dict[str, Any], headers: dict[str, str] | None = None
    ) -> requests.Response:
        try:
            return self.http.request("GET", url, params=params, headers=headers)
        except SourceUnavailableError as exc:
            reason = _unavailable_reason(exc)
            if reason is None:
                raise
            raise SubredditUnavailableError(name, reason, exc.status) from exc

    def _oauth_get(
        self, tokens: BearerTokenSource, name: str, params: dict[str, Any]
    ) -> requests.Response:
        url = f"{self.oauth_url}/r/{name}/new"
        try:
            return self._get_listing(name, url, params, tokens.authorization_header())
        except SourceUnavailableError as exc:
            if exc.status != 401:
                raise
        logger.info("reddit: bearer token rejected with HTTP 401; fetching a new token once")
        tokens.invalidate()
        return self._get_listing(name, url, params, tokens.authorization_header())

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
            response = self._oauth_get(self._tokens, name, params)
        else:
            response = self._get_listing(name, f"{self.www_url}/r/{name}/new.json", params)
        self._respect_rate_limit(response)
        if response.history and "/subreddits/search" in response.url:
            first = response.history[0].status_code
            raise SubredditUnavailableError(name, "no such subreddit, redirected to search", first)
        return parse_listing(self.http.decode_json(response))

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
        self.posts_seen = {}
        for subreddit in subreddits:
            name = _subreddit_name(subreddit)
            stats: dict[str, int] = {}
            posts = collect_window(
                functools.partial(self.fetch_new_page, name),
                name,
                start,
                end,
                max_pages=self.max_pages,
                capped_listing_min_posts=self.capped_listing_min_posts,
                stats=stats,
            )
            self.posts_seen[name] = stats.get("posts_seen", 0)
            for post in posts:
                posts_by_id.setdefault(post["id"], post)
        return sorted(posts_by_id.values(), key=lambda post: (post["created_utc"], post["id"]))
