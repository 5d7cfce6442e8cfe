"""Private, banned, quarantined or unknown subreddits: SubredditUnavailableError, not depth."""

from __future__ import annotations

import pytest

from crypto_assets.sources.errors import (
    ListingDepthError,
    SourceUnavailableError,
    SubredditUnavailableError,
)
from crypto_assets.sources.http import HttpClient
from crypto_assets_tests.sources.reddit_payloads import (
    END,
    OAUTH_NEW,
    START,
    TOKEN_PATH,
    listing_body,
    reddit,
    token,
)
from crypto_assets_tests.sources.scripted_server import Reply, ScriptedServer

PUBLIC_NEW = "/r/CryptoCurrency/new.json"

UNAVAILABLE = [
    pytest.param(403, {"reason": "private", "message": "Forbidden", "error": 403}, "private"),
    pytest.param(403, {"reason": "quarantined", "message": "Forbidden"}, "quarantined"),
    pytest.param(404, {"reason": "banned", "message": "Not Found", "error": 404}, "banned"),
    pytest.param(404, {"message": "Not Found", "error": 404}, "not found"),
]


@pytest.mark.parametrize(("status", "body", "reason"), UNAVAILABLE)
@pytest.mark.parametrize("oauth", [False, True], ids=["public", "oauth"])
def test_private_banned_or_unknown_subreddits_are_their_own_error(
    server: ScriptedServer, http: HttpClient, status: int, body: dict, reason: str, oauth: bool
) -> None:
    server.script("POST", TOKEN_PATH, token("tok-1"))
    path = OAUTH_NEW if oauth else PUBLIC_NEW
    server.script("GET", path, Reply(body, status=status))
    client = reddit(server, http, **({} if oauth else {"creds": None}))

    with pytest.raises(SubredditUnavailableError) as caught:
        client.fetch_window(["CryptoCurrency"], START, END)

    error = caught.value
    assert (error.subreddit, error.reason, error.status) == ("CryptoCurrency", reason, status)
    assert f"r/CryptoCurrency is unavailable ({reason}, HTTP {status})" in str(error)
    assert not isinstance(error, ListingDepthError | SourceUnavailableError)
    assert len(server.seen(path)) == 1  # not retried


def test_an_unknown_subreddit_redirected_to_search_is_unavailable(
    server: ScriptedServer, http: HttpClient
) -> None:
    search = "/subreddits/search.json"
    server.script(
        "GET",
        "/r/nosuchsub/new.json",
        Reply({}, status=302, headers={"Location": f"{search}?q=nosuchsub"}),
    )
    server.script("GET", search, Reply(listing_body([], None)))

    with pytest.raises(SubredditUnavailableError) as caught:
        reddit(server, http, creds=None).fetch_window(["nosuchsub"], START, END)

    assert caught.value.reason == "no such subreddit, redirected to search"
    assert "r/nosuchsub is unavailable (no such subreddit, redirected to search, HTTP 302)" in str(
        caught.value
    )


@pytest.mark.parametrize(
    "body", [{"message": "Forbidden", "error": 403}, b"<html>blocked</html>"], ids=["json", "html"]
)
def test_a_403_without_a_reason_stays_a_source_unavailable_error(
    server: ScriptedServer, http: HttpClient, body: object
) -> None:
    # a bare 403 is a blocked client or missing scope, not a statement about the subreddit
    server.script("GET", PUBLIC_NEW, Reply(body, status=403))

    with pytest.raises(SourceUnavailableError, match="HTTP 403") as caught:
        reddit(server, http, creds=None).fetch_window(["CryptoCurrency"], START, END)
    assert not isinstance(caught.value, SubredditUnavailableError)


def test_a_404_from_the_token_endpoint_is_not_blamed_on_the_subreddit(
    server: ScriptedServer, http: HttpClient
) -> None:
    server.script("POST", TOKEN_PATH, Reply({"reason": "banned", "error": 404}, status=404))

    with pytest.raises(SourceUnavailableError, match=r"reddit oauth: .*HTTP 404") as caught:
        reddit(server, http).fetch_window(["CryptoCurrency"], START, END)
    assert not isinstance(caught.value, SubredditUnavailableError)
    assert server.seen(OAUTH_NEW) == []
