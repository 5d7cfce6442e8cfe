"""Typed field access on decoded JSON that names the failing field path in every error."""

from __future__ import annotations

import math
import re
from typing import Any

from crypto_assets.sources.errors import PayloadError

_MISSING = object()
# Plain decimal or E-notation; rejects "nan", "inf", "1_000" and the like that float() accepts.
_NUMBER_RE = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def child_path(path: str, key: str | int) -> str:
    """Path of `key` inside `path`, e.g. data[3].price_usd."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _describe(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


class PayloadReader:
    """Reads fields of one source's payload, raising PayloadError('{source}: {path}: ...')."""

    def __init__(self, source: str) -> None:
        self.source = source

    def error(self, path: str, problem: str) -> PayloadError:
        """A PayloadError for the field at `path`."""
        return PayloadError(f"{self.source}: {path or 'payload'}: {problem}")

    def as_object(self, value: object, path: str) -> dict[str, Any]:
        """`value` as a JSON object."""
        if not isinstance(value, dict):
            raise self.error(path, f"expected an object, got {type(value).__name__}")
        return value

    def as_list(self, value: object, path: str) -> list[Any]:
        """`value` as a JSON array."""
        if not isinstance(value, list):
            raise self.error(path, f"expected a list, got {type(value).__name__}")
        return value

    def required(self, obj: dict[str, Any], key: str, path: str) -> Any:
        """obj[key], which must be present and not null."""
        value = obj.get(key, _MISSING)
        if value is _MISSING or value is None:
            raise self.error(child_path(path, key), "missing")
        return value

    def present(self, obj: dict[str, Any], key: str, path: str) -> Any:
        """obj[key], which must be present but may be null."""
        value = obj.get(key, _MISSING)
        if value is _MISSING:
            raise self.error(child_path(path, key), "missing")
        return value

    def as_string(self, value: object, path: str) -> str:
        """`value` as a string."""
        if not isinstance(value, str):
            raise self.error(path, f"expected a string, got {_describe(value)}")
        return value

    def as_int(self, value: object, path: str) -> int:
        """`value` as an int; integral floats and numeric strings such as 2.0 or "2" are accepted."""
        number = self.as_number(value, path)
        if number is None or not number.is_integer():
            raise self.error(path, f"expected an integer, got {_describe(value)}")
        return int(number)

    def as_number(
        self, value: object, path: str, *, allow_empty: bool = True, non_negative: bool = False
    ) -> float | None:
        """`value` as a float; numbers, numeric strings and E-notation accepted, null and "" None."""
        if value is None or value == "":
            if allow_empty:
                return None
            raise self.error(path, f"expected a number, got {_describe(value)}")
        if isinstance(value, bool):
            raise self.error(path, f"expected a number, got {_describe(value)}")
        if isinstance(value, int | float) or (
            isinstance(value, str) and _NUMBER_RE.fullmatch(value.strip())
        ):
            number = float(value)
        else:
            raise self.error(path, f"expected a number, got {_describe(value)}")
        if not math.isfinite(number):
            raise self.error(path, f"expected a finite number, got {_describe(value)}")
        if non_negative and number < 0:
            raise self.error(path, f"must not be negative, got {_describe(value)}")
        return number
