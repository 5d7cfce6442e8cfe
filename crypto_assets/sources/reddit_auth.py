"""Reddit script-app OAuth: password-grant bearer tokens, cached until shortly before expiry."""

from __future__ import annotations

import math
from dataclasses import dataclass

from crypto_assets.sources.errors import SourceUnavailableError
from crypto_assets.sources.http import HttpClient

ACCESS_TOKEN_PATH = "/api/v1/access_token"
TOKEN_EXPIRY_MARGIN_S = 60.0
DEFAULT_TOKEN_LIFETIME_S = 3600.0


@dataclass(repr=False)
class RedditCredentials:
    """A Reddit script app's id and secret plus the account it runs as."""

    client_id: str
    client_secret: str
    username: str
    password: str

    def __repr__(self) -> str:
        return (
            f"RedditCredentials(client_id={self.client_id!r}, client_secret='***', "
            f"username={self.username!r}, password='***')"
        )


class BearerTokenSource:
    """Gets a bearer token with the password grant and reuses it until it is about to expire."""

    def __init__(self, http: HttpClient, credentials: RedditCredentials, www_url: str) -> None:
        self.http = http
        self.credentials = credentials
        self.token_url = www_url.rstrip("/") + ACCESS_TOKEN_PATH
        self._token: str | None = None
        self._expires_at = -math.inf

    def invalidate(self) -> None:
        """Forget the current token, e.g. after the API rejected it with HTTP 401."""
        self._token = None

    def authorization_header(self) -> dict[str, str]:
        """{"Authorization": "bearer TOKEN"} with a token that has not expired."""
        if self._token is None or self.http.clock() >= self._expires_at:
            self._token, self._expires_at = self._request_token()
        return {"Authorization": f"bearer {self._token}"}

    def _request_token(self) -> tuple[str, float]:
        creds = self.credentials
        requested_at = self.http.clock()
        form = {"grant_type": "password", "username": creds.username, "password": creds.password}
        try:
            body = self.http.post_json(
                self.token_url, data=form, auth=(creds.client_id, creds.client_secret)
            )
        except SourceUnavailableError as exc:
            hint = " (check the client id and secret)" if exc.status == 401 else ""
            raise SourceUnavailableError(f"reddit oauth: {exc}{hint}", status=exc.status) from None
        token = body.get("access_token") if isinstance(body, dict) else None
        if not isinstance(token, str) or not token:
            # Reddit answers a wrong username or password with HTTP 200 and {"error": "invalid_grant"}.
            error = body.get("error") if isinstance(body, dict) else None
            raise SourceUnavailableError(
                f"reddit oauth: no access token for /u/{creds.username} (error: {str(error)[:40]!r})"
            )
        lifetime = body.get("expires_in")
        if isinstance(lifetime, bool) or not isinstance(lifetime, int | float) or lifetime <= 0:
            lifetime = DEFAULT_TOKEN_LIFETIME_S
        return token, requested_at + lifetime - min(TOKEN_EXPIRY_MARGIN_S, lifetime / 2)
