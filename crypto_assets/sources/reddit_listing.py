"""Parse Reddit Listing envelopes of t3 (submission) children into flat, typed post dicts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from crypto_assets.sources.payload_fields import PayloadReader, child_path

REDDIT_PERMALINK_BASE = "https://www.reddit.com"
POST_FIELDS = (
    "id",
    "subreddit",
    "title",
    "selftext",
    "author",
    "score",
    "num_comments",
    "created_utc",
    "permalink",
    "flair",
)

_reader = PayloadReader("reddit listing")


@dataclass
class ListingPage:
    """One parsed Listing page: its posts in listing order and the cursor to the next page."""

    posts: list[dict[str, Any]]
    after: str | None


def _optional_string(raw: dict[str, Any], key: str, path: str) -> str | None:
    value = raw.get(key)
    return None if value is None else _reader.as_string(value, child_path(path, key))


def parse_post(child: object, path: str) -> dict[str, Any]:
    """One Listing child ({"kind": "t3", "data": {...}}) as a dict with exactly POST_FIELDS."""
    envelope = _reader.as_object(child, path)
    kind = envelope.get("kind")
    if kind != "t3":
        raise _reader.error(child_path(path, "kind"), f"expected 't3', got {kind!r}")
    data_path = child_path(path, "data")
    raw = _reader.as_object(_reader.required(envelope, "data", path), data_path)

    def text(key: str) -> str:
        return _reader.as_string(_reader.required(raw, key, data_path), child_path(data_path, key))

    def count(key: str) -> int:
        value, field_path = _reader.required(raw, key, data_path), child_path(data_path, key)
        if isinstance(value, str):  # Reddit sends JSON numbers; a string means the shape drifted
            raise _reader.error(field_path, f"expected an integer, got {value!r:.60}")
        return _reader.as_int(value, field_path)

    post_id = text("id").removeprefix("t3_")
    created_path = child_path(data_path, "created_utc")
    created = _reader.required(raw, "created_utc", data_path)
    if isinstance(created, bool) or not isinstance(created, int | float):
        raise _reader.error(created_path, f"expected an epoch number, got {created!r:.60}")
    permalink = text("permalink")
    if not permalink.startswith(("http://", "https://")):
        permalink = REDDIT_PERMALINK_BASE + permalink
    return {
        "id": post_id,
        "subreddit": text("subreddit"),
        "title": text("title"),
        "selftext": _optional_string(raw, "selftext", data_path) or "",
        "author": _optional_string(raw, "author", data_path) or "[deleted]",
        "score": count("score"),
        "num_comments": count("num_comments"),
        "created_utc": datetime.fromtimestamp(created, UTC),
        "permalink": permalink,
        "flair": _optional_string(raw, "link_flair_text", data_path) or None,
    }


def parse_listing(payload: object) -> ListingPage:
    """Validate one Listing response body and return its posts and `after` cursor."""
    body = _reader.as_object(payload, "")
    kind = body.get("kind")
    if kind != "Listing":
        raise _reader.error("kind", f"expected 'Listing', got {kind!r}")
    data = _reader.as_object(_reader.required(body, "data", ""), "data")
    children = _reader.as_list(_reader.required(data, "children", "data"), "data.children")
    posts = [parse_post(child, child_path("data.children", i)) for i, child in enumerate(children)]
    after = data.get("after")
    if after is not None:
        after = _reader.as_string(after, "data.after")
    return ListingPage(posts=posts, after=after or None)
