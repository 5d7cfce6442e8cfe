"""Client secret, password and bearer tokens never reach log records or exception text."""

from __future__ import annotations

import logging
import socket
from datetime import UTC, datetime, timedelta

import pytest

from crypto_assets.sources.errors import SourceError
from crypto_assets.sources.http import HttpClient
from crypto_assets.sources.reddit import RedditClient, RedditCredentials
from crypto_assets_tests.sources.reddit_payloads import listing_body, paged_listing, post_child
from crypto_assets_tests.sources.scripted_server import Reply, ScriptedServer

SECRET, PASSWORD = "cs-7f3a9e1d-SECRET", "pw-4b8c2e6f-PASSWORD"
TOKENS = ("tok-0d1e2f3a-FIRST", "tok-5c6d7e8f-SECOND")
CREDS = RedditCredentials("client-id-1", SECRET, "bot_user", PASSWORD)
START = datetime(2025, 10, 28, 12, 0, tzinfo=UTC)
END = START + timedelta(minutes=10)
OAUTH_NEW = "/oauth/r/CryptoCurrency/new"


def assert_no_secrets(text: str) -> None:
    for secret in (SECRET, PASSWORD, *TOKENS):
        assert secret not in text


def exception_texts(exc: BaseException) -> str:
    """str and repr of the exception and of everything chained to it."""
    texts = []
    current: BaseException | None = exc
    while current is not None:
        texts += [str(current), repr(current)]
        current = current.__cause__ or current.__context__
    return "\n".join(texts)


def client(base_url: str, http: HttpClient) -> RedditClient:
    return RedditClient(http, CREDS, www_url=base_url, oauth_url=base_url + "/oauth")


def test_successful_flow_with_retries_refresh_and_rate_limit_logs_no_secret(
    server: ScriptedServer, http: HttpClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # every logger, urllib3's included
    token = {"token_type": "bearer", "expires_in": 3600}
    server.script(
        "POST",
        "/api/v1/access_token",
        Reply({}, status=503),
        Reply(token | {"access_token": TOKENS[0]}),
        Reply(token | {"access_token": TOKENS[1]}),
    )
    limited = {"X-Ratelimit-Remaining": "0", "X-Ratelimit-Reset": "3"}
    posts = [post_child("a", START + timedelta(minutes=1)), post_child("b", START - timedelta(1))]
    server.script(
        "GET",
        OAUTH_NEW,
        Reply({}, status=401),
        Reply({}, status=502),
        paged_listing(posts, limited),
    )

    found = client(server.url(), http).fetch_window(["CryptoCurrency"], START, END)

    assert [p["id"] for p in found] == ["a"]
    assert [r.headers["authorization"] for r in server.seen(OAUTH_NEW)][-1] == f"bearer {TOKENS[1]}"
    assert any(r.levelno == logging.WARNING for r in caplog.records)  # retries were logged
    assert_no_secrets(caplog.text)


@pytest.mark.parametrize(
    "token_replies",
    [
        [Reply({"error": 401}, status=401)],
        [Reply({"error": "invalid_grant", "password": PASSWORD})],
        [Reply(b"<html>busy</html>", headers={"Content-Type": "text/html"})],
        [Reply({}, status=503)],
        [Reply({"access_token": TOKENS[0], "expires_in": 60})],  # then the listing fails
    ],
)
def test_failures_log_and_raise_without_secrets(
    server: ScriptedServer,
    http: HttpClient,
    caplog: pytest.LogCaptureFixture,
    token_replies: list[Reply],
) -> None:
    caplog.set_level(logging.DEBUG)
    server.script("POST", "/api/v1/access_token", *token_replies)
    server.script("GET", OAUTH_NEW, Reply(listing_body([], None), status=403))

    with pytest.raises(SourceError) as caught:
        client(server.url(), http).fetch_window(["CryptoCurrency"], START, END)

    assert_no_secrets(exception_texts(caught.value))
    assert_no_secrets(caplog.text)


def test_unreachable_token_endpoint_raises_without_secrets(
    http: HttpClient, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]

    with pytest.raises(SourceError, match="ConnectionError") as caught:
        client(f"http://127.0.0.1:{port}", http).fetch_window(["CryptoCurrency"], START, END)

    assert_no_secrets(exception_texts(caught.value))
    assert_no_secrets(caplog.text)
