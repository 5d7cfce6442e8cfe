"""Builders for small Reddit Listing bodies used by the client tests."""

from __future__ import annotations

from datetime import datetime
from typing import Any


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
