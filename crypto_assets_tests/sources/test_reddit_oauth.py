"""RedditClient authentication against a local server: password grant, bearer, refresh."""

from __future__ import annotations

import base64

import pytest

from crypto_assets.sources.errors import SourceUnavailableError
from crypto_assets.sources.http import HttpClient
from crypto_assets.sources.reddit import default_user_agent
from crypto_assets_tests.sources.reddit_payloads import (
    CREDS,
    END,
    OAUTH_NEW,
    START,
    TOKEN_PATH,
    children,
    paged_listing,
    reddit,
    token,
)
from crypto_assets_tests.sources.scripted_server import Reply, ScriptedServer


def test_oauth_password_grant_then_bearer(server: ScriptedServer, http: HttpClient) -> None:
    server.script("POST", TOKEN_PATH, token("tok-1"))
    server.script("GET", OAUTH_NEW, paged_listing(children(5, -1)))

    posts = reddit(server, http).fetch_window(["CryptoCurrency"], START, END)

    (token_request,) = server.seen(TOKEN_PATH)
    expected_basic = base64.b64encode(b"app-id:app-secret-Q9").decode()
    assert token_request.headers["authorization"] == f"Basic {expected_basic}"
    assert token_request.form == {
        "grant_type": "password",
        "username": "bot_user",
        "password": "hunter2-pw",
    }
    (listing_request,) = server.seen(OAUTH_NEW)
    assert listing_request.headers["authorization"] == "bearer tok-1"
    assert listing_request.query == {"limit": "100", "raw_json": "1"}
    assert listing_request.headers["user-agent"] == http.user_agent
    assert [post["id"] for post in posts] == ["p0"]


def test_token_is_reused_until_shortly_before_expiry(
    server: ScriptedServer, http: HttpClient, clock
) -> None:
    server.script("POST", TOKEN_PATH, token("tok-1", expires_in=3600), token("tok-2"))
    server.script("GET", OAUTH_NEW, paged_listing(children(5, -1)))
    client = reddit(server, http)

    client.fetch_window(["CryptoCurrency"], START, END)
    clock.advance(3600 - 60 - 1)  # one second before expiry minus the safety margin
    client.fetch_window(["CryptoCurrency"], START, END)
    clock.advance(2)
    client.fetch_window(["CryptoCurrency"], START, END)

    assert len(server.seen(TOKEN_PATH)) == 2
    bearers = [r.headers["authorization"] for r in server.seen(OAUTH_NEW)]
    assert bearers == ["bearer tok-1", "bearer tok-1", "bearer tok-2"]


def test_401_refreshes_the_token_once(server: ScriptedServer, http: HttpClient) -> None:
    server.script("POST", TOKEN_PATH, token("tok-1"), token("tok-2"))
    server.script("GET", OAUTH_NEW, Reply({}, status=401), paged_listing(children(5, -1)))

    posts = reddit(server, http).fetch_window(["CryptoCurrency"], START, END)

    assert [p["id"] for p in posts] == ["p0"]
    bearers = [r.headers["authorization"] for r in server.seen(OAUTH_NEW)]
    assert bearers == ["bearer tok-1", "bearer tok-2"]


def test_persistent_401_fails_after_one_refresh(server: ScriptedServer, http: HttpClient) -> None:
    server.script("POST", TOKEN_PATH, token("tok-1"), token("tok-2"))
    server.script("GET", OAUTH_NEW, Reply({}, status=401))

    with pytest.raises(SourceUnavailableError, match="HTTP 401") as caught:
        reddit(server, http).fetch_window(["CryptoCurrency"], START, END)

    assert caught.value.status == 401
    assert (len(server.seen(TOKEN_PATH)), len(server.seen(OAUTH_NEW))) == (2, 2)


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (
            Reply({"error": "invalid_grant"}),
            "no access token for /u/bot_user (error: 'invalid_grant')",
        ),
        (Reply({"error": 401}, status=401), "HTTP 401 (check the client id and secret)"),
    ],
)
def test_refused_token_request(
    server: ScriptedServer, http: HttpClient, reply: Reply, message: str
) -> None:
    server.script("POST", TOKEN_PATH, reply)

    with pytest.raises(SourceUnavailableError) as caught:
        reddit(server, http).fetch_window(["CryptoCurrency"], START, END)

    assert message in str(caught.value)
    assert server.seen(OAUTH_NEW) == []


def test_public_mode_uses_new_json_without_auth(server: ScriptedServer, http: HttpClient) -> None:
    server.script("GET", "/r/CryptoCurrency/new.json", paged_listing(children(5, -1)))

    posts = reddit(server, http, creds=None).fetch_window(["CryptoCurrency"], START, END)

    assert [p["id"] for p in posts] == ["p0"]
    (request,) = server.seen()
    assert "authorization" not in request.headers
    assert request.query == {"limit": "100", "raw_json": "1"}


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("bot_user", "python:crypto_assets:0.1.0 (by /u/bot_user)"),
        (None, "python:crypto_assets:0.1.0"),
    ],
)
def test_default_user_agent(username: str | None, expected: str) -> None:
    assert default_user_agent(username) == expected


def test_credentials_repr_hides_secrets() -> None:
    text = repr(CREDS) + str(CREDS)

    assert "app-id" in text and "bot_user" in text
    assert "app-secret-Q9" not in text and "hunter2-pw" not in text
