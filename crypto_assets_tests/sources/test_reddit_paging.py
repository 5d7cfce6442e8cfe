"""RedditClient paging rules: out-of-order and repeated posts, listing ends, listing depth."""

from __future__ import annotations

from datetime import timedelta

import pytest

from crypto_assets.sources.errors import ListingDepthError
from crypto_assets.sources.http import HttpClient
from crypto_assets.sources.reddit_window import (
    CAPPED_LISTING_MIN_POSTS,
    CAPPED_TAIL_POSTS,
    LISTING_ORDER_MARGIN,
)
from crypto_assets_tests.sources.reddit_payloads import (
    END,
    START,
    at,
    children,
    listing_body,
    listing_pages,
    paged_listing,
    post_child,
    reddit,
)
from crypto_assets_tests.sources.scripted_server import Reply, ScriptedServer

PUBLIC_NEW = "/r/CryptoCurrency/new.json"


def fetch(server: ScriptedServer, http: HttpClient, **kwargs: object) -> list[dict]:
    """The window [START, END) of r/CryptoCurrency through the public JSON endpoint."""
    client = reddit(server, http, creds=None, **kwargs)
    return client.fetch_window(["CryptoCurrency"], START, END)


def ids(posts: list[dict]) -> list[str]:
    return [post["id"] for post in posts]


def afters(server: ScriptedServer, path: str = PUBLIC_NEW) -> list[str | None]:
    return [request.query.get("after") for request in server.seen(path)]


@pytest.mark.parametrize(
    ("minutes", "expected", "cursors"),
    [
        pytest.param(  # p1 is an hour old but listed on page 1; the window is on page 2
            (20, -60, 15, 9, 5, 1, -6, -7, -8, -9),
            ["p5", "p4", "p3"],
            [None, "t3_p2", "t3_p5"],
            id="old-post-on-page-1",
        ),
        pytest.param(  # page 2 is older than START but inside the margin: keep paging
            (8, 3, -1, -2, -3, -4, 2, -6, -7, -8, -9, -10, -11),
            ["p6", "p1", "p0"],
            [None, "t3_p2", "t3_p5", "t3_p8"],
            id="straggler-inside-margin",
        ),
    ],
)
def test_out_of_order_posts_do_not_end_the_window_early(
    server: ScriptedServer, http: HttpClient, minutes, expected, cursors
) -> None:
    assert timedelta(minutes=4) < LISTING_ORDER_MARGIN <= timedelta(minutes=6)
    server.script("GET", PUBLIC_NEW, paged_listing(children(*minutes)))

    posts = fetch(server, http, page_limit=3)

    assert ids(posts) == expected  # oldest first
    assert afters(server) == cursors  # stopped after the first page wholly older than the margin


def test_posts_repeated_across_pages_are_kept_once(
    server: ScriptedServer, http: HttpClient
) -> None:
    a, b, c = (post_child(name, at(m)) for name, m in (("a", 9), ("b", 5), ("c", 3)))
    old = [post_child(f"o{i}", at(-6 - i)) for i in range(3)]
    server.script("GET", PUBLIC_NEW, listing_pages([post_child("n", at(15)), a, b], [b, a, c], old))

    posts = fetch(server, http)

    assert ids(posts) == ["c", "b", "a"]
    assert len(server.seen()) == 3


@pytest.mark.parametrize(
    ("replies", "expected", "requests"),
    [
        pytest.param([Reply(listing_body(children(9, 5), None))], ["p1", "p0"], 1, id="one-page"),
        pytest.param([Reply(listing_body([], None))], [], 1, id="no-posts-at-all"),
        pytest.param(  # an empty page behind a cursor is retried from the post before it
            [Reply(listing_body(children(9, 5), "t3_p1")), Reply(listing_body([], None))],
            ["p1", "p0"],
            3,
            id="empty-last-page",
        ),
    ],
)
def test_a_listing_that_ends_below_the_cap_returns_what_it_found(
    server: ScriptedServer, http: HttpClient, replies, expected, requests: int
) -> None:
    server.script("GET", PUBLIC_NEW, *replies)

    assert ids(fetch(server, http)) == expected
    assert len(server.seen()) == requests


def test_a_vanished_cursor_is_retried_from_the_post_before_it(
    server: ScriptedServer, http: HttpClient
) -> None:
    first = children(15, 9, 7)
    rest = [post_child("q0", at(5)), post_child("q1", at(-6)), post_child("q2", at(-7))]
    pages = {None: first, "t3_p2": [], "t3_p1": rest}  # p2 was removed after page 1 was served
    server.script(
        "GET",
        PUBLIC_NEW,
        lambda request: Reply(
            listing_body(
                pages[request.query.get("after")], None if "after" in request.query else "t3_p2"
            )
        ),
    )

    posts = fetch(server, http)

    assert ids(posts) == ["q0", "p2", "p1"]
    assert afters(server) == [None, "t3_p2", "t3_p1"]


@pytest.mark.parametrize(
    ("count", "raises"),
    [(CAPPED_LISTING_MIN_POSTS - 1, False), (CAPPED_LISTING_MIN_POSTS, True), (1000, True)],
)
def test_an_ended_listing_at_the_cap_is_too_shallow(
    server: ScriptedServer, http: HttpClient, count: int, raises: bool
) -> None:
    # every post is newer than the window: the listing never reached back to it
    listing = [post_child(f"p{i}", at(2000 - i)) for i in range(count)]
    server.script("GET", PUBLIC_NEW, paged_listing(listing))

    if not raises:
        assert fetch(server, http) == []
        return
    with pytest.raises(ListingDepthError) as caught:
        fetch(server, http)
    message = str(caught.value)
    assert f"the listing ended after {count} posts" in message
    assert "r/CryptoCurrency" in message and "about 1000 posts" in message


@pytest.mark.parametrize(
    ("last_minutes", "raises"),
    [
        ((-6, -7, -8), False),  # the cut-off listing's end reaches past START - margin
        ((-4, -7, -8), True),  # one of its last CAPPED_TAIL_POSTS is within the margin
        ((7, 6, -60), True),  # a lone old straggler at the end proves nothing
    ],
)
def test_a_cut_off_listing_covers_the_window_only_if_its_end_is_older(
    server: ScriptedServer, http: HttpClient, last_minutes: tuple[int, ...], raises: bool
) -> None:
    assert len(last_minutes) == CAPPED_TAIL_POSTS
    # 1000 posts, one a minute from +996 down to +4 (the window is 0..10), then the last three
    listing = [post_child(f"p{i}", at(1000 - i)) for i in range(997)]
    listing += [post_child(f"t{i}", at(m)) for i, m in enumerate(last_minutes)]
    server.script("GET", PUBLIC_NEW, paged_listing(listing))

    if raises:
        with pytest.raises(ListingDepthError, match="the listing ended after 1000 posts"):
            fetch(server, http)
    else:
        assert ids(fetch(server, http)) == [f"p{i}" for i in range(996, 990, -1)]  # +4 .. +9
    assert len(server.seen()) == 10


def test_max_pages_before_reaching_the_window_raises(
    server: ScriptedServer, http: HttpClient
) -> None:
    listing = [post_child(f"p{i}", at(300 - i)) for i in range(50)]
    server.script("GET", PUBLIC_NEW, paged_listing(listing))

    with pytest.raises(
        ListingDepthError, match="stopped at max_pages=3 after 3 pages and 30 posts"
    ):
        fetch(server, http, page_limit=10, max_pages=3)
    assert len(server.seen()) == 3
