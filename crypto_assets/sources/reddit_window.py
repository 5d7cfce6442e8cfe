"""Collect one subreddit's posts inside a time window from its /new listing pages.

The rules, in order, for each page fetched by the previous page's own `after` cursor:

1. Reddit's /new is only roughly ordered by `created_utc` (a post can be listed well away from
   its creation time), so a single old post proves nothing. Paging stops at the first page
   whose posts are ALL older than the window start minus LISTING_ORDER_MARGIN.
2. A post repeated on several pages is kept once (its first copy).
3. An empty page reached through a cursor may mean that the cursor's post was removed meanwhile;
   it is asked for once more from the post before it.
4. A listing that ends (no `after`, or an empty page) before rule 1 was met either holds the
   whole subreddit or was cut off by Reddit's cap of about 1000 posts. Having shown fewer than
   `capped_listing_min_posts` distinct posts, it is the whole subreddit: there are no older
   posts, and the posts found (possibly none) are the answer. A cut-off listing still covers
   the window if its last CAPPED_TAIL_POSTS posts are older than the window start minus the
   margin; otherwise the window is beyond its reach: ListingDepthError.
5. Reaching `max_pages` before rule 1 or 4 ends the paging is a ListingDepthError too.

The result is exactly the posts with start <= created_utc < end.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from crypto_assets.sources.errors import ListingDepthError
from crypto_assets.sources.reddit_listing import ListingPage

# How far out of order /new may list posts near the window start. A page wholly older than
# start - margin means the listing is past the window; a post created just inside the window
# but listed among older ones is still picked up. Costs at most one extra page.
LISTING_ORDER_MARGIN = timedelta(minutes=5)
# Reddit keeps about 1000 posts per listing and may leave removed ones out when serving it, so
# a listing cut off by that cap can end somewhat short of 1000. An ended listing with at least this many
# posts counts as cut off: a small subreddit near the line then fails loudly, rather than a big
# one silently losing posts.
CAPPED_LISTING_MIN_POSTS = 900
# A cut-off listing reaches past the window when this many posts at its very end are older than
# start - margin: one or two old stragglers at the end cannot fake that reach.
CAPPED_TAIL_POSTS = 3

FetchPage = Callable[[str | None], ListingPage]


def _fullname(post: dict[str, Any]) -> str:
    return f"t3_{post['id']}"


def _inside(posts: dict[str, dict[str, Any]], start: datetime, end: datetime) -> list[dict]:
    return [post for post in posts.values() if start <= post["created_utc"] < end]


def collect_window(
    fetch_page: FetchPage,
    subreddit: str,
    start: datetime,
    end: datetime,
    *,
    max_pages: int,
    capped_listing_min_posts: int = CAPPED_LISTING_MIN_POSTS,
    stats: dict[str, int] | None = None,
) -> list[dict[str, Any]]:
    """Posts with start <= created_utc < end, each once, following the module's paging rules.

    `stats`, when given, receives `posts_seen`: how deep into the listing the window lay.
    """
    floor = start - LISTING_ORDER_MARGIN
    seen: dict[str, dict[str, Any]] = {}
    tail: deque[datetime] = deque(maxlen=CAPPED_TAIL_POSTS)  # the latest posts in listing order
    after: str | None = None
    retry_from: str | None = None
    pages = 0
    stop = f"stopped at max_pages={max_pages} after {max_pages} pages"
    while pages < max_pages:
        page = fetch_page(after)
        pages += 1
        if not page.posts and retry_from is not None:
            after, retry_from = retry_from, None
            continue
        for post in page.posts:
            seen.setdefault(post["id"], post)
            tail.append(post["created_utc"])
        if stats is not None:
            stats["posts_seen"] = len(seen)
        if page.posts and all(post["created_utc"] < floor for post in page.posts):
            return _inside(seen, start, end)
        if not page.posts or page.after is None:
            if len(seen) < capped_listing_min_posts or (tail and max(tail) < floor):
                return _inside(seen, start, end)
            stop = f"the listing ended after {len(seen)} posts ({pages} pages), cut off"
            break
        retry_from = _fullname(page.posts[-2]) if len(page.posts) > 1 else None
        after = page.after
    else:
        stop += f" and {len(seen)} posts"
    oldest = min((post["created_utc"] for post in seen.values()), default=None)
    reached = f"its oldest post is from {oldest:%Y-%m-%d %H:%M:%S} UTC" if oldest else "no posts"
    raise ListingDepthError(
        f"reddit r/{subreddit}: window {start:%Y-%m-%d %H:%M:%S} to {end:%Y-%m-%d %H:%M:%S} UTC "
        f"is older than the /new listing reaches ({stop}; {reached}). Reddit's listings reach "
        "back only about 1000 posts, so this window can no longer be fetched; materialize "
        "windows while they are recent."
    )
