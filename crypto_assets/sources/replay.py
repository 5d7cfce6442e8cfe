"""Serve recorded real Coinlore, Reddit and history API responses through requests (replay)."""

from __future__ import annotations

import functools
import io
import json
import re
import threading
import time
from datetime import UTC, datetime
from http import HTTPStatus
from importlib.resources import files
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import requests
from requests.structures import CaseInsensitiveDict

from crypto_assets.sources.history_replay import HISTORY_URL_PREFIXES, history_reply

COINLORE_RECORDING = "coinlore_tickers_top100_2024-12-07.json"
REDDIT_RECORDING = "reddit_crypto_posts_praw_2025-10-30_1533posts.json"
RECORDED_COINLORE_AS_OF = datetime(2024, 12, 7, 12, 12, 3, tzinfo=UTC)
REPLAY_ACCESS_TOKEN = "replay-access-token"
REPLAY_URL_PREFIXES = (
    "https://api.coinlore.net/",
    "https://www.reddit.com/",
    "https://oauth.reddit.com/",
    *HISTORY_URL_PREFIXES,
)
# The recorded posts are a sample of far larger subreddits: a replayed /new listing that runs out
# means the recording ended, never that the subreddit began, so every ended listing is "capped".
REPLAY_CAPPED_LISTING_MIN_POSTS = 1
_LISTING_PATH_RE = re.compile(r"/r/([A-Za-z0-9_]+)/new(?:\.json)?/?")

Reply = tuple[int, Any, dict[str, str]]


def recording_bytes(name: str) -> bytes:
    """The raw bytes of one file shipped in crypto_assets/sources/recordings."""
    return files("crypto_assets.sources").joinpath("recordings", name).read_bytes()


@functools.cache
def recorded_coinlore_tickers() -> dict[str, Any]:
    """The recorded /api/tickers/ body (top 100 coins at RECORDED_COINLORE_AS_OF)."""
    return json.loads(recording_bytes(COINLORE_RECORDING))


def recorded_coinlore_coin_count() -> int:
    """How many coins the recorded /api/tickers/ body holds: the most a replayed listing has."""
    return len(recorded_coinlore_tickers()["data"])


@functools.cache
def recorded_reddit_posts() -> tuple[dict[str, Any], ...]:
    """The recorded posts as flattened PRAW records (created_utc a naive ISO string in UTC)."""
    return tuple(json.loads(recording_bytes(REDDIT_RECORDING)))


def _recorded_time(record: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(record["created_utc"]).replace(tzinfo=UTC)


def recorded_post_times(subreddit: str | None = None) -> list[datetime]:
    """Creation times (UTC, sorted) of the recorded posts, optionally of one subreddit only."""
    wanted = subreddit.lower() if subreddit else None
    records = recorded_reddit_posts()
    return sorted(_recorded_time(r) for r in records if wanted in (None, r["subreddit"].lower()))


def _listing_child(record: dict[str, Any]) -> dict[str, Any]:
    permalink = urlsplit(record["permalink"]).path  # "/r/CryptoCurrency/comments/<id>/<slug>/"
    data = {
        "id": record["post_id"],
        "name": "t3_" + record["post_id"],
        # Live Reddit sends the display name ("CryptoCurrency"); the export lowercased it.
        "subreddit": permalink.split("/")[2],
        "created_utc": _recorded_time(record).timestamp(),
        "permalink": permalink,
    }
    for key in ("title", "selftext", "author", "score", "upvote_ratio", "num_comments", "url"):
        data[key] = record[key]
    for key in ("link_flair_text", "is_self", "stickied", "distinguished"):
        data[key] = record[key]
    return {"kind": "t3", "data": data}


@functools.cache
def _listing_children_by_subreddit() -> dict[str, list[dict[str, Any]]]:
    newest_first = sorted(recorded_reddit_posts(), key=_recorded_time, reverse=True)
    children: dict[str, list[dict[str, Any]]] = {}
    for record in newest_first:
        children.setdefault(record["subreddit"].lower(), []).append(_listing_child(record))
    return children


def _int_param(query: dict[str, str], key: str, default: int, low: int, high: int) -> int:
    try:
        return min(max(int(query.get(key, default)), low), high)
    except ValueError:
        return default


def _tickers_reply(query: dict[str, str]) -> Reply:
    start = _int_param(query, "start", 0, 0, 1_000_000)
    limit = _int_param(query, "limit", 100, 1, 100)
    recorded = recorded_coinlore_tickers()
    if start == 0 and limit >= len(recorded["data"]):
        return 200, recording_bytes(COINLORE_RECORDING), {}  # the unmodified recorded body
    return 200, {"data": recorded["data"][start : start + limit], "info": recorded["info"]}, {}


def _listing_body(subreddit: str, query: dict[str, str]) -> dict[str, Any]:
    children = _listing_children_by_subreddit().get(subreddit.lower(), [])
    limit = _int_param(query, "limit", 25, 1, 100)
    names = [child["data"]["name"] for child in children]
    offset = 0
    if after := query.get("after"):
        # Reddit answers an unknown `after` cursor with an empty page.
        offset = names.index(after) + 1 if after in names else len(names)
    page = children[offset : offset + limit]
    more = offset + limit < len(children)
    data = {"after": page[-1]["data"]["name"] if page and more else None, "dist": len(page)}
    data |= {"modhash": "", "geo_filter": "", "children": page, "before": None}
    return {"kind": "Listing", "data": data}


class ReplayAdapter(requests.adapters.BaseAdapter):
    """A transport adapter answering Coinlore, Reddit and history API requests from recordings."""

    def __init__(self) -> None:
        super().__init__()
        self._lock = threading.Lock()
        self._reddit_requests = 0

    def _rate_limit_headers(self) -> dict[str, str]:
        with self._lock:
            self._reddit_requests += 1
            # Cycle through 1..99 used so that a replay never has to wait out a reset.
            used = (self._reddit_requests - 1) % 99 + 1
        reset = 600 - int(time.time()) % 600
        return {
            "X-Ratelimit-Used": str(used),
            "X-Ratelimit-Remaining": f"{100 - used:.1f}",
            "X-Ratelimit-Reset": str(reset),
        }

    def route(self, request: requests.PreparedRequest) -> Reply:
        """Status, body and extra headers for one request."""
        url = urlsplit(request.url or "")
        query = dict(parse_qsl(url.query))
        host, path, method = url.hostname, url.path, request.method
        if (history := history_reply(host, path, method, query)) is not None:
            return history  # the Reddit archive's and Binance's history APIs
        if host == "api.coinlore.net" and method == "GET" and path.rstrip("/") == "/api/tickers":
            return _tickers_reply(query)
        if host not in ("www.reddit.com", "oauth.reddit.com"):
            return 404, {"error": "no recording for this host"}, {}
        headers = self._rate_limit_headers()
        if host == "www.reddit.com" and method == "POST" and path == "/api/v1/access_token":
            token = {"access_token": REPLAY_ACCESS_TOKEN, "token_type": "bearer"}
            return 200, token | {"expires_in": 86400, "scope": "*"}, headers
        listing = _LISTING_PATH_RE.fullmatch(path)
        if method != "GET" or listing is None:
            return 404, {"message": "Not Found", "error": 404}, headers
        bearer = request.headers.get("Authorization")
        if host == "oauth.reddit.com" and bearer != f"bearer {REPLAY_ACCESS_TOKEN}":
            return 401, {"message": "Unauthorized", "error": 401}, headers
        return 200, _listing_body(listing.group(1), query), headers

    def send(
        self, request: requests.PreparedRequest, *args: Any, **kwargs: Any
    ) -> requests.Response:
        """Answer `request` from the recordings, as a real requests.Response."""
        status, body, extra_headers = self.route(request)
        content = body if isinstance(body, bytes) else json.dumps(body).encode("utf-8")
        response = requests.Response()
        response.status_code = status
        response.reason = HTTPStatus(status).phrase
        response.headers = CaseInsensitiveDict(
            {"Content-Type": "application/json; charset=UTF-8", "Content-Length": str(len(content))}
        )
        response.headers.update(extra_headers)
        response.raw = io.BytesIO(content)
        response.encoding = "utf-8"
        response.url = request.url or ""
        response.request = request
        response.connection = self
        return response

    def close(self) -> None:
        """Nothing to release."""


def replay_session() -> requests.Session:
    """A Session whose API hosts are answered by a ReplayAdapter; nothing reaches the network."""
    session = requests.Session()
    adapter = ReplayAdapter()
    # The catch-alls make any other URL a 404 from the adapter instead of a real connection.
    for prefix in ("http://", "https://", *REPLAY_URL_PREFIXES):
        session.mount(prefix, adapter)
    return session
