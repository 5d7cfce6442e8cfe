"""The analysts' path: DuckDB views over the Parquet lake, never the warehouse file.

A reader here cannot take the DuckDB warehouse's file lock, so it never blocks a run:
`.venv/bin/python -m crypto_assets.analytics "SELECT symbol, sum(mentions) FROM mention_counts
GROUP BY 1 ORDER BY 2 DESC LIMIT 10"`, or `lake_connection()` in a notebook.
"""

from __future__ import annotations

import argparse
import sys

import duckdb

from crypto_assets.datasets import WAREHOUSE_SCHEMAS
from crypto_assets.deployment import build_lake
from crypto_assets.environment import Settings


def lake_connection(settings: Settings | None = None) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with one view per asset that has data in the lake."""
    settings = settings or Settings.from_env()
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


def parser() -> argparse.ArgumentParser:
    """The command line: one SQL statement, with help that names the views."""
    cli = argparse.ArgumentParser(
        prog="python -m crypto_assets.analytics",
        description=(
            "Run one SQL statement over DuckDB views of the lake, one per asset: "
            f"{', '.join(WAREHOUSE_SCHEMAS)}. It reads the Parquet files only and never opens "
            "the warehouse, so it never blocks a run. CRYPTO_ASSETS_HOME, CRYPTO_LAKE_ROOT and "
            "AWS_* come from the environment, as for the pipeline."
        ),
        epilog='example: python -m crypto_assets.analytics "SELECT symbol, sum(mentions) AS m '
        'FROM mention_counts GROUP BY 1 ORDER BY m DESC LIMIT 10"',
    )
    cli.add_argument("sql", help="one SQL statement over the asset views")
    return cli


def nothing_yet(settings: Settings, con: duckdb.DuckDBPyConnection, error: str) -> str | None:
    """A friendly message when the query names an asset with no data in the lake yet."""
    rows = con.sql("SELECT view_name FROM duckdb_views() WHERE NOT internal").fetchall()
    views = {row[0] for row in rows}
    missing = [a for a in WAREHOUSE_SCHEMAS if a not in views and a in error]
    if not missing:
        return None
    return (
        f"nothing materialized yet for {', '.join(missing)} in the lake at {settings.lake_root}. "
        "Materialize the assets first (Materialize all in the UI, or the README's backfill "
        f"command), then query again. Assets with data: {', '.join(sorted(views)) or 'none'}."
    )


def main(argv: list[str]) -> int:
    """Run one SQL statement over the lake views and print the result."""
    args = parser().parse_args(argv)
    if not args.sql.strip():
        parser().error("the SQL statement is empty")
    settings = Settings.from_env()
    con = lake_connection(settings)
    try:
        relation = con.sql(args.sql)
    except duckdb.CatalogException as exc:
        message = nothing_yet(settings, con, str(exc))
        if message is None:
            raise
        print(f"crypto_assets.analytics: {message}", file=sys.stderr)
        return 1
    if relation is not None:
        relation.show(max_rows=200)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
