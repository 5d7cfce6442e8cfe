"""Archive and dump post objects normalized to the live client's post dicts; rate-limit resets."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from crypto_assets.sources.errors import PayloadError
from crypto_assets.sources.reddit_archive import (
    MAX_RATELIMIT_WAIT_S,
    RATELIMIT_FALLBACK_WAIT_S,
    ratelimit_wait_s,
)
from crypto_assets.sources.reddit_archive_posts import check_window, normalize_archive_post
from crypto_assets.sources.reddit_listing import POST_FIELDS
from crypto_assets_tests.sources.history_payloads import post_object, read_posts

MAY_13 = datetime(2022, 5, 13, tzinfo=UTC)


def test_a_recorded_post_becomes_exactly_the_live_clients_fields() -> None:
    raw = read_posts("CryptoMarkets_2022-05-13")[0]

    post = normalize_archive_post(raw, "arctic shift", "data[0]")

    assert tuple(post) == POST_FIELDS
    assert post["id"] == raw["id"] and post["title"] == raw["title"]
    assert post["created_utc"] == datetime.fromtimestamp(raw["created_utc"], UTC)
    assert post["permalink"] == "https://www.reddit.com" + raw["permalink"]
    assert post["flair"] is None  # the recorded posts have no link_flair_text


def test_normalization_fills_defaults_and_reads_flair() -> None:
    raw = post_object("t3_abc", 1652400000, author=None, selftext=None, link_flair_text="News")
    del raw["permalink"]

    assert normalize_archive_post(raw, "arctic shift") == {
        "id": "abc",
        "subreddit": "dogecoin",
        "title": "title t3_abc",
        "selftext": "",
        "author": "[deleted]",
        "score": 1,
        "num_comments": 0,
        "created_utc": MAY_13,
        "permalink": "https://www.reddit.com/r/dogecoin/comments/abc/",
        "flair": "News",
    }
    assert normalize_archive_post(post_object("x", 1, link_flair_text=""), "a")["flair"] is None


@pytest.mark.parametrize(
    ("created_utc", "expected"),
    [
        (1652400000, MAY_13),
        (1652400000.5, datetime(2022, 5, 13, 0, 0, 0, 500000, tzinfo=UTC)),
        ("1652400000", MAY_13),
        ("1652400000.0", MAY_13),
    ],
)
def test_created_utc_accepts_numbers_and_numeric_strings(created_utc, expected) -> None:
    post = normalize_archive_post(post_object("a", created_utc), "dump")
    assert post["created_utc"] == expected


@pytest.mark.parametrize("created_utc", [None, True, "yesterday", "-5", [1652400000], float("nan")])
def test_created_utc_rejects_anything_else(created_utc) -> None:
    with pytest.raises(PayloadError, match=r"^arctic shift: data\[2\]\.created_utc: "):
        normalize_archive_post(post_object("a", created_utc), "arctic shift", "data[2]")


def test_every_bad_field_is_named() -> None:
    raw = {"id": "", "subreddit": "x", "created_utc": 1, "title": 5, "num_comments": 1.0}

    with pytest.raises(PayloadError) as error:
        normalize_archive_post(raw, "reddit dump RS_2022-05.zst line 9")

    assert str(error.value).startswith("reddit dump RS_2022-05.zst line 9: id: ")
    for problem in ("title: input should be a valid string", "score: missing", "num_comments:"):
        assert problem in str(error.value)


@pytest.mark.parametrize(
    ("start", "end", "problem"),
    [
        (datetime(2022, 5, 13), MAY_13, "timezone-aware"),
        (MAY_13, datetime(2022, 5, 14), "timezone-aware"),
        (MAY_13, MAY_13, "empty window"),
    ],
)
def test_windows_must_be_aware_and_not_empty(start, end, problem) -> None:
    with pytest.raises(ValueError, match=problem):
        check_window(start, end)


@pytest.mark.parametrize(
    ("reset", "expected"),
    [
        ("30", 30.0),
        ("1652400060", 60.0),  # epoch seconds
        ("1652400060000", 60.0),  # epoch milliseconds
        ("1652399000", 0.0),  # already past
        ("99999", MAX_RATELIMIT_WAIT_S),
        ("soon", RATELIMIT_FALLBACK_WAIT_S),
        (None, RATELIMIT_FALLBACK_WAIT_S),
    ],
)
def test_ratelimit_reset_values(reset, expected) -> None:
    assert ratelimit_wait_s(reset, now=1652400000.0) == expected
