"""pydantic field types for API payloads, and validation whose errors name the field path.

The APIs are lax in known ways (Coinlore sends numbers as strings, "" for an unknown supply),
so the number and integer types accept exactly those forms and nothing looser: "nan", "inf",
"1_000" and booleans, which Python's float() or pydantic's lax mode would take, are refused.
Every error becomes `PayloadError("{source}: {path}: {problem}")`, e.g.
`coinlore tickers: data[3].price_usd: expected a number, got 'abc'`.
"""

from __future__ import annotations

import math
import re
from functools import partial
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, BeforeValidator, TypeAdapter, ValidationError

from crypto_assets.sources.errors import PayloadError

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")
# Plain decimal or E-notation; rejects "nan", "inf", "1_000" and the like that float() accepts.
_NUMBER_RE = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def shown(value: object) -> str:
    """A value as an error message shows it (repr, at most 60 characters)."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _number(value: object, *, allow_empty: bool, non_negative: bool) -> float | None:
    if value is None or value == "":
        if allow_empty:
            return None
        raise ValueError(f"expected a number, got {shown(value)}")
    if isinstance(value, bool) or not (
        isinstance(value, int | float)
        or (isinstance(value, str) and _NUMBER_RE.fullmatch(value.strip()))
    ):
        raise ValueError(f"expected a number, got {shown(value)}")
    number = float(value)  # type: ignore[arg-type]
    if not math.isfinite(number):
        raise ValueError(f"expected a finite number, got {shown(value)}")
    if non_negative and number < 0:
        raise ValueError(f"must not be negative, got {shown(value)}")
    return number


def _integer(value: object, *, strings: bool = True) -> int:
    if isinstance(value, str) and not strings:
        raise ValueError(f"expected an integer, got {shown(value)}")
    number = _number(value, allow_empty=False, non_negative=False)
    if number is None or not number.is_integer():
        raise ValueError(f"expected an integer, got {shown(value)}")
    return int(number)


def _text(value: object) -> str:
    if value is None:  # a required field sent as null is as good as absent
        raise ValueError("missing")
    if not isinstance(value, str):
        raise ValueError(f"expected a string, got {shown(value)}")
    return value


def _optional_text(value: object) -> str | None:
    if value is not None and not isinstance(value, str):
        raise ValueError(f"expected a string, got {shown(value)}")
    return value


def _epoch(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"expected an epoch number, got {shown(value)}")
    return float(value)


Number = Annotated[float, BeforeValidator(partial(_number, allow_empty=False, non_negative=False))]
NonNegativeNumber = Annotated[
    float, BeforeValidator(partial(_number, allow_empty=False, non_negative=True))
]
# Present, but null or "" when unknown.
OptionalNumber = Annotated[
    float | None, BeforeValidator(partial(_number, allow_empty=True, non_negative=False))
]
OptionalNonNegativeNumber = Annotated[
    float | None, BeforeValidator(partial(_number, allow_empty=True, non_negative=True))
]
Integer = Annotated[int, BeforeValidator(_integer)]  # 2, 2.0 and "2"; not 2.5
Count = Annotated[int, BeforeValidator(partial(_integer, strings=False))]  # JSON numbers only
Text = Annotated[str, BeforeValidator(_text)]
OptionalText = Annotated[str | None, BeforeValidator(_optional_text)]
Epoch = Annotated[float, BeforeValidator(_epoch)]


def child_path(path: str, key: str | int) -> str:
    """Path of `key` inside `path`, e.g. data[3].price_usd."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def field_path(loc: tuple[str | int, ...]) -> str:
    """A pydantic error location as a path: ("data", 3, "price_usd") -> data[3].price_usd."""
    path = ""
    for part in loc:
        path = f"{path}[{part}]" if isinstance(part, int) else (f"{path}.{part}" if path else part)
    return path


def _problem(error: Any) -> str:
    kind, value = error["type"], error.get("input")
    if kind == "missing":
        return "missing"
    if kind == "value_error":
        return str(error["ctx"]["error"])
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"expected an object, got {type(value).__name__}"
    if kind == "list_type":
        return f"expected a list, got {type(value).__name__}"
    if kind in ("tuple_type", "list_type"):
        return f"expected a list, got {type(value).__name__}"
    if kind == "literal_error":
        return f"expected {error['ctx']['expected']}, got {shown(value)}"
    return f"{error['msg']}, got {shown(value)}"


def validate(model: type[M], payload: object, source: str) -> M:
    """`payload` as a `model`, or PayloadError naming the first failing field's path."""
    try:
        return model.model_validate(payload)
    except ValidationError as exc:
        raise _payload_error(exc, source) from None


def validate_with(adapter: TypeAdapter[T], payload: object, source: str, at: str = "") -> T:
    """`payload` validated by `adapter` (any type: a tuple row, a list of rows), or PayloadError
    naming the first failing field's path (below `at`, when given)."""
    try:
        return adapter.validate_python(payload)
    except ValidationError as exc:
        raise _payload_error(exc, source, at) from None


def _payload_error(exc: ValidationError, source: str, at: str = "") -> PayloadError:
    first = exc.errors(include_url=False)[0]
    below = field_path(first["loc"])
    joined = below if not at or not below or below.startswith("[") else f".{below}"
    return PayloadError(f"{source}: {f'{at}{joined}' or 'payload'}: {_problem(first)}")
