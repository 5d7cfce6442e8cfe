"""HttpClient against a real local server: retries, Retry-After, pacing, typed errors."""

from __future__ import annotations

import logging
import socket
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from crypto_assets.sources.errors import PayloadError, SourceUnavailableError
from crypto_assets.sources.http import HttpClient, parse_retry_after
from crypto_assets_tests.sources.scripted_server import Reply, ScriptedServer

OK = Reply({"ok": True})


def test_get_json_sends_user_agent_and_params(server: ScriptedServer, http: HttpClient) -> None:
    server.script("GET", "/thing", OK)

    assert http.get_json(server.url("/thing"), params={"a": 1}) == {"ok": True}

    (seen,) = server.seen()
    assert seen.query == {"a": "1"}
    assert seen.headers["user-agent"] == "python:crypto_assets_tests:0 (by /u/tester)"


def test_post_json_sends_form_and_basic_auth(server: ScriptedServer, http: HttpClient) -> None:
    server.script("POST", "/token", OK)

    assert http.post_json(server.url("/token"), data={"x": "y"}, auth=("id", "pw")) == {"ok": True}

    (seen,) = server.seen()
    assert seen.form == {"x": "y"}
    assert seen.headers["authorization"] == "Basic aWQ6cHc="


@pytest.mark.parametrize("status", [429, 500, 502, 503, 504])
def test_retryable_status_then_success(
    server: ScriptedServer, http: HttpClient, clock, status: int
) -> None:
    server.script("GET", "/flaky", Reply({}, status=status), OK)

    assert http.get_json(server.url("/flaky")) == {"ok": True}

    assert len(server.seen()) == 2
    # exponential backoff with jitter: first retry waits between half and all of backoff_base_s
    assert len(clock.sleeps) == 1 and 0.25 <= clock.sleeps[0] <= 0.5


def test_429_waits_at_least_retry_after_in_real_time(server: ScriptedServer) -> None:
    server.script("GET", "/limited", Reply({}, status=429, headers={"Retry-After": "1"}), OK)
    client = HttpClient(backoff_base_s=0.01)

    assert client.get_json(server.url("/limited")) == {"ok": True}

    first, second = server.seen()
    assert second.at - first.at >= 1.0


def test_retry_after_http_date_and_cap(server: ScriptedServer, http: HttpClient, clock) -> None:
    in_20s = format_datetime(datetime.now(UTC) + timedelta(seconds=20), usegmt=True)
    server.script(
        "GET",
        "/limited",
        Reply({}, status=503, headers={"Retry-After": in_20s}),
        Reply({}, status=429, headers={"Retry-After": "3600"}),
        OK,
    )

    http.get_json(server.url("/limited"))

    assert 17 <= clock.sleeps[0] <= 20
    assert clock.sleeps[1] == http.max_backoff_s  # 3600 s capped at 30


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("7", 7.0),
        ("0", 0.0),
        ("Wed, 21 Oct 2015 07:28:00 GMT", 10.0),
        ("Wed, 21 Oct 2015 07:27:00 GMT", 0.0),  # already past
        ("soon", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_retry_after(header: str | None, expected: float | None) -> None:
    now = datetime(2015, 10, 21, 7, 27, 50, tzinfo=UTC)

    assert parse_retry_after(header, now=now) == expected


def test_persistent_503_gives_up_after_max_retries(server: ScriptedServer, clock) -> None:
    server.script("GET", "/down", Reply({}, status=503))
    client = HttpClient(
        max_retries=4, backoff_base_s=1, max_backoff_s=5, sleep=clock.sleep, clock=clock
    )

    with pytest.raises(SourceUnavailableError) as caught:
        client.get_json(server.url("/down"), params={"q": "x"})

    assert len(server.seen()) == 5  # the first attempt plus max_retries retries
    assert caught.value.status == 503
    assert str(caught.value) == f"GET {server.url('/down')} failed after 5 attempts: HTTP 503"
    # backoff doubles per retry (1, 2, 4, 8 capped at 5), each jittered down by at most half
    for wait, ceiling in zip(clock.sleeps, [1, 2, 4, 5], strict=True):
        assert ceiling / 2 <= wait <= ceiling


@pytest.mark.parametrize("status", [400, 401, 403, 404, 501])
def test_other_errors_fail_at_once(server: ScriptedServer, http: HttpClient, status: int) -> None:
    server.script("GET", "/nope", Reply({}, status=status))

    with pytest.raises(
        SourceUnavailableError, match=f"GET .*/nope failed: HTTP {status}"
    ) as caught:
        http.get_json(server.url("/nope"))

    assert caught.value.status == status
    assert len(server.seen()) == 1


def test_connection_refused_is_retried_then_unavailable(http: HttpClient, clock) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again below: nothing listens there

    with pytest.raises(SourceUnavailableError, match="failed after 4 attempts: ConnectionError"):
        http.get_json(f"http://127.0.0.1:{port}/x")

    assert len(clock.sleeps) == 3


def test_read_timeout_is_retried(server: ScriptedServer, clock) -> None:
    server.script("GET", "/slow", Reply({}, delay_s=1.0), OK)
    client = HttpClient(timeout_s=0.2, backoff_base_s=0.01, sleep=clock.sleep, clock=clock)

    assert client.get_json(server.url("/slow")) == {"ok": True}
    assert len(server.seen()) == 2


@pytest.mark.parametrize("body", [b"<html>rate limited</html>", b'{"data": [', b"\xff\xfe"])
def test_non_json_body_is_a_payload_error(
    server: ScriptedServer, http: HttpClient, body: bytes
) -> None:
    server.script("GET", "/api/tickers/", Reply(body, headers={"Content-Type": "text/html"}))

    with pytest.raises(
        PayloadError, match=r"GET http://127\.0\.0\.1:\d+/api/tickers/: body is not JSON"
    ):
        http.get_json(server.url("/api/tickers/"), params={"start": 0})


def test_pacing_spaces_requests_on_the_injected_clock(server: ScriptedServer, clock) -> None:
    server.script("GET", "/paced", OK)
    client = HttpClient(min_interval_s=1.0, sleep=clock.sleep, clock=clock)

    for _ in range(3):
        client.get_json(server.url("/paced"))
    clock.advance(5)
    client.get_json(server.url("/paced"))

    assert clock.sleeps == [1.0, 1.0]  # none before the first, none after a long pause
    assert len(server.seen()) == 4


def test_pacing_in_real_time(server: ScriptedServer) -> None:
    server.script("GET", "/paced", OK)
    client = HttpClient(min_interval_s=0.2)

    for _ in range(3):
        client.get_json(server.url("/paced"))

    times = [seen.at for seen in server.seen()]
    assert all(later - earlier >= 0.19 for earlier, later in zip(times, times[1:]))


def test_defer_holds_back_the_next_request(server: ScriptedServer, http: HttpClient, clock) -> None:
    server.script("GET", "/x", OK)

    http.defer(42)
    http.get_json(server.url("/x"))

    assert clock.sleeps == [42]


def test_retries_are_logged_without_query_or_headers(
    server: ScriptedServer, http: HttpClient, caplog: pytest.LogCaptureFixture
) -> None:
    server.script("GET", "/flaky", Reply({}, status=502), OK)
    caplog.set_level(logging.DEBUG)

    http.get_json(
        server.url("/flaky"), params={"api_key": "K-SECRET"}, headers={"X-Key": "H-SECRET"}
    )

    (record,) = [r for r in caplog.records if r.name == "crypto_assets.sources.http"]
    assert record.levelno == logging.WARNING
    assert record.getMessage().startswith(f"GET {server.url('/flaky')}: HTTP 502; retry 1/3 in ")
    assert "SECRET" not in caplog.text


def test_real_sleep_and_clock_are_the_defaults() -> None:
    client = HttpClient()

    assert client.sleep is time.sleep and client.clock is time.monotonic
    assert (client.timeout_s, client.min_interval_s, client.max_retries) == (30, 0, 5)
    assert (client.backoff_base_s, client.max_backoff_s) == (1.0, 60)
