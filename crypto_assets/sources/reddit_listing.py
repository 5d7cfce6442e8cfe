"""Parse Reddit Listing envelopes of t3 (submission) children into flat, typed post dicts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel

from crypto_assets.sources.payload_models import Count, Epoch, OptionalText, Text, validate

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

SOURCE = "reddit listing"


class PostData(BaseModel):
    """The `data` of one t3 child: the fields the platform keeps (others are ignored)."""

    id: Text
    subreddit: Text
    title: Text
    selftext: OptionalText = None
    author: OptionalText = None
    score: Count
    num_comments: Count
    created_utc: Epoch
    permalink: Text
    link_flair_text: OptionalText = None

    def as_post(self) -> dict[str, Any]:
        """The post as a dict with exactly POST_FIELDS."""
        return post_record(self, self.permalink)


def post_record(post: Any, permalink: str) -> dict[str, Any]:
    """A Reddit post (listing or archive model) as a dict with exactly POST_FIELDS."""
    if not permalink.startswith(("http://", "https://")):
        permalink = REDDIT_PERMALINK_BASE + permalink
    return {
        "id": post.id.removeprefix("t3_"),
        "subreddit": post.subreddit,
        "title": post.title,
        "selftext": post.selftext or "",
        "author": post.author or "[deleted]",
        "score": post.score,
        "num_comments": post.num_comments,
        "created_utc": datetime.fromtimestamp(post.created_utc, UTC),
        "permalink": permalink,
        "flair": post.link_flair_text or None,
    }


class Child(BaseModel):
    """One Listing child: a submission."""

    kind: Literal["t3"]
    data: PostData


class ListingData(BaseModel):
    """A Listing's `data`: its children and the cursor to the next page."""

    children: list[Child]
    after: OptionalText = None


class Listing(BaseModel):
    """One Listing response body."""

    kind: Literal["Listing"]
    data: ListingData


@dataclass
class ListingPage:
    """One parsed Listing page: its posts in listing order and the cursor to the next page."""

    posts: list[dict[str, Any]]
    after: str | None


def parse_listing(payload: object) -> ListingPage:
    """Validate one Listing response body and return its posts and `after` cursor."""
    listing = validate(Listing, payload, SOURCE)
    posts = [child.data.as_post() for child in listing.data.children]
    return ListingPage(posts=posts, after=listing.data.after or None)
