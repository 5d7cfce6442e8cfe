"""Tables of a dataset: an empty frame, and a frame cast to (or conformed with) its schema."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa

from crypto_assets.datasets.catalog import ASSET_KEYS, ASSET_SCHEMAS


def empty_frame(asset: str) -> pd.DataFrame:
    """A zero-row DataFrame with the asset's columns and dtypes."""
    return ASSET_SCHEMAS[asset].empty_table().to_pandas()


def to_arrow(asset: str, df: pd.DataFrame) -> pa.Table:
    """Cast a DataFrame to the asset's schema; a missing or extra column fails naming it."""
    schema = ASSET_SCHEMAS[asset]
    missing = [n for n in schema.names if n not in df.columns]
    extra = [c for c in df.columns if c not in schema.names]
    if missing or extra:
        raise ValueError(
            f"{asset}: columns differ from its schema: missing {missing}, extra {extra}"
        )
    frame = df[schema.names].copy()
    for field in schema:
        if pa.types.is_timestamp(field.type):
            frame[field.name] = _naive_utc(frame[field.name])
    try:
        return pa.Table.from_pandas(frame, schema=schema, preserve_index=False)
    except (pa.ArrowException, UnicodeError, ValueError, TypeError, OverflowError) as exc:
        raise ValueError(f"{asset}: {_bad_cell(asset, frame, schema) or exc}") from exc


def _bad_cell(asset: str, frame: pd.DataFrame, schema: pa.Schema) -> str | None:
    """Which row (by its key) and field cannot be converted, and why."""
    for field in schema:
        column = frame[field.name]
        try:
            pa.array(column, type=field.type, from_pandas=True)
            continue
        except (pa.ArrowException, UnicodeError, ValueError, TypeError, OverflowError):
            pass
        for position, value in enumerate(column):
            try:
                pa.array([value], type=field.type, from_pandas=True)
            except (pa.ArrowException, UnicodeError, ValueError, TypeError, OverflowError) as exc:
                row = frame.iloc[position]
                key = ", ".join(f"{k}={row[k]!s}" for k in ASSET_KEYS[asset] if k != "window_start")
                return f"row {key or position}: field {field.name!r}: {type(exc).__name__}: {exc}"
    return None


def conform(asset: str, df: pd.DataFrame) -> pd.DataFrame:
    """The DataFrame with exactly the asset's columns, in order, with the schema's dtypes."""
    return to_arrow(asset, df).to_pandas()


def _naive_utc(series: pd.Series) -> pd.Series:
    values = pd.to_datetime(series, utc=True)
    return values.dt.tz_convert("UTC").dt.tz_localize(None).astype("datetime64[us]")
