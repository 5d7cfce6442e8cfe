"""The analysts' path: DuckDB views over the Parquet lake, never the warehouse file.

A reader here cannot take the DuckDB warehouse's file lock, so it never blocks a run:
`.venv/bin/python -m crypto_assets.analytics "SELECT symbol, sum(mentions) FROM mention_counts
GROUP BY 1 ORDER BY 2 DESC LIMIT 10"`, or `lake_connection()` in a notebook.
"""

from __future__ import annotations

import sys

import duckdb

from crypto_assets.deployment import build_lake
from crypto_assets.environment import Settings, current_settings
from crypto_assets.storage.layout import WAREHOUSE_SCHEMAS

USAGE = 'usage: python -m crypto_assets.analytics "SQL over the asset views"'


def lake_connection(settings: Settings | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with one view per asset that has data in the lake."""
    settings = settings or current_settings()
    lake = build_lake(settings).lake()
    con = duckdb.connect()
    if lake.store.scheme:
        con.register_filesystem(lake.store.filesystem())
    for asset in WAREHOUSE_SCHEMAS:
        if not lake.store.children(asset):
            continue  # a view over no files cannot be created
        files = lake.store_path(f"{asset}/*/*.parquet").replace("'", "''")
        con.execute(
            f'CREATE VIEW "{asset}" AS SELECT * EXCLUDE ("timestamp") FROM '
            f"read_parquet('{files}', hive_partitioning = true, union_by_name = true)"
        )
    return con


def main(argv: list[str]) -> int:
    """Run one SQL statement over the lake views and print the result."""
    if len(argv) != 1 or not argv[0].strip():
        print(USAGE, file=sys.stderr)
        return 2
    con = lake_connection()
    relation = con.sql(argv[0])
    if relation is not None:
        relation.show(max_rows=200)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
