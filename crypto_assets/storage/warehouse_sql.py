"""What the SQL warehouses share: column types from the arrow schemas, identifiers, bounds."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import datetime

import pandas as pd
import pyarrow as pa

# The arrow types of crypto_assets.schemas, per dialect; timestamps are naive UTC everywhere.
DUCKDB_TYPES: Mapping[pa.DataType, str] = {
    pa.string(): "VARCHAR",
    pa.int64(): "BIGINT",
    pa.float64(): "DOUBLE",
    pa.timestamp("us"): "TIMESTAMP",
    pa.bool_(): "BOOLEAN",
}
SNOWFLAKE_TYPES: Mapping[pa.DataType, str] = {
    pa.string(): "VARCHAR",
    pa.int64(): "NUMBER(38,0)",
    pa.float64(): "FLOAT",
    pa.timestamp("us"): "TIMESTAMP_NTZ",
    pa.bool_(): "BOOLEAN",
}


def quoted(name: str) -> str:
    """A double-quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


def column_type(field: pa.Field, types: Mapping[pa.DataType, str]) -> str:
    """The SQL type of one arrow field; an unsupported type fails naming the column."""
    try:
        return types[field.type]
    except KeyError:
        raise ValueError(
            f"column {field.name!r}: no SQL type for arrow type {field.type}"
        ) from None


def column_ddl(
    schema: pa.Schema,
    types: Mapping[pa.DataType, str],
    name: Callable[[str], str] = str,
) -> str:
    """Column definitions for a CREATE TABLE, with `name` mapping each column name."""
    return ", ".join(f"{quoted(name(f.name))} {column_type(f, types)}" for f in schema)


def missing_fields(schema: pa.Schema, existing: Iterable[str]) -> list[pa.Field]:
    """The fields of `schema` whose names are not among the table's existing columns."""
    present = set(existing)
    return [f for f in schema if f.name not in present]


def naive_utc(moment: datetime) -> datetime:
    """The moment as a naive UTC datetime (window bounds may arrive timezone-aware)."""
    if moment.tzinfo is None:
        return moment
    return pd.Timestamp(moment).tz_convert("UTC").tz_localize(None).to_pydatetime()
