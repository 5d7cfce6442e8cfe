"""Benchmark: warehouse load of one day of 1,000-coin listings, bulk from the lake vs the old paths.

Run: .venv/bin/python benchmarks/bench_warehouse_load.py [--windows 144] [--coins 1000]

Rows are the real 2021-12 Coinlore top 1,000 (test fixture) with per-window random-walk prices.
Every path replaces all windows in one transaction on a fresh table: DDL, DELETE, load, COMMIT.
The lake files are written before the clock starts (the new paths load exactly those files).
Snowflake is fakesnow's server (DuckDB behind HTTP, started here): its ratios say how much
work the client and the SQL text cost, not what a real Snowflake warehouse would do. Slow
baselines run on a subset of windows and their rows/s is extrapolated; the table says so.
"""

from __future__ import annotations

import argparse
import logging
import tempfile
import time
import warnings
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from crypto_assets.datasets import ASSET_SCHEMAS, to_arrow
from crypto_assets.storage.duckdb_warehouse import DuckDBWarehouse
from crypto_assets.storage.lake import LakeFiles, ParquetLake
from crypto_assets.storage.snowflake_warehouse import SnowflakeWarehouse
from crypto_assets.storage.warehouse_sql import DUCKDB_TYPES, column_ddl, naive_utc

ASSET, SCHEMA_NAME = "coin_listings", "LOADING"
FIXTURE = (
    Path(__file__).parents[1]
    / "crypto_assets_tests/fixtures/coinlore_tickers_7000coins_2021-12.csv"
)
DAY = datetime(2025, 10, 20)
WINDOW = timedelta(minutes=10)


def listings(coins: int, windows: int) -> tuple[pa.Table, list[datetime]]:
    """`windows` consecutive windows of the top `coins` listings, prices walking randomly."""
    rng = np.random.default_rng(7)
    base = pd.read_csv(FIXTURE, index_col=0).sort_values("rank").head(coins)
    for col in ("market_cap_usd", "csupply"):  # a few values are not numbers in the fixture
        base[col] = pd.to_numeric(base[col], errors="coerce")
    base = base.assign(coin_id=base["id"].astype(str), rank=base["rank"].astype("int64"))
    starts = [DAY + i * WINDOW for i in range(windows)]
    frames, walk = [], np.ones(len(base))
    for start in starts:
        walk = walk * np.exp(rng.normal(0, 0.002, len(base)))
        frame = base.assign(window_start=start, as_of=start + timedelta(seconds=90))
        for col in ("price_usd", "price_btc", "market_cap_usd"):
            frame[col] = base[col] * walk
        frames.append(frame.assign(prices_captured=True, source="coinlore"))
    df = pd.concat(frames, ignore_index=True)
    return to_arrow(ASSET, df[ASSET_SCHEMAS[ASSET].names]), starts


def ts(table: pa.Table, moment: datetime) -> pa.Scalar:
    """`moment` as a scalar of the table's window_start type."""
    return pa.scalar(moment, type=table.schema.field("window_start").type)


def write_lake(lake: ParquetLake, table: pa.Table, starts: list[datetime]) -> LakeFiles:
    """One Parquet file per window, as replace_windows writes them."""
    transaction = lake.begin()
    keys = [lake.key([ASSET], s) for s in starts]
    for key, start in zip(keys, starts, strict=True):
        transaction.put(key, table.filter(pc.equal(table["window_start"], ts(table, start))))
    transaction.commit()
    return LakeFiles(lake, tuple(keys))


def new_path(wh: DuckDBWarehouse | SnowflakeWarehouse, table: pa.Table, files: LakeFiles) -> int:
    """The new path: replacing() + load(lake files) + commit()."""
    start, end = naive_utc(DAY), DAY + len(files.keys) * WINDOW
    with wh.replacing(SCHEMA_NAME, ASSET, table.schema, start, end) as replace:
        rows = replace.load(files)
        replace.commit()
    return rows


# --- BASELINE ONLY: the old code, kept here to measure against (not used by the package) ---


def old_duckdb_arrow(path: Path, table: pa.Table, row_by_row: bool = False) -> int:
    """Old DuckDB path: DDL, DELETE, then register the Arrow table + INSERT…SELECT (or executemany)."""
    import duckdb

    qualified, cols = f'"{SCHEMA_NAME}"."{ASSET}"', ", ".join(f'"{n}"' for n in table.schema.names)
    con = duckdb.connect(str(path))
    con.execute("BEGIN TRANSACTION")
    con.execute(f'CREATE SCHEMA IF NOT EXISTS "{SCHEMA_NAME}"')
    con.execute(
        f"CREATE TABLE IF NOT EXISTS {qualified} ({column_ddl(table.schema, DUCKDB_TYPES)})"
    )
    con.execute(f'DELETE FROM {qualified} WHERE "window_start" >= ?', [DAY])
    if row_by_row:
        marks = ", ".join("?" * table.num_columns)
        con.executemany(f"INSERT INTO {qualified} ({cols}) VALUES ({marks})", old_rows(table))
    else:
        con.register("incoming_rows", table)
        con.execute(f"INSERT INTO {qualified} ({cols}) SELECT {cols} FROM incoming_rows")
    con.execute("COMMIT")
    con.close()
    return table.num_rows


def old_rows(table: pa.Table) -> list[tuple]:
    """Old Snowflake helper: rows as tuples, NaN as None."""
    cols = []
    for field, column in zip(table.schema, table.columns, strict=True):
        values = column.to_pylist()
        if pa.types.is_floating(field.type):
            values = [None if v is not None and v != v else v for v in values]
        cols.append(values)
    return list(zip(*cols, strict=True))


def old_chunks(rows: list[tuple]) -> Iterator[list[tuple]]:
    """Old Snowflake helper: at most 1,000 rows and about 500,000 characters of SQL each."""
    chunk: list[tuple] = []
    size = 0
    for row in rows:
        row_size = sum(len(v) if isinstance(v, str) else 32 for v in row) + 4 * len(row)
        if chunk and (size + row_size > 500_000 or len(chunk) >= 1_000):
            yield chunk
            chunk, size = [], 0
        chunk.append(row)
        size += row_size
    if chunk:
        yield chunk


def without_dollars(table: pa.Table) -> pa.Table:
    """Strings without '$': fakesnow reads '$PAC' inside a string literal as a session variable."""
    for i, field in enumerate(table.schema):
        if pa.types.is_string(field.type):
            table = table.set_column(i, field, pc.replace_substring(table[i], "$", ""))
    return table


def old_snowflake_inserts(connect_kwargs: dict, table: pa.Table) -> int:
    """Old Snowflake path: new session, 2 information_schema probes, chunked multi-row INSERTs."""
    import snowflake.connector

    name, qualified = ASSET.upper(), f'"{SCHEMA_NAME}"."{ASSET.upper()}"'
    cols = ", ".join(f'"{n.upper()}"' for n in table.schema.names)
    con = snowflake.connector.connect(**connect_kwargs, session_parameters={"TIMEZONE": "UTC"})
    cur = con.cursor()
    cur.execute(
        "SELECT count(*) FROM information_schema.schemata WHERE schema_name = %s", (SCHEMA_NAME,)
    )
    cur.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = %s AND table_name = %s",
        (SCHEMA_NAME, name),
    )
    if not cur.fetchall():
        from crypto_assets.storage.warehouse_sql import SNOWFLAKE_TYPES

        ddl = column_ddl(table.schema, SNOWFLAKE_TYPES, str.upper)
        cur.execute(f"CREATE TABLE IF NOT EXISTS {qualified} ({ddl})")
    cur.execute("BEGIN")
    cur.execute(f'DELETE FROM {qualified} WHERE "WINDOW_START" >= %s::TIMESTAMP_NTZ', (DAY,))
    marks = ", ".join(["%s"] * table.num_columns)
    for rows in old_chunks(old_rows(table)):  # pyformat: one multi-row INSERT per chunk
        cur.executemany(f"INSERT INTO {qualified} ({cols}) VALUES ({marks})", rows)
    cur.execute("COMMIT")
    con.close()
    return table.num_rows


# --- measurement ---


def timed(label: str, run: Callable[[], int], results: list) -> float:
    """Run once, record (label, rows, seconds); returns rows/s."""
    began = time.perf_counter()
    rows = run()
    results.append((label, rows, time.perf_counter() - began))
    return rows / results[-1][2]


def fakesnow_paths(lake: ParquetLake, files: LakeFiles, table, subset, n: int, results) -> dict:
    """The Snowflake paths on a fakesnow server started here; rows/s per path."""
    import fakesnow
    from dagster_snowflake import SnowflakeResource

    with fakesnow.server(host="127.0.0.1") as kw:
        for name in ("uvicorn", "uvicorn.access", "uvicorn.error", "fakesnow.server"):
            logging.getLogger(name).setLevel(logging.WARNING)
        endpoint = {k: kw[k] for k in ("host", "port", "protocol")}
        sf = SnowflakeResource(
            **{k: kw[k] for k in ("account", "user", "password")},
            database="BENCH",
            timezone="UTC",
            additional_snowflake_connection_args=endpoint,
        )
        with SnowflakeWarehouse(sf.get_connection).session() as cur:
            cur.execute(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA_NAME}")
            cur.execute(f"CREATE STAGE LOADING.LAKE URL = 'file://{lake.root}/'")
        staged = SnowflakeWarehouse(sf.get_connection, "BENCH.LOADING.LAKE")
        old = {**{k: kw[k] for k in ("host", "port", "protocol", "user", "password", "account")}}
        return {
            "stage": timed(
                "fakesnow NEW COPY FILES=(…) from the lake stage",
                lambda: new_path(staged, table, files),
                results,
            ),
            "put": timed(
                "fakesnow NEW PUT to the table stage + COPY",
                lambda: new_path(SnowflakeWarehouse(sf.get_connection), table, files),
                results,
            ),
            "old": timed(
                f"fakesnow old multi-row INSERT literals [{n} windows]",
                lambda: old_snowflake_inserts(
                    {**old, "database": "BENCH"}, without_dollars(subset)
                ),
                results,
            ),
        }


def main() -> None:
    """Measure every path in this process and print rows/s and the ratios."""
    warnings.filterwarnings("ignore", category=UserWarning)  # fakesnow's Arrow-copy notice
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--windows", type=int, default=144)
    parser.add_argument("--coins", type=int, default=1000)
    parser.add_argument("--subset-windows", type=int, default=12, help="for the slow baselines")
    args = parser.parse_args()
    n = args.subset_windows
    table, starts = listings(args.coins, args.windows)
    subset = table.filter(pc.less(table["window_start"], ts(table, starts[0] + n * WINDOW)))
    tmp = Path(tempfile.mkdtemp(prefix="bench_warehouse_load_"))
    lake = ParquetLake(str(tmp / "lake"))
    files = write_lake(lake, table, starts)
    print(f"{table.num_rows:,} rows = {len(starts)} windows x {args.coins} coins ({ASSET})")
    print(f"lake: {len(files.keys)} Parquet files, written before timing; one run per path")
    print("fakesnow = DuckDB behind HTTP: ratios there are client + SQL-text cost, not Snowflake\n")
    results: list[tuple[str, int, float]] = []
    duck = {
        "new": timed(
            "duckdb  NEW  read_parquet(lake files) INSERT…SELECT",
            lambda: new_path(DuckDBWarehouse(tmp / "a.duckdb"), table, files),
            results,
        ),
        "arrow": timed(
            "duckdb  old  register(Arrow)+INSERT…SELECT: in-memory, no row INSERTs",
            lambda: old_duckdb_arrow(tmp / "b.duckdb", table),
            results,
        ),
        "rows": timed(
            f"duckdb  base executemany INSERT, row by row [{n} windows]",
            lambda: old_duckdb_arrow(tmp / "c.duckdb", subset, row_by_row=True),
            results,
        ),
    }
    snow = fakesnow_paths(lake, files, table, subset, n, results)
    print(f"{'path':<70} {'rows':>9} {'s':>7} {'rows/s':>9}")
    for label, rows, seconds in results:
        print(f"{label:<70} {rows:>9,} {seconds:>7.2f} {rows / seconds:>9,.0f}")
    print(f"\nduckdb:   new / old Arrow scan          = {duck['new'] / duck['arrow']:.2f}x")
    print(f"duckdb:   new / row-by-row executemany  = {duck['new'] / duck['rows']:.0f}x")
    print(f"fakesnow: new stage COPY / old INSERTs  = {snow['stage'] / snow['old']:.0f}x")
    print(f"fakesnow: new PUT + COPY / old INSERTs  = {snow['put'] / snow['old']:.0f}x")
    print(f"[{n} windows]: measured on the first {n} windows, rows/s extrapolated to the day;")
    print("the old INSERTs ran with '$' removed from strings (fakesnow reads '$PAC' in a literal")
    print("as a session variable and fails the statement)")


if __name__ == "__main__":
    main()
