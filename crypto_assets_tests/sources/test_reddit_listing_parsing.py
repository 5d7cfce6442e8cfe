"""parse_listing on the real raw Listing fixture and on drifted or malformed envelopes."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from crypto_assets.sources.errors import PayloadError
from crypto_assets.sources.reddit_listing import POST_FIELDS, parse_listing

RAW_LISTING = (
    Path(__file__).parents[1] / "fixtures" / "reddit_raw_listing_popular_2023-07-05_25posts.json"
)


@pytest.fixture(scope="module")
def raw_listing() -> dict[str, Any]:
    return json.loads(RAW_LISTING.read_text())


def test_raw_listing_parses_25_posts_and_the_after_cursor(raw_listing: dict[str, Any]) -> None:
    page = parse_listing(raw_listing)

    assert page.after == "t3_14ql5o5"
    assert len(page.posts) == 25
    first = page.posts[0]
    assert first["id"] == "14qefea"
    assert first["subreddit"] == "Unexpected"
    assert first["author"] == "Xador3d"
    assert (first["score"], first["num_comments"]) == (56895, 1206)
    assert first["created_utc"] == datetime(2023, 7, 4, 12, 53, 7, tzinfo=UTC)
    assert first["permalink"] == (
        "https://www.reddit.com/r/Unexpected/comments/14qefea/"
        "heres_how_you_say_thanks_for_avoiding_a_traffic/"
    )
    assert first["selftext"] == ""
    assert first["flair"] is None


def test_every_raw_post_has_exactly_the_typed_fields(raw_listing: dict[str, Any]) -> None:
    page = parse_listing(raw_listing)
    children = raw_listing["data"]["children"]

    for post, child in zip(page.posts, children, strict=True):
        assert tuple(post) == POST_FIELDS
        assert post["id"] == child["data"]["id"]
        assert post["created_utc"].tzinfo is UTC
        assert post["created_utc"].timestamp() == child["data"]["created_utc"]
        assert post["permalink"] == "https://www.reddit.com" + child["data"]["permalink"]
        assert type(post["score"]) is int and type(post["num_comments"]) is int
        assert post["flair"] == (child["data"]["link_flair_text"] or None)
    assert sum(1 for post in page.posts if post["selftext"]) == 2
    assert sum(1 for post in page.posts if post["flair"]) == 9


_DROP = object()  # marks a key to delete from post 4


def _listing_with_post_4(raw: dict[str, Any], **changes: Any) -> dict[str, Any]:
    body = copy.deepcopy(raw)
    data = body["data"]["children"][4]["data"]
    for key, value in changes.items():
        if value is _DROP:
            del data[key]
        else:
            data[key] = value
    return body


@pytest.mark.parametrize(
    ("changes", "field", "expected"),
    [
        ({"author": None}, "author", "[deleted]"),
        ({"selftext": _DROP}, "selftext", ""),
        ({"selftext": None}, "selftext", ""),
        ({"link_flair_text": ""}, "flair", None),
        ({"link_flair_text": _DROP}, "flair", None),
        ({"link_flair_text": "Discussion"}, "flair", "Discussion"),
        ({"id": "t3_abc123"}, "id", "abc123"),
        ({"score": 12.0}, "score", 12),
        (
            {"created_utc": 1700000000},
            "created_utc",
            datetime(2023, 11, 14, 22, 13, 20, tzinfo=UTC),
        ),
        (
            {"permalink": "https://old.reddit.com/r/x/comments/1/"},
            "permalink",
            "https://old.reddit.com/r/x/comments/1/",
        ),
    ],
)
def test_lenient_post_values(
    raw_listing: dict[str, Any], changes: dict[str, Any], field: str, expected: Any
) -> None:
    post = parse_listing(_listing_with_post_4(raw_listing, **changes)).posts[4]

    assert post[field] == expected


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"created_utc": _DROP}, "reddit listing: data.children[4].data.created_utc: missing"),
        ({"created_utc": "1688475187.0"}, "data.children[4].data.created_utc: expected an epoch"),
        ({"created_utc": True}, "data.children[4].data.created_utc: expected an epoch"),
        ({"id": _DROP}, "reddit listing: data.children[4].data.id: missing"),
        ({"title": 42}, "data.children[4].data.title: expected a string, got 42"),
        ({"subreddit": None}, "data.children[4].data.subreddit: missing"),
        ({"score": "12"}, "data.children[4].data.score: expected"),
        ({"score": 1.5}, "data.children[4].data.score: expected an integer"),
        ({"num_comments": _DROP}, "data.children[4].data.num_comments: missing"),
        ({"permalink": _DROP}, "data.children[4].data.permalink: missing"),
        ({"author": ["x"]}, "data.children[4].data.author: expected a string"),
    ],
)
def test_malformed_post_names_the_field(
    raw_listing: dict[str, Any], changes: dict[str, Any], message: str
) -> None:
    with pytest.raises(PayloadError) as caught:
        parse_listing(_listing_with_post_4(raw_listing, **changes))

    assert message in str(caught.value)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda body: body.update(kind="t3"), "reddit listing: kind: expected 'Listing', got 't3'"),
        (lambda body: body.pop("data"), "reddit listing: data: missing"),
        (lambda body: body["data"].pop("children"), "reddit listing: data.children: missing"),
        (lambda body: body["data"].update(children={}), "data.children: expected a list, got dict"),
        (lambda body: body["data"].update(after=5), "data.after: expected a string, got 5"),
        (
            lambda body: body["data"]["children"][4].update(kind="t5"),
            "reddit listing: data.children[4].kind: expected 't3', got 't5'",
        ),
        (
            lambda body: body["data"]["children"].__setitem__(4, "x"),
            "data.children[4]: expected an object, got str",
        ),
        (
            lambda body: body["data"]["children"][4].pop("data"),
            "data.children[4].data: missing",
        ),
    ],
)
def test_malformed_envelope_names_the_field(
    raw_listing: dict[str, Any], mutate: Any, message: str
) -> None:
    body = copy.deepcopy(raw_listing)
    mutate(body)

    with pytest.raises(PayloadError) as caught:
        parse_listing(body)

    assert message in str(caught.value)


def test_a_non_object_payload_is_a_payload_error() -> None:
    with pytest.raises(PayloadError, match="reddit listing: payload: expected an object, got list"):
        parse_listing([])


@pytest.mark.parametrize("after", [None, ""])
def test_last_page_has_no_after(raw_listing: dict[str, Any], after: str | None) -> None:
    body = copy.deepcopy(raw_listing)
    body["data"]["after"] = after

    assert parse_listing(body).after is None
