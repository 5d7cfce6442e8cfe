"""What every warehouse guarantees when it loads the lake's files (lakehouse.replace_windows).

Rewrites never duplicate, one window leaves the others, empty windows clear, and a failing load
leaves the warehouse and the lake as they were. Backends: DuckDB; Snowflake on fakesnow's server
(real connector through SnowflakeResource), once with lake files PUT to the table's stage and
once with COPY from a stage on the lake root (a file:// stage: fakesnow cannot read s3://).
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pytest

from crypto_assets.datasets import ASSET_SCHEMAS
from crypto_assets.storage.duckdb_warehouse import DuckDBWarehouse
from crypto_assets.storage.lake import ParquetLake
from crypto_assets_tests.support.snowflake_emulator import fakesnow_warehouse
from crypto_assets_tests.support.storage import (
    ASSET,
    W0,
    W1,
    Warehouse,
    count_by_window,
    posts,
    write,
)

pytestmark = pytest.mark.filterwarnings("ignore:Arrow output on a DB-API result")


@pytest.fixture
def lake(tmp_path: Path) -> ParquetLake:
    """A fresh local lake."""
    return ParquetLake(str(tmp_path / "lake"))


@pytest.fixture(params=["duckdb", "snowflake-put", "snowflake-stage"])
def warehouse(request: pytest.FixtureRequest, tmp_path: Path, lake: ParquetLake) -> Warehouse:
    """A fresh DuckDB file, or a fresh database on fakesnow's server."""
    if request.param == "duckdb":
        return DuckDBWarehouse(tmp_path / "w.duckdb")
    kwargs = request.getfixturevalue("snowflake_kwargs")
    return fakesnow_warehouse(kwargs, lake.root if request.param == "snowflake-stage" else None)


def test_rewriting_a_window_never_duplicates(lake: ParquetLake, warehouse: Warehouse) -> None:
    table = pa.concat_tables([posts(W0, ["a", "b"]), posts(W1, ["c"])])
    assert write(lake, warehouse, table, [W0, W1]).rows == 3
    written = write(lake, warehouse, table, [W0, W1])
    assert written.rows == 3 and len(written.files.keys) == 2
    assert count_by_window(warehouse) == {"14:20": 2, "14:30": 1}


def test_replacing_one_window_leaves_the_others(lake: ParquetLake, warehouse: Warehouse) -> None:
    write(lake, warehouse, pa.concat_tables([posts(W0, ["a"]), posts(W1, ["b"])]), [W0, W1])
    write(lake, warehouse, posts(W1, ["x", "y", "z"]), [W1])
    assert count_by_window(warehouse) == {"14:20": 1, "14:30": 3}


def test_empty_window_creates_the_table_and_clears_stale_rows(
    lake: ParquetLake, warehouse: Warehouse
) -> None:
    assert write(lake, warehouse, posts(W0, []), [W0]).rows == 0
    assert count_by_window(warehouse) == {}
    write(lake, warehouse, posts(W0, ["a"]), [W0])
    write(lake, warehouse, posts(W0, []), [W0])
    assert count_by_window(warehouse) == {}
    assert lake.read_windows([ASSET], [W0], ASSET_SCHEMAS[ASSET]).num_rows == 0


def test_failed_load_leaves_warehouse_and_lake_as_they_were(
    lake: ParquetLake, warehouse: Warehouse
) -> None:
    write(lake, warehouse, pa.concat_tables([posts(W0, ["a", "b"]), posts(W1, ["c"])]), [W0, W1])
    before = sorted(p.relative_to(lake.root) for p in Path(lake.root).rglob("*.parquet"))
    bad = posts(W0, ["d"]).set_column(6, "score", pa.array(["not a number"], type=pa.string()))
    good = posts(W1, ["e"])
    # The lake takes both files; loading the first one fails (no NUMBER for "not a number").
    with pytest.raises(Exception, match=r"(?i)conver|cast"):
        write(lake, warehouse, pa.concat_tables([bad, good.cast(bad.schema)]), [W0, W1])
    assert count_by_window(warehouse) == {"14:20": 2, "14:30": 1}
    table = lake.read_windows([ASSET], [W0, W1], ASSET_SCHEMAS[ASSET])
    assert sorted(table.column("post_id").to_pylist()) == ["a", "b", "c"]
    after = sorted(p.relative_to(lake.root) for p in Path(lake.root).rglob("*.parquet"))
    assert after == before
