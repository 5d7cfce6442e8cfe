"""Arctic-Shift-compatible archive client: the Reddit posts of a time window, paged by created_utc."""

from __future__ import annotations

import logging
import math
import re
import time
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import Any

import requests

from crypto_assets.sources.errors import PayloadError, SourceError
from crypto_assets.sources.http import HttpClient
from crypto_assets.sources.payload_models import child_path
from crypto_assets.sources.reddit_archive_posts import (
    check_window,
    normalize_archive_post,
    sort_posts,
)

logger = logging.getLogger(__name__)

DEFAULT_ARCHIVE_URL = "https://arctic-shift.photon-reddit.com"
SEARCH_PATH = "/api/posts/search"
# A free public service ("a couple of requests per second" is fine, its docs say): stay at one.
ARCHIVE_MIN_INTERVAL_S = 1.0
MAX_PAGE_LIMIT = 100
# Defer when fewer requests than this remain in the archive's rate-limit window.
RATELIMIT_MIN_REMAINING = 2
MAX_RATELIMIT_WAIT_S = 300.0
RATELIMIT_FALLBACK_WAIT_S = 60.0  # remaining is low but no usable X-RateLimit-Reset came with it
SOURCE = "arctic shift"
_SUBREDDIT_RE = re.compile(r"[A-Za-z0-9_]+")


def ratelimit_wait_s(reset: str | None, now: float) -> float:
    """Seconds until an X-RateLimit-Reset value, read as epoch s/ms if large, else as seconds."""
    try:
        value = float(reset or "")
    except ValueError:
        return RATELIMIT_FALLBACK_WAIT_S
    if not math.isfinite(value):
        return RATELIMIT_FALLBACK_WAIT_S
    if value >= 1e12:  # epoch milliseconds
        value = value / 1000 - now
    elif value >= 1e9:  # epoch seconds (a delay this long would be 30 years)
        value -= now
    return min(max(value, 0.0), MAX_RATELIMIT_WAIT_S)


class ArchiveClient:
    """Fetches a window's posts from /api/posts/search, oldest first, `page_limit` per request."""

    def __init__(
        self,
        http: HttpClient,
        base_url: str = DEFAULT_ARCHIVE_URL,
        page_limit: int = MAX_PAGE_LIMIT,
        *,
        now: Callable[[], float] = time.time,
    ) -> None:
        if not 1 <= page_limit <= MAX_PAGE_LIMIT:
            raise ValueError(f"page_limit must be 1..{MAX_PAGE_LIMIT}, got {page_limit}")
        self.http = http
        self.base_url = base_url.rstrip("/")
        self.page_limit = page_limit
        self.now = now

    def _respect_rate_limit(self, response: requests.Response) -> None:
        try:
            remaining = float(response.headers.get("X-RateLimit-Remaining", ""))
        except ValueError:
            return
        if remaining < RATELIMIT_MIN_REMAINING:
            wait_s = ratelimit_wait_s(response.headers.get("X-RateLimit-Reset"), self.now())
            logger.warning("%s: %.0f requests left; waiting %.1fs", SOURCE, remaining, wait_s)
            self.http.defer(wait_s)

    def fetch_page(self, subreddit: str, after: int, before: int) -> list[dict[str, Any]]:
        """Posts with after < created_utc < before (epoch seconds), ascending, at most page_limit."""
        params = {"subreddit": subreddit, "after": after, "before": before, "sort": "asc"}
        request = f"GET {SEARCH_PATH} subreddit={subreddit} after={after} before={before}"
        response = self.http.request(
            "GET", self.base_url + SEARCH_PATH, params={**params, "limit": self.page_limit}
        )
        self._respect_rate_limit(response)
        try:
            body = self.http.decode_json(response)
            if not isinstance(body, dict) or not isinstance(body.get("data"), list):
                raise PayloadError(f"{SOURCE}: data: expected an object with a 'data' list")
            posts = []
            for i, raw in enumerate(body["data"]):
                post = normalize_archive_post(raw, SOURCE, child_path("data", i))
                if not after < post["created_utc"].timestamp() < before:
                    raise PayloadError(
                        f"{SOURCE}: data[{i}].created_utc: {post['created_utc']:%Y-%m-%d %H:%M:%S} "
                        "is outside the requested range"
                    )
                posts.append(post)
        except PayloadError as exc:
            raise PayloadError(f"{exc} ({request})") from None
        return posts

    def fetch_subreddit(
        self, subreddit: str, start: datetime, end: datetime
    ) -> list[dict[str, Any]]:
        """Posts of one subreddit with start <= created_utc < end, de-duplicated, oldest first."""
        start, end = check_window(start, end)
        name = subreddit.strip().removeprefix("/").removeprefix("r/")
        if not _SUBREDDIT_RE.fullmatch(name):
            raise ValueError(f"not a subreddit name: {subreddit!r}")
        # after/before are exclusive: start one second early, and page on from the last post's
        # second minus one, because the page may have cut between posts of that second.
        after, before = math.floor(start.timestamp()) - 1, math.ceil(end.timestamp())
        posts: dict[str, dict[str, Any]] = {}
        while True:
            page = self.fetch_page(name, after, before)
            new = [post for post in page if post["id"] not in posts]
            posts.update((post["id"], post) for post in new)
            if len(page) < self.page_limit:
                break
            seconds = [math.floor(post["created_utc"].timestamp()) for post in page]
            if min(seconds) == max(seconds):
                raise SourceError(
                    f"{SOURCE}: r/{name}: a full page of {len(page)} posts all created at epoch "
                    f"second {seconds[0]} (after={after}); paging by time cannot get past it"
                )
            if not new:
                logger.warning(
                    "%s: r/%s after=%d brought no new post; stopping", SOURCE, name, after
                )
                break
            after = max(seconds) - 1
        return sort_posts({k: p for k, p in posts.items() if start <= p["created_utc"] < end})

    def fetch_window(
        self, subreddits: Sequence[str], start: datetime, end: datetime
    ) -> list[dict[str, Any]]:
        """Posts with start <= created_utc < end from each subreddit, de-duplicated, oldest first."""
        posts: dict[str, dict[str, Any]] = {}
        for subreddit in subreddits:
            for post in self.fetch_subreddit(subreddit, start, end):
                posts.setdefault(post["id"], post)
        return sort_posts(posts)
