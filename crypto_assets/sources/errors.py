"""Errors raised by the source clients; every one is a SourceError."""

from __future__ import annotations


class SourceError(RuntimeError):
    """Base class for every failure to get usable data from an external source."""


class PayloadError(SourceError):
    """A response arrived but its body is malformed or has drifted from the expected shape."""


class SourceUnavailableError(SourceError):
    """The source did not answer usefully: retries exhausted or a non-retryable HTTP status."""

    def __init__(self, message: str, *, status: int | None = None, body: bytes = b"") -> None:
        super().__init__(message)
        self.status = status
        self.body = body  # the start of the error response, for callers that read its details


class ListingDepthError(SourceError):
    """A requested Reddit window is older than the subreddit's /new listing reaches back."""


class SubredditUnavailableError(SourceError):
    """A subreddit cannot be read: private, banned, quarantined or no such subreddit."""

    def __init__(self, subreddit: str, reason: str, status: int | None) -> None:
        super().__init__(
            f"reddit r/{subreddit} is unavailable ({reason}, HTTP {status}): check the configured "
            "subreddits; private, banned, quarantined and unknown subreddits cannot be read"
        )
        self.subreddit = subreddit
        self.reason = reason
        self.status = status
