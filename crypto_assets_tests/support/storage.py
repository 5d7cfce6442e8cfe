"""Lake and warehouse helpers of the storage tests: windows, reddit_posts tables, readers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

import pandas as pd
import pyarrow as pa
from dagster_aws.s3 import S3Resource

from crypto_assets.datasets import ASSET_SCHEMAS, to_arrow
from crypto_assets.resources.lake import LakeResource
from crypto_assets.storage.duckdb_warehouse import DuckDBWarehouse
from crypto_assets.storage.lake import ParquetLake
from crypto_assets.storage.lakehouse import WrittenWindows, replace_windows
from crypto_assets.storage.snowflake_warehouse import SnowflakeWarehouse

ASSET = "reddit_posts"
SCHEMA = ASSET_SCHEMAS[ASSET]
W0 = datetime(2025, 10, 5, 14, 20)
W1 = datetime(2025, 10, 5, 14, 30)
END = datetime(2025, 10, 5, 14, 40)
TEN = timedelta(minutes=10)
Warehouse = DuckDBWarehouse | SnowflakeWarehouse


def posts(window: datetime, ids: list[str]) -> pa.Table:
    """A reddit_posts table with one row per id in `window`."""
    rows = [
        {
            "window_start": window,
            "post_id": i,
            "subreddit": "CryptoCurrency",
            "title": f"post {i}",
            "selftext": "",
            "author": "a",
            "score": 1,
            "num_comments": 0,
            "created_utc": window,
            "permalink": f"https://www.reddit.com/r/CryptoCurrency/comments/{i}/",
            "flair": None,
        }
        for i in ids
    ]
    return to_arrow("reddit_posts", pd.DataFrame(rows, columns=SCHEMA.names))


def s3_lake(bucket: str, endpoint: str) -> ParquetLake:
    """The lake on moto's S3, built as the deployment builds it (S3Resource + s3fs)."""
    s3 = S3Resource(endpoint_url=endpoint, region_name="us-east-1")
    return LakeResource(root=f"s3://{bucket}/lake", s3=s3).lake()


def lake_rows(lake: ParquetLake, starts: list[datetime]) -> dict[str, list[str]]:
    """Post ids per window (HH:MM) in the lake."""
    present = sorted(lake.existing_windows(["reddit_posts"], starts))
    table = lake.read_windows(["reddit_posts"], present, SCHEMA).to_pandas()
    return _by_window(table)


def warehouse_rows(wh: DuckDBWarehouse) -> dict[str, list[str]]:
    """Post ids per window (HH:MM) in the warehouse."""
    return _by_window(wh.query('SELECT window_start, post_id FROM "LOADING"."reddit_posts"'))


def _by_window(df: pd.DataFrame) -> dict[str, list[str]]:
    grouped = df.groupby(df["window_start"].dt.strftime("%H:%M"))["post_id"]
    return {w: sorted(ids) for w, ids in grouped}


def count_by_window(wh: Warehouse) -> dict[str, int]:
    """Rows per window_start (HH:MM) in LOADING.reddit_posts, on either backend."""
    df = wh.query("SELECT window_start AS w, count(*) AS n FROM loading.reddit_posts GROUP BY 1")
    df.columns = [c.lower() for c in df.columns]
    return {
        pd.Timestamp(w).strftime("%H:%M"): int(n)
        for w, n in sorted(zip(df["w"], df["n"], strict=True))
    }


def write(
    lake: ParquetLake, wh: Warehouse, table: pa.Table, starts: Sequence[datetime]
) -> WrittenWindows:
    """Replace `starts` of reddit_posts in the lake, then the warehouse from those files."""
    return replace_windows(lake, wh, ASSET, table, starts, TEN)
