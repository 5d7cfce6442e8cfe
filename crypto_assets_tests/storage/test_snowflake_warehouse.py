"""Snowflake specifics on fakesnow's server, with the real connector through SnowflakeResource.

The contract (test_warehouse_contract.py) runs both load paths; the resource and its secrets
are in test_snowflake_assets.py. What no test reaches with Snowflake's own semantics, and why:
- COPY from the s3:// stage: fakesnow reads stage files with DuckDB, whose httpfs cannot be
  installed offline; the same COPY statement runs against a file:// stage on the local lake.
- USE_LOGICAL_TYPE, FORCE against load metadata, PURGE, a second writer waiting on the DELETE's
  table lock: fakesnow parses them but loads with DuckDB (no load metadata; writers conflict).
- `discard_uploads`' REMOVE after a rolled-back PUT load: fakesnow has no REMOVE (it fails and
  is ignored there).
- Key-pair verification: fakesnow accepts any JWT; only the key's parsing is exercised.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyarrow as pa
import pytest
import snowflake.connector

from crypto_assets.datasets import ASSET_SCHEMAS
from crypto_assets.storage import snowflake_warehouse
from crypto_assets.storage.lake import LakeFiles, ParquetLake
from crypto_assets_tests.support.snowflake_emulator import fakesnow_warehouse, record_statements
from crypto_assets_tests.support.storage import W0, W1, count_by_window, posts, write

pytestmark = pytest.mark.filterwarnings("ignore:Arrow output on a DB-API result")
W2 = W1 + timedelta(minutes=10)


@pytest.fixture
def lake(tmp_path) -> ParquetLake:
    """A fresh local lake."""
    return ParquetLake(str(tmp_path / "lake"))


def test_empty_window_table_has_snowflake_types(snowflake_kwargs: dict, lake) -> None:
    wh = fakesnow_warehouse(snowflake_kwargs)
    write(lake, wh, posts(W0, []), [W0])
    columns = wh.query(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = 'LOADING' AND table_name = 'REDDIT_POSTS'"
    )
    types = dict(zip(columns["COLUMN_NAME"], columns["DATA_TYPE"], strict=True))
    assert types["WINDOW_START"] == types["CREATED_UTC"] == "TIMESTAMP_NTZ"
    assert types["SCORE"] == "NUMBER" and types["TITLE"] == "TEXT"


@pytest.mark.parametrize(
    ("staged", "load"), [(False, ["PUT", "COPY"]), (True, ["COPY"])], ids=["put", "stage"]
)
def test_failed_load_is_rolled_back_by_us(
    snowflake_kwargs: dict, lake, monkeypatch: pytest.MonkeyPatch, staged: bool, load: list
) -> None:
    wh = fakesnow_warehouse(snowflake_kwargs, lake.root if staged else None)
    write(lake, wh, posts(W0, ["a", "b"]), [W0])
    bad = posts(W0, ["c"]).set_column(6, "score", pa.array(["x"], type=pa.string()))
    statements = record_statements(monkeypatch)
    with pytest.raises(snowflake.connector.errors.ProgrammingError, match=r"(?i)conver|cast"):
        write(lake, wh, bad, [W0])
    # fakesnow (DuckDB) aborts a failed transaction by itself; Snowflake keeps it open, so a
    # COMMIT there would keep the DELETE: the ROLLBACK has to be ours.
    after_begin = statements[statements.index("BEGIN") :]
    assert after_begin[: 3 + len(load)] == ["BEGIN", "DELETE", *load, "ROLLBACK"]
    assert count_by_window(wh) == {"14:20": 2}


def test_values_round_trip_exactly_and_aware_bounds_mean_utc(snowflake_kwargs: dict, lake) -> None:
    wh = fakesnow_warehouse(snowflake_kwargs, lake.root)
    moment = datetime(2025, 10, 5, 14, 20, 0, 123456)
    texts = ["it's", "back\\slash \\n", "new\nline\r\ttab", "🚀 ünï", "%s %(x)s 100%", "", None]
    table = posts(W0, [f"p{i}" for i in range(len(texts))])
    table = table.set_column(4, "selftext", pa.array(texts, type=pa.string()))
    table = table.set_column(8, "created_utc", pa.array([moment] * len(texts), pa.timestamp("us")))
    files = LakeFiles(lake, (lake.key(["reddit_posts"], W0),))
    lake.write_window(["reddit_posts"], W0, table)
    # Timezone-aware bounds (as Dagster hands them over) mean the same naive UTC window.
    for start, end in ((W0.replace(tzinfo=UTC), W1), (W0, W1.replace(tzinfo=UTC))):
        with wh.replacing("LOADING", "reddit_posts", table.schema, start, end) as replace:
            assert replace.load(files) == len(texts)
            replace.commit()
    df = wh.query("SELECT post_id, selftext, window_start, created_utc FROM loading.reddit_posts")
    assert dict(zip(df["POST_ID"], df["SELFTEXT"], strict=True)) == {
        f"p{i}": t for i, t in enumerate(texts)
    }
    assert set(df["WINDOW_START"]) == {W0} and set(df["CREATED_UTC"]) == {moment}


def test_exit_without_commit_rolls_back(snowflake_kwargs: dict, lake) -> None:
    wh = fakesnow_warehouse(snowflake_kwargs)
    write(lake, wh, posts(W0, ["a"]), [W0])
    with wh.replacing("LOADING", "reddit_posts", ASSET_SCHEMAS["reddit_posts"], W0, W1):
        pass
    assert count_by_window(wh) == {"14:20": 1}


def test_stage_copy_names_exactly_the_run_files_in_batches(
    snowflake_kwargs: dict, lake, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(snowflake_warehouse, "MAX_COPY_FILES", 2)
    wh = fakesnow_warehouse(snowflake_kwargs, lake.root)
    lake.write_window(["reddit_posts"], W1 + timedelta(hours=1), posts(W0, ["not", "this", "run"]))
    statements = record_statements(monkeypatch)
    table = pa.concat_tables([posts(W0, ["a"]), posts(W1, ["b", "c"]), posts(W2, ["d"])])
    assert write(lake, wh, table, [W0, W1, W2]).rows == 4
    assert statements.count("COPY") == 2 and "PUT" not in statements
    assert count_by_window(wh) == {"14:20": 1, "14:30": 2, "14:40": 1}


def test_new_columns_are_added(snowflake_kwargs: dict, lake) -> None:
    wh = fakesnow_warehouse(snowflake_kwargs)
    write(lake, wh, posts(W0, ["a"]).drop_columns(["flair"]), [W0])
    write(lake, wh, posts(W1, ["b", "c"]), [W1])
    assert count_by_window(wh) == {"14:20": 1, "14:30": 2}
    assert wh.query("SELECT count(flair) AS n FROM loading.reddit_posts")["N"][0] == 0


def test_one_utc_session_per_replacement(
    snowflake_kwargs: dict, lake, monkeypatch: pytest.MonkeyPatch
) -> None:
    wh = fakesnow_warehouse(snowflake_kwargs)
    seen: list[dict] = []
    real_connect = snowflake.connector.connect

    def connect(**kwargs: object) -> object:
        seen.append(kwargs)
        return real_connect(**kwargs)

    monkeypatch.setattr(snowflake.connector, "connect", connect)
    write(lake, wh, pa.concat_tables([posts(W0, ["a"]), posts(W1, ["b"])]), [W0, W1])
    assert len(seen) == 1 and seen[0]["timezone"] == "UTC"  # the connector sets TIMEZONE


def test_s3_lake_without_stage_puts_exactly_its_files(
    snowflake_kwargs: dict, s3_bucket: str, moto_endpoint: str
) -> None:
    from dagster_aws.s3 import S3Resource

    from crypto_assets.resources.lake import LakeResource

    s3 = S3Resource(endpoint_url=moto_endpoint, region_name="us-east-1")
    lake = LakeResource(root=f"s3://{s3_bucket}/lake", s3=s3).lake()
    wh = fakesnow_warehouse(snowflake_kwargs)
    lake.write_window(["reddit_posts"], W2, posts(W0, ["not", "this", "run"]))
    write(lake, wh, pa.concat_tables([posts(W0, ["a"]), posts(W1, ["b"])]), [W0, W1])
    assert count_by_window(wh) == {"14:20": 1, "14:30": 1}
