"""The Snowflake warehouse against fakesnow's server over loopback, with the real connector."""

from __future__ import annotations

import logging
import traceback
from datetime import UTC, datetime

import pyarrow as pa
import pytest
import snowflake.connector
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from snowflake.connector.cursor import SnowflakeCursor

from crypto_assets.resources.warehouse import SnowflakeWarehouseResource
from crypto_assets.storage import snowflake_warehouse
from crypto_assets.storage.snowflake_warehouse import SnowflakeWarehouse, private_key_der
from crypto_assets_tests.storage.test_lake import W0, W1, posts
from crypto_assets_tests.storage.test_warehouse_contract import count_by_window

pytestmark = pytest.mark.filterwarnings("ignore:Arrow output on a DB-API result")
PASSWORD = "pa55-Sn0wflake-only-here"


def pem_key() -> str:
    """A fresh unencrypted PKCS#8 PEM private key."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def test_empty_window_table_has_snowflake_types(snowflake_kwargs: dict) -> None:
    wh = SnowflakeWarehouse(snowflake_kwargs)
    wh.replace_windows("LOADING", "reddit_posts", posts(W0, []), W0, W1)
    assert count_by_window(wh) == {}
    columns = wh.query(
        "SELECT column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = 'LOADING' AND table_name = 'REDDIT_POSTS'"
    )
    types = dict(zip(columns["COLUMN_NAME"], columns["DATA_TYPE"], strict=True))
    assert types["WINDOW_START"] == types["CREATED_UTC"] == "TIMESTAMP_NTZ"
    assert types["SCORE"] == "NUMBER" and types["TITLE"] == "TEXT"


def test_failed_insert_rolls_back_and_keeps_the_previous_version(
    snowflake_kwargs: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    wh = SnowflakeWarehouse(snowflake_kwargs)
    wh.replace_windows("LOADING", "reddit_posts", posts(W0, ["a", "b"]), W0, W1)
    bad = posts(W0, ["c"]).set_column(
        6, "score", pa.array(["not a number"], type=pa.string())
    )  # cannot be cast to NUMBER: the INSERT fails after the DELETE ran
    statements: list[str] = []
    execute = SnowflakeCursor.execute

    def recording_execute(self: SnowflakeCursor, command: str, *args: object, **kw: object):
        statements.append(command.split(None, 1)[0].upper())
        return execute(self, command, *args, **kw)

    monkeypatch.setattr(SnowflakeCursor, "execute", recording_execute)
    with pytest.raises(snowflake.connector.errors.ProgrammingError, match=r"(?i)conver|cast"):
        wh.replace_windows("LOADING", "reddit_posts", bad, W0, W1)
    # fakesnow (DuckDB) aborts a failed transaction by itself; Snowflake keeps it open, so a
    # COMMIT there would keep the DELETE: the ROLLBACK has to be ours.
    assert statements[statements.index("BEGIN") :] == ["BEGIN", "DELETE", "INSERT", "ROLLBACK"]
    assert count_by_window(wh) == {"14:20": 2}


def test_values_round_trip_exactly(snowflake_kwargs: dict) -> None:
    wh = SnowflakeWarehouse(snowflake_kwargs)
    moment = datetime(2025, 10, 5, 14, 20, 0, 123456)
    texts = ["it's", "back\\slash \\n", "new\nline\r\ttab", "🚀 ünï", "%s %(x)s 100%", "", None]
    table = posts(W0, [f"p{i}" for i in range(len(texts))])
    table = table.set_column(4, "selftext", pa.array(texts, type=pa.string()))
    table = table.set_column(8, "created_utc", pa.array([moment] * len(texts), pa.timestamp("us")))
    # Timezone-aware bounds (as Dagster hands them over) mean the same naive UTC window.
    wh.replace_windows("LOADING", "reddit_posts", table, W0.replace(tzinfo=UTC), W1)
    wh.replace_windows("LOADING", "reddit_posts", table, W0, W1.replace(tzinfo=UTC))
    df = wh.query("SELECT post_id, selftext, window_start, created_utc FROM loading.reddit_posts")
    assert len(df) == len(texts)
    assert dict(zip(df["POST_ID"], df["SELFTEXT"], strict=True)) == {
        f"p{i}": t for i, t in enumerate(texts)
    }
    assert set(df["WINDOW_START"]) == {W0} and set(df["CREATED_UTC"]) == {moment}
    found = wh.query(
        "SELECT count(*) AS n FROM loading.reddit_posts WHERE window_start = %s", (W0,)
    )
    assert int(found["N"][0]) == len(texts)


def test_big_tables_go_in_chunks_and_new_columns_are_added(
    snowflake_kwargs: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(snowflake_warehouse, "MAX_INSERT_ROWS", 7)
    monkeypatch.setattr(snowflake_warehouse, "MAX_INSERT_CHARS", 2_000)
    wh = SnowflakeWarehouse(snowflake_kwargs)
    wh.replace_windows("LOADING", "reddit_posts", posts(W0, ["a"]).drop_columns(["flair"]), W0, W1)
    table = posts(W0, [f"p{i}" for i in range(40)])
    table = table.set_column(4, "selftext", pa.array(["x" * 300] * 40, type=pa.string()))
    chunks = list(snowflake_warehouse._chunks(snowflake_warehouse._rows(table)))
    assert len(chunks) > 40 / 7 and sum(map(len, chunks)) == 40
    wh.replace_windows("LOADING", "reddit_posts", table, W0, W1)
    assert count_by_window(wh) == {"14:20": 40}
    assert wh.query("SELECT count(flair) AS n FROM loading.reddit_posts")["N"][0] == 0


def test_every_session_is_utc(snowflake_kwargs: dict, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[dict] = []
    real_connect = snowflake.connector.connect

    def connect(**kwargs: object) -> object:
        seen.append(dict(kwargs["session_parameters"]))  # the connector updates it from the server
        return real_connect(**kwargs)

    monkeypatch.setattr(snowflake.connector, "connect", connect)
    wh = SnowflakeWarehouse(snowflake_kwargs)
    wh.replace_windows("LOADING", "reddit_posts", posts(W0, ["a"]), W0, W1)
    wh.query("SELECT 1 AS one")
    assert len(seen) == 2
    for params in seen:
        assert params["TIMEZONE"] == "UTC"
        assert "CLIENT_OUT_OF_BAND_TELEMETRY_ENABLED" in params  # given ones are kept


def test_key_pair_auth_works_and_secrets_stay_out_of_logs(
    fakesnow_server: dict, caplog: pytest.LogCaptureFixture
) -> None:
    pem = pem_key()
    key_line = pem.splitlines()[3]
    resource = SnowflakeWarehouseResource(
        account="fakesnow",
        user="dagster",
        database="KEYPAIR_DB",
        private_key=pem.replace("\n", "\\n"),  # as a one-line .env value holds it
        password=PASSWORD,
        host=fakesnow_server["host"],
        port=fakesnow_server["port"],
        protocol=fakesnow_server["protocol"],
    )
    with caplog.at_level(logging.DEBUG):
        resource.replace_windows("LOADING", "reddit_posts", posts(W0, ["a"]), W0, W1)
        assert len(resource.query("SELECT * FROM loading.reddit_posts")) == 1
    assert any(r.name.startswith("snowflake.connector") for r in caplog.records)  # it did log
    assert key_line not in caplog.text and PASSWORD not in caplog.text
    assert (
        resource.describe("LOADING", "reddit_posts") == "snowflake:KEYPAIR_DB.LOADING.REDDIT_POSTS"
    )


def test_secrets_never_reach_error_messages(snowflake_kwargs: dict) -> None:
    pem = pem_key()
    broken = pem.replace(pem.splitlines()[5], pem.splitlines()[5][::-1])
    with pytest.raises(ValueError, match="SNOWFLAKE_PRIVATE_KEY") as bad_key:
        private_key_der(broken)
    wh = SnowflakeWarehouse({**snowflake_kwargs, "password": PASSWORD})
    with pytest.raises(snowflake.connector.errors.ProgrammingError) as bad_sql:
        wh.query("SELECT * FROM no_such_table")
    for error in (bad_key.value, bad_sql.value):
        text = "".join(traceback.format_exception(error)) + repr(error)
        assert PASSWORD not in text and pem.splitlines()[5] not in text
    assert bad_key.value.__cause__ is None and bad_key.value.__suppress_context__
    assert PASSWORD not in repr(wh)
    with pytest.raises(ValueError, match="SNOWFLAKE_PRIVATE_KEY or SNOWFLAKE_PASSWORD"):
        SnowflakeWarehouseResource(account="a", user="u", database="d").query("SELECT 1")
