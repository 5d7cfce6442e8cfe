"""Archive and dump post objects (Arctic Shift / Pushshift shape) as normalized post dicts."""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, PlainValidator
from pydantic import ValidationError as PydanticValidationError

from crypto_assets.sources.errors import PayloadError
from crypto_assets.sources.payload_models import child_path
from crypto_assets.sources.reddit_listing import post_record

_EPOCH_STRING_RE = re.compile(r"\d+(\.\d+)?")


def _epoch_seconds(value: object) -> float:
    if isinstance(value, str) and _EPOCH_STRING_RE.fullmatch(value.strip()):
        value = float(value)  # old dumps store some epochs as numeric strings
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"expected epoch seconds (a number), got {value!r:.60}")
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"expected non-negative finite epoch seconds, got {value!r:.60}")
    return float(value)


class ArchivePost(BaseModel):
    """The fields of an archive (or dump) post object that the normalized post is made of."""

    model_config = ConfigDict(extra="ignore", strict=True)

    id: str = Field(min_length=1)
    subreddit: str = Field(min_length=1)
    created_utc: Annotated[float, PlainValidator(_epoch_seconds)]
    title: str
    selftext: str | None = None
    author: str | None = None
    score: int
    num_comments: int
    permalink: str | None = None
    link_flair_text: str | None = None


def _describe_errors(exc: PydanticValidationError, path: str) -> str:
    problems = []
    for error in exc.errors(include_url=False):
        field = path
        for key in error["loc"]:
            field = child_path(field, key)
        if error["type"] == "missing":
            problems.append(f"{field}: missing")
        elif error["type"] == "value_error":
            problems.append(f"{field}: {error['msg'].removeprefix('Value error, ')}")
        else:
            problems.append(f"{field}: {error['msg'].lower()}, got {error['input']!r:.60}")
    return "; ".join(problems)


def normalize_archive_post(raw: object, where: str, path: str = "") -> dict[str, Any]:
    """One archive or dump post object as a dict with exactly POST_FIELDS, or PayloadError.

    Errors read '{where}: {path}.{field}: problem', e.g. 'arctic shift: data[3].created_utc: ...'.
    """
    if not isinstance(raw, dict):
        raise PayloadError(
            f"{where}: {path or 'post'}: expected an object, got {type(raw).__name__}"
        )
    try:
        post = ArchivePost.model_validate(raw)
    except PydanticValidationError as exc:
        raise PayloadError(f"{where}: {_describe_errors(exc, path)}") from None
    post_id = post.id.removeprefix("t3_")
    return post_record(post, post.permalink or f"/r/{post.subreddit}/comments/{post_id}/")


def check_window(start: datetime, end: datetime) -> tuple[datetime, datetime]:
    """[start, end) in UTC; ValueError unless both are timezone-aware and start < end."""
    if start.tzinfo is None or end.tzinfo is None:
        raise ValueError("start and end must be timezone-aware datetimes")
    if start >= end:
        raise ValueError(f"empty window: start {start} is not before end {end}")
    return start.astimezone(UTC), end.astimezone(UTC)


def sort_posts(posts: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """Posts (keyed by id) oldest first, ties broken by id."""
    return sorted(posts.values(), key=lambda post: (post["created_utc"], post["id"]))
