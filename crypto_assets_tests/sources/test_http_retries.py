"""HttpClient retries against a local server: which failures retry, backoff, Retry-After."""

from __future__ import annotations

import logging
import socket
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import pytest

from crypto_assets.sources.errors import SourceUnavailableError
from crypto_assets.sources.http import HttpClient, parse_retry_after
from crypto_assets_tests.sources.scripted_server import Reply, ScriptedServer

OK = Reply({"ok": True})


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
    assert clock.sleeps[1] == pytest.approx(http.max_backoff_s)  # 3600 s capped at 30


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

    with pytest.raises(
        SourceUnavailableError, match="failed after 4 attempts: ConnectionError"
    ) as e:
        http.get_json(f"http://127.0.0.1:{port}/x")

    assert len(clock.sleeps) == 3
    # No answer at all: the message says what to do on a machine without network.
    assert str(e.value).endswith("CRYPTO_SOURCE=replay serves recorded real responses instead")


def test_read_timeout_is_retried(server: ScriptedServer, clock) -> None:
    server.script("GET", "/slow", Reply({}, delay_s=1.0), OK)
    client = HttpClient(timeout_s=0.2, backoff_base_s=0.01, sleep=clock.sleep, clock=clock)

    assert client.get_json(server.url("/slow")) == {"ok": True}
    assert len(server.seen()) == 2


def test_retries_are_logged_without_query_or_headers(
    server: ScriptedServer, http: HttpClient, caplog: pytest.LogCaptureFixture
) -> None:
    server.script("GET", "/flaky", Reply({}, status=502), OK)
    caplog.set_level(logging.DEBUG)

    http.get_json(
        server.url("/flaky"), params={"api_key": "K-SECRET"}, headers={"X-Key": "H-SECRET"}
    )

    ours = [r for r in caplog.records if r.name.startswith("crypto_assets")]
    assert [r.levelno for r in ours] == [logging.WARNING]
    assert ours[0].getMessage().startswith(f"GET {server.url('/flaky')}: HTTP 502; retry 1/3 in ")
    assert "K-SECRET" not in ours[0].getMessage()
    assert "H-SECRET" not in caplog.text  # no logger, ours or urllib3's, sees headers
