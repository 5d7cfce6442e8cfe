"""HttpClient basics against a local server: requests sent, JSON decoding, pacing."""

from __future__ import annotations

import itertools
import time

import pytest

from crypto_assets.sources.errors import PayloadError
from crypto_assets.sources.http import HttpClient
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
    assert all(later - earlier >= 0.19 for earlier, later in itertools.pairwise(times))


def test_defer_holds_back_the_next_request(server: ScriptedServer, http: HttpClient, clock) -> None:
    server.script("GET", "/x", OK)

    http.defer(42)
    http.get_json(server.url("/x"))

    assert clock.sleeps == [42]


def test_real_sleep_and_clock_are_the_defaults() -> None:
    client = HttpClient()

    assert client.sleep is time.sleep and client.clock is time.monotonic
    assert (client.timeout_s, client.min_interval_s, client.max_retries) == (30, 0, 5)
    assert (client.backoff_base_s, client.max_backoff_s) == (1.0, 60)
