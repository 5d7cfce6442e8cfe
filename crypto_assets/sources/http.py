"""A polite JSON-over-HTTP client: pacing, retries with backoff, Retry-After, typed errors.

Retries are tenacity's; the pacing (a minimum interval shared by every caller of a client, which
a retry's wait also pushes back) is kept here because tenacity paces one call, not a client.
"""

from __future__ import annotations

import json
import logging
import random
import re
import threading
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from importlib import metadata
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import requests
import tenacity
from requests.exceptions import ChunkedEncodingError

from crypto_assets.sources.errors import PayloadError, SourceUnavailableError

logger = logging.getLogger(__name__)


def _package_version() -> str:
    try:
        return metadata.version("crypto-assets")
    except metadata.PackageNotFoundError:
        return "0.1.0"


DEFAULT_USER_AGENT = f"python:crypto_assets:{_package_version()}"
RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})
ERROR_BODY_BYTES = 2048  # enough for an API's JSON error object; never a whole page
RETRYABLE_EXCEPTIONS = (requests.ConnectionError, requests.Timeout, ChunkedEncodingError)


def url_without_query(url: str) -> str:
    """The URL with query string and fragment removed, safe to put in logs and errors."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))


def describe_exception(exc: BaseException) -> str:
    """Exception type and message with any URL query strings removed (they may carry keys)."""
    text = re.sub(r"\?[^\s)'\"]*", "", str(exc))
    return f"{type(exc).__name__}: {text[:300]}"


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date); None if unusable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


OFFLINE_HINT = (
    "is this machine offline? CRYPTO_SOURCE=replay serves recorded real responses instead"
)


class _Transient(Exception):
    """A failure worth retrying: a connection error or a 429/5xx, with its response if any."""

    def __init__(self, problem: str, response: requests.Response | None) -> None:
        super().__init__(problem)
        self.problem, self.response = problem, response


class HttpClient:
    """Sends paced requests through a requests.Session, retrying transient failures."""

    def __init__(
        self,
        session: requests.Session | None = None,
        *,
        user_agent: str = DEFAULT_USER_AGENT,
        timeout_s: float = 30.0,
        min_interval_s: float = 0.0,
        max_retries: int = 5,
        backoff_base_s: float = 1.0,
        max_backoff_s: float = 60.0,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if max_retries < 0:
            raise ValueError(f"max_retries must be >= 0, got {max_retries}")
        self.session = session if session is not None else requests.Session()
        self.user_agent = user_agent
        self.timeout_s = timeout_s
        self.min_interval_s = min_interval_s
        self.max_retries = max_retries
        self.backoff_base_s = backoff_base_s
        self.max_backoff_s = max_backoff_s
        self.sleep = sleep
        self.clock = clock
        self._lock = threading.Lock()
        self._next_allowed_at = float("-inf")

    def defer(self, seconds: float) -> None:
        """Hold back the next request from this client until `seconds` from now."""
        with self._lock:
            self._next_allowed_at = max(self._next_allowed_at, self.clock() + seconds)

    def _wait_turn(self) -> None:
        # Reserve a slot under the lock, sleep outside it: concurrent callers queue up in order.
        with self._lock:
            now = self.clock()
            start_at = max(now, self._next_allowed_at)
            self._next_allowed_at = start_at + self.min_interval_s
        if start_at > now:
            self.sleep(start_at - now)

    def _backoff_s(self, retry: int, response: requests.Response | None) -> float:
        if response is not None:
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            if retry_after is not None:
                return min(retry_after, self.max_backoff_s)
        delay = min(self.max_backoff_s, self.backoff_base_s * 2**retry)
        return delay * (0.5 + random.random() / 2)

    def request(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        data: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        auth: tuple[str, str] | None = None,
    ) -> requests.Response:
        """Send one logical request, retrying 429/5xx/connection errors; return the 2xx response."""
        kwargs = {"params": params, "data": data, "auth": auth}
        safe_url = url_without_query(url)
        all_headers = {
            "User-Agent": self.user_agent,
            "Accept": "application/json",
            **(headers or {}),
        }

        def send_once() -> requests.Response:
            self._wait_turn()
            try:
                response = self.session.request(
                    method, url, headers=all_headers, timeout=self.timeout_s, **kwargs
                )
            except RETRYABLE_EXCEPTIONS as exc:
                raise _Transient(describe_exception(exc), None) from exc
            if response.status_code < 400:
                return response
            if response.status_code not in RETRYABLE_STATUSES:
                raise SourceUnavailableError(
                    f"{method} {safe_url} failed: HTTP {response.status_code}",
                    status=response.status_code,
                    body=response.content[:ERROR_BODY_BYTES],
                )
            raise _Transient(f"HTTP {response.status_code}", response)

        retrying = tenacity.Retrying(
            stop=tenacity.stop_after_attempt(self.max_retries + 1),
            retry=tenacity.retry_if_exception_type(_Transient),
            wait=self._wait_before_retry,
            # The wait is not slept here: it becomes the client's next allowed start, so every
            # caller sharing the client (and its pacing) holds back, not just this one.
            sleep=self.defer,
            before_sleep=lambda state: self._log_retry(method, safe_url, state),
            reraise=True,
        )
        try:
            return retrying(send_once)
        except _Transient as failure:
            # No response at all (DNS, refused, timeout): most often no network; say what to do.
            hint = "" if failure.response is not None else f"; {OFFLINE_HINT}"
            raise SourceUnavailableError(
                f"{method} {safe_url} failed after {self.max_retries + 1} attempts: "
                f"{failure.problem}{hint}",
                status=None if failure.response is None else failure.response.status_code,
            ) from None

    def _wait_before_retry(self, state: tenacity.RetryCallState) -> float:
        failure = state.outcome.exception() if state.outcome else None
        response = failure.response if isinstance(failure, _Transient) else None
        return self._backoff_s(state.attempt_number - 1, response)

    def _log_retry(self, method: str, safe_url: str, state: tenacity.RetryCallState) -> None:
        failure = state.outcome.exception() if state.outcome else None
        delay = state.next_action.sleep if state.next_action else 0.0
        logger.warning(
            "%s %s: %s; retry %d/%d in %.2fs",
            method,
            safe_url,
            failure.problem if isinstance(failure, _Transient) else failure,
            state.attempt_number,
            self.max_retries,
            delay,
        )

    def decode_json(self, response: requests.Response) -> Any:
        """The response body as JSON, or PayloadError naming the request URL."""
        try:
            return json.loads(response.content)
        except ValueError:
            content_type = response.headers.get("Content-Type", "unknown")
            raise PayloadError(
                f"{response.request.method} {url_without_query(response.url)}: body is not JSON "
                f"(HTTP {response.status_code}, {content_type}, {len(response.content)} bytes)"
            ) from None

    def get_json(
        self,
        url: str,
        params: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> Any:
        """GET `url` and decode its JSON body."""
        return self.decode_json(self.request("GET", url, params=params, headers=headers))

    def post_json(
        self,
        url: str,
        data: Mapping[str, Any] | None = None,
        headers: Mapping[str, str] | None = None,
        auth: tuple[str, str] | None = None,
    ) -> Any:
        """POST form `data` to `url` and decode its JSON body."""
        return self.decode_json(self.request("POST", url, data=data, headers=headers, auth=auth))
