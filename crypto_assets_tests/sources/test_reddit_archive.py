"""ArchiveClient against the loopback archive fake: paging, same-second posts, faults, payloads."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from crypto_assets.sources.errors import PayloadError, SourceError, SourceUnavailableError
from crypto_assets.sources.http import HttpClient
from crypto_assets.sources.reddit_archive import (
    ARCHIVE_MIN_INTERVAL_S,
    RATELIMIT_FALLBACK_WAIT_S,
    ArchiveClient,
)
from crypto_assets.sources.reddit_listing import POST_FIELDS
from crypto_assets_tests.sources.history_fake import POSTS_PATH, HistoryFake, running
from crypto_assets_tests.sources.history_payloads import post_object, read_posts, recorded_fake
from crypto_assets_tests.sources.scripted_server import Reply

MAY_13 = datetime(2022, 5, 13, tzinfo=UTC)
MAY_4 = datetime(2022, 5, 4, tzinfo=UTC)
DAY = timedelta(days=1)
T0 = int(MAY_13.timestamp())


@pytest.fixture
def fake() -> Iterator[HistoryFake]:
    with running(recorded_fake()) as history:
        yield history


@pytest.fixture
def synthetic() -> Iterator[HistoryFake]:
    with running(HistoryFake()) as history:
        yield history


def fetch(fake: HistoryFake, http: HttpClient, sub: str = "dogecoin", day=MAY_13, **kwargs: Any):
    client = ArchiveClient(http, base_url=fake.base_url, **kwargs)
    return client.fetch_subreddit(sub, day, day + DAY)


def afters(fake: HistoryFake) -> list[int]:
    return [int(request.query["after"]) for request in fake.seen(POSTS_PATH)]


def test_a_busy_real_day_takes_two_pages_and_loses_nothing(fake, http) -> None:
    expected = read_posts("dogecoin_2022-05-13")
    assert len(expected) == 141  # more than one page of 100

    posts = fetch(fake, http)

    assert [p["id"] for p in posts] == [p["id"] for p in expected]
    first = fake.seen(POSTS_PATH)[0].query
    assert (first["sort"], first["limit"], first["before"]) == ("asc", "100", str(T0 + 86400))
    # after is exclusive: one second before the window, then the 100th post's second minus one
    assert afters(fake) == [T0 - 1, expected[99]["created_utc"] - 1]
    assert all(tuple(p) == POST_FIELDS for p in posts)
    assert posts[0]["created_utc"] == datetime.fromtimestamp(expected[0]["created_utc"], UTC)
    assert posts[0]["permalink"] == f"https://www.reddit.com{expected[0]['permalink']}"


def test_posts_of_one_second_across_a_100_post_page_boundary(synthetic, http) -> None:
    # Posts 98, 99 and 100 share one second: page 1 ends inside that second.
    seconds = [T0 + i for i in range(98)] + [T0 + 98] * 3 + [T0 + 99 + i for i in range(49)]
    synthetic.add_posts(post_object(f"p{i:03d}", second) for i, second in enumerate(seconds))

    posts = fetch(synthetic, http)

    assert [p["id"] for p in posts] == [f"p{i:03d}" for i in range(150)]  # none lost or twice
    assert afters(synthetic) == [T0 - 1, T0 + 98 - 1]  # page 2 re-reads the boundary second


def test_real_pair_of_posts_in_one_second_survives_a_page_cut_between_them(fake, http) -> None:
    expected = [p["id"] for p in read_posts("dogecoin_2022-05-04")]
    assert expected[47:49] == ["uicwc8", "uicwcf"]  # both created at 2022-05-04 18:16:08

    posts = fetch(fake, http, day=MAY_4, page_limit=48)

    assert [p["id"] for p in posts] == expected
    assert afters(fake)[1] == 1651688168 - 1


def test_a_full_page_within_one_second_is_an_error_not_a_loop(synthetic, http) -> None:
    synthetic.add_posts(post_object(f"s{i:03d}", T0 + 5) for i in range(100))

    with pytest.raises(SourceError, match="r/dogecoin: a full page of 100 posts all created at"):
        fetch(synthetic, http)

    assert len(synthetic.seen(POSTS_PATH)) == 1


def test_window_is_half_open_and_request_bounds_are_exclusive(synthetic, http) -> None:
    start, end = MAY_13 + timedelta(hours=1), MAY_13 + timedelta(hours=2)
    s, e = int(start.timestamp()), int(end.timestamp())
    at = {"before": s - 1, "first": s, "last": e - 1, "end": e}
    synthetic.add_posts([post_object("x", s, "Bitcoin"), *(post_object(*i) for i in at.items())])

    client = ArchiveClient(http, base_url=synthetic.base_url)
    posts = client.fetch_subreddit("r/dogecoin", start, end)

    assert [p["id"] for p in posts] == ["first", "last"]
    (request,) = synthetic.seen(POSTS_PATH)
    assert (request.query["after"], request.query["before"]) == (str(s - 1), str(e))


def test_fetch_window_merges_subreddits_oldest_first(fake, http) -> None:
    client = ArchiveClient(http, base_url=fake.base_url)
    posts = client.fetch_window(["CryptoMarkets", "dogecoin"], MAY_13, MAY_13 + DAY)

    assert len(posts) == 58 + 141
    assert {p["subreddit"] for p in posts} == {"CryptoMarkets", "dogecoin"}
    keys = [(p["created_utc"], p["id"]) for p in posts]
    assert keys == sorted(keys) and len({p["id"] for p in posts}) == len(posts)


def test_an_empty_day_is_an_empty_list(fake, http) -> None:
    assert fetch(fake, http, "CryptoMarkets", day=datetime(2022, 5, 10, tzinfo=UTC)) == []
    assert len(fake.seen(POSTS_PATH)) == 1


def test_429_waits_for_retry_after_then_carries_on(fake, http, clock) -> None:
    fake.fail(POSTS_PATH, 2, Reply({"error": "rate limited"}, 429, {"Retry-After": "7"}))

    assert len(fetch(fake, http)) == 141

    assert clock.sleeps == [7.0]
    assert afters(fake)[1] == afters(fake)[2]  # the refused page was asked for again


def test_503_is_retried(fake, http, clock) -> None:
    fake.fail(POSTS_PATH, 1, Reply({"error": "unavailable"}, 503))

    assert len(fetch(fake, http, "CryptoMarkets")) == 58

    assert len(fake.seen(POSTS_PATH)) == 2
    assert len(clock.sleeps) == 1 and 0.25 <= clock.sleeps[0] <= 0.5  # backoff, no Retry-After


def test_pacing_constant_spaces_requests(fake, clock) -> None:
    http = HttpClient(min_interval_s=ARCHIVE_MIN_INTERVAL_S, sleep=clock.sleep, clock=clock)
    fetch(fake, http)
    assert ARCHIVE_MIN_INTERVAL_S == 1.0 and clock.sleeps == [1.0]


@pytest.mark.parametrize(
    ("headers", "wait"),
    [
        ({"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": "9"}, 9.0),
        ({"X-RateLimit-Remaining": "1", "X-RateLimit-Reset": "1700000012"}, 12.0),
        ({"X-RateLimit-Remaining": "0"}, RATELIMIT_FALLBACK_WAIT_S),
        ({"X-RateLimit-Remaining": "50", "X-RateLimit-Reset": "9"}, None),
    ],
    ids=["seconds-until", "epoch-seconds", "no-reset", "plenty-left"],
)
def test_low_ratelimit_remaining_defers_the_next_request(fake, http, clock, headers, wait):
    fake.headers[POSTS_PATH] = headers

    fetch(fake, http, now=lambda: 1_700_000_000.0)

    assert clock.sleeps == ([] if wait is None else [wait])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"data": [post_object("a", T0 + 5), {"id": "b"}]}, "data[1].subreddit: missing"),
        ({"data": [post_object("a", "yesterday")]}, "data[0].created_utc: expected epoch sec"),
        ({"data": [post_object("a", True)]}, "data[0].created_utc: expected epoch seconds"),
        ({"data": [post_object("a", T0, score="3")]}, "data[0].score: input should be a valid"),
        ({"data": [post_object("a", T0 - 3600)]}, "data[0].created_utc: 2022-05-12 23:00:00 is"),
        ({"data": ["a post"]}, "data[0]: expected an object"),
        ({"posts": []}, "data: expected an object with a 'data' list"),
        ([], "data: expected an object with a 'data' list"),
    ],
)
def test_malformed_page_names_the_field_and_the_request(synthetic, http, body, field) -> None:
    synthetic.fail(POSTS_PATH, 1, Reply(body))

    with pytest.raises(PayloadError) as error:
        fetch(synthetic, http)

    assert str(error.value).startswith("arctic shift: ")
    assert field in str(error.value)
    assert f"subreddit=dogecoin after={T0 - 1}" in str(error.value)


def test_page_limit_over_100_is_rejected_by_client_and_archive(synthetic, http) -> None:
    with pytest.raises(ValueError, match=r"page_limit must be 1\.\.100"):
        ArchiveClient(http, base_url=synthetic.base_url, page_limit=101)

    with pytest.raises(SourceUnavailableError) as error:
        http.get_json(synthetic.base_url + POSTS_PATH, params={"subreddit": "x", "limit": 101})
    assert error.value.status == 400
    assert json.loads(error.value.body) == {"error": "limit must be <= 100"}
