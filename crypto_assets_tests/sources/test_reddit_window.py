"""RedditClient window fetching against a local server: paging, rate limits, merging."""

from __future__ import annotations

from datetime import timedelta, timezone

import pytest

from crypto_assets.sources.errors import ListingDepthError, PayloadError
from crypto_assets.sources.http import HttpClient
from crypto_assets.sources.reddit import RedditClient
from crypto_assets_tests.sources.reddit_payloads import (
    END,
    OAUTH_NEW,
    START,
    TOKEN_PATH,
    at,
    children,
    listing_body,
    paged_listing,
    post_child,
    reddit,
    token,
)
from crypto_assets_tests.sources.scripted_server import Reply, ScriptedServer


@pytest.mark.parametrize(
    ("remaining", "reset", "expected_sleeps"),
    [
        ("0.0", "7", [7.0]),
        ("0.9", "7", [7.0]),
        ("3.0", "7", []),
        ("0", "5000", [600.0]),
        (None, None, []),
    ],
)
def test_rate_limit_headers_delay_the_next_request(
    server: ScriptedServer, http: HttpClient, clock, remaining, reset, expected_sleeps
) -> None:
    headers = (
        {}
        if remaining is None
        else {"X-Ratelimit-Remaining": remaining, "X-Ratelimit-Reset": reset}
    )
    server.script(
        "GET", "/r/CryptoCurrency/new.json", paged_listing(children(8, 6, 4, -1), headers)
    )

    reddit(server, http, creds=None, page_limit=2).fetch_window(["CryptoCurrency"], START, END)

    assert len(server.seen()) == 2
    assert clock.sleeps == expected_sleeps


def test_window_paging_stops_past_the_window_and_keeps_only_it(
    server: ScriptedServer, http: HttpClient
) -> None:
    # newest first: after the window, exactly at end, inside (x3, p3 twice), exactly at start,
    # older but within the margin, then a page wholly older than START - LISTING_ORDER_MARGIN
    listing = children(15, 10, 9, 9, 5, 0, -1, -4, -6, -7, -8, -9, -20)
    listing[3] = listing[2]  # the same post on two pages, as /new shifts when posts arrive
    server.script("POST", TOKEN_PATH, token("tok-1"))
    server.script("GET", OAUTH_NEW, paged_listing(listing))

    posts = reddit(server, http, page_limit=3).fetch_window(["CryptoCurrency"], START, END)

    assert [p["id"] for p in posts] == ["p5", "p4", "p2"]
    assert [p["created_utc"] for p in posts] == [at(0), at(5), at(9)]
    afters = [r.query.get("after") for r in server.seen(OAUTH_NEW)]
    assert afters == [None, "t3_p2", "t3_p5", "t3_p8"]  # p9..p11 is the first page wholly old


def test_posts_are_merged_across_subreddits(server: ScriptedServer, http: HttpClient) -> None:
    server.script("POST", TOKEN_PATH, token("tok-1"))
    server.script("GET", OAUTH_NEW, paged_listing(children(7, 2, -1)))
    bitcoin = [
        post_child("b0", at(6), "Bitcoin"),
        children(2)[0],
        post_child("b1", at(-5), "Bitcoin"),
    ]
    server.script("GET", "/oauth/r/Bitcoin/new", paged_listing(bitcoin))

    posts = reddit(server, http).fetch_window(["CryptoCurrency", "r/Bitcoin"], START, END)

    assert [p["id"] for p in posts] == ["p1", "b0", "p0"]


def test_an_aware_non_utc_window_is_converted(server: ScriptedServer, http: HttpClient) -> None:
    server.script("GET", "/r/CryptoCurrency/new.json", paged_listing(children(5, -1)))
    cest = timezone(timedelta(hours=2))
    posts = reddit(server, http, creds=None).fetch_window(
        ["CryptoCurrency"], START.astimezone(cest), END.astimezone(cest)
    )

    assert [p["id"] for p in posts] == ["p0"]


def test_window_beyond_max_pages_raises(server: ScriptedServer, http: HttpClient) -> None:
    # the same page again and again: the listing never reaches back to the window
    server.script("GET", "/r/CryptoCurrency/new.json", Reply(listing_body(children(9, 5), "t3_p1")))
    client = reddit(server, http, creds=None, max_pages=3)

    with pytest.raises(ListingDepthError) as caught:
        client.fetch_window(["CryptoCurrency"], START, END)

    message = str(caught.value)
    assert "r/CryptoCurrency" in message
    assert "window 2025-10-28 12:00:00 to 2025-10-28 12:10:00 UTC" in message
    assert "oldest post is from 2025-10-28 12:05:00 UTC" in message
    assert "about 1000 posts" in message
    assert "stopped at max_pages=3 after 3 pages and 2 posts" in message
    assert len(server.seen()) == 3


def test_drifted_listing_is_a_payload_error(server: ScriptedServer, http: HttpClient) -> None:
    body = listing_body(children(5, -1), None)
    del body["data"]["children"][1]["data"]["created_utc"]
    server.script("GET", "/r/CryptoCurrency/new.json", Reply(body))

    with pytest.raises(PayloadError, match=r"data\.children\[1\]\.data\.created_utc: missing"):
        reddit(server, http, creds=None).fetch_window(["CryptoCurrency"], START, END)


@pytest.mark.parametrize(
    ("subreddits", "start", "end", "message"),
    [
        (["CryptoCurrency"], START.replace(tzinfo=None), END, "timezone-aware"),
        (["CryptoCurrency"], END, START, "empty window"),
        (["crypto/../x"], START, END, "not a subreddit name"),
    ],
)
def test_bad_arguments(http: HttpClient, subreddits, start, end, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        RedditClient(http).fetch_window(subreddits, start, end)
