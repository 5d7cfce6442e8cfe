"""Reddit test builders: Listing bodies, token replies, and a client aimed at the local server."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from crypto_assets.sources.http import HttpClient
from crypto_assets.sources.reddit import RedditClient, RedditCredentials
from crypto_assets_tests.sources.scripted_server import Reply, ScriptedServer, SeenRequest

T = datetime(2025, 10, 28, 12, 0, tzinfo=UTC)
START, END = T, T + timedelta(minutes=10)  # the window most tests fetch
TOKEN_PATH = "/api/v1/access_token"
OAUTH_NEW = "/oauth/r/CryptoCurrency/new"
CREDS = RedditCredentials("app-id", "app-secret-Q9", "bot_user", "hunter2-pw")


def reddit(
    server: ScriptedServer,
    http: HttpClient,
    creds: RedditCredentials | None = CREDS,
    **kwargs: Any,
) -> RedditClient:
    """A RedditClient whose www host is the server root and whose OAuth host is /oauth on it."""
    return RedditClient(http, creds, www_url=server.url(), oauth_url=server.url("/oauth"), **kwargs)


def post_child(
    post_id: str, created: datetime, subreddit: str = "CryptoCurrency"
) -> dict[str, Any]:
    """A minimal but complete t3 child as Reddit sends it."""
    return {
        "kind": "t3",
        "data": {
            "id": post_id,
            "name": f"t3_{post_id}",
            "subreddit": subreddit,
            "title": f"title {post_id}",
            "selftext": "",
            "author": "someone",
            "score": 1,
            "num_comments": 0,
            "created_utc": created.timestamp(),
            "permalink": f"/r/{subreddit}/comments/{post_id}/slug/",
            "link_flair_text": None,
        },
    }


def listing_body(children: list[dict[str, Any]], after: str | None) -> dict[str, Any]:
    """A Listing envelope around `children`."""
    return {
        "kind": "Listing",
        "data": {"after": after, "dist": len(children), "children": children, "before": None},
    }


def paged_listing(
    children: list[dict[str, Any]], headers: dict[str, str] | None = None
) -> Callable[[SeenRequest], Reply]:
    """A server script that pages `children` (newest first) by `limit` and `after` like /new."""
    names = [child["data"]["name"] for child in children]

    def reply(request: SeenRequest) -> Reply:
        limit = int(request.query.get("limit", 25))
        after = request.query.get("after")
        offset = names.index(after) + 1 if after else 0
        page = children[offset : offset + limit]
        more = bool(page) and offset + limit < len(children)
        return Reply(
            listing_body(page, page[-1]["data"]["name"] if more else None), headers=headers or {}
        )

    return reply


def token(value: str, expires_in: int = 3600) -> Reply:
    """An access-token reply as Reddit sends it."""
    return Reply({"access_token": value, "token_type": "bearer", "expires_in": expires_in})


def at(minutes: float) -> datetime:
    """T plus `minutes`."""
    return T + timedelta(minutes=minutes)


def children(*minutes: float, sub: str = "CryptoCurrency") -> list[dict]:
    """Posts p0, p1, ... created at T + each of `minutes` (pass them newest first)."""
    return [post_child(f"p{i}", at(m), sub) for i, m in enumerate(minutes)]


def listing_pages(*pages: list[dict[str, Any]]) -> Callable[[SeenRequest], Reply]:
    """A /new script serving `pages` in order by cursor; only the last page has no `after`."""
    cursors: dict[str | None, int] = {None: 0}
    for index, page in enumerate(pages[:-1]):
        cursors[page[-1]["data"]["name"]] = index + 1

    def reply(request: SeenRequest) -> Reply:
        after = request.query.get("after")
        if after not in cursors:
            return Reply({"error": f"unexpected cursor {after}"}, status=400)
        index = cursors[after]
        page = pages[index]
        last = index == len(pages) - 1
        return Reply(listing_body(page, None if last else page[-1]["data"]["name"]))

    return reply
