"""Two runs of one window started together: only one captured listing is ever stored.

Two `dagster asset materialize` processes fetch the same window's listing from a scripted Coinlore
on 127.0.0.1. The first reply is held until the second request arrives (both runs have seen "no
stored listing"), and the second reply, taken later, lands second. The first capture must stay.
"""

from __future__ import annotations

import subprocess
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
from dagster import DagsterInstance

from crypto_assets_tests.e2e.support import REPO
from crypto_assets_tests.sources.scripted_server import Reply, ScriptedServer, SeenRequest
from crypto_assets_tests.support.pipeline import TICKERS, coinlore_reply, live_settings, warehouse
from crypto_assets_tests.support.subprocess_env import clean_env

pytestmark = pytest.mark.slow  # the full lane (make test) only

WINDOW = datetime(2025, 10, 28, 9, 10)
FIRST_TAKEN = WINDOW + timedelta(minutes=1, seconds=14)
SECOND_TAKEN = WINDOW + timedelta(minutes=1, seconds=21)


def held_until_both_asked() -> object:
    """Reply 1 waits for request 2; reply 2 is taken later and arrives 3 s after reply 1."""
    second_asked = threading.Event()
    calls: list[int] = []
    lock = threading.Lock()

    def script(request: SeenRequest) -> Reply:
        with lock:
            calls.append(1)
            n = len(calls)
        if n == 1:
            second_asked.wait(timeout=90)
            return coinlore_reply(FIRST_TAKEN)
        second_asked.set()
        reply = coinlore_reply(SECOND_TAKEN)
        reply.delay_s = 3.0
        return reply

    return script


def test_two_runs_of_one_window_never_both_capture_its_listing(
    tmp_path: Path, server: ScriptedServer
) -> None:
    env = clean_env()
    env |= {
        "CRYPTO_ASSETS_HOME": str(tmp_path),
        "CRYPTO_SOURCE": "live",
        "CRYPTO_COINLORE_URL": server.url(),
        "CRYPTO_PARTITIONS_START": "2025-10-01",
        "CRYPTO_TOP_N_COINS": "100",  # the recorded listing holds 100
        "DAGSTER_HOME": str(tmp_path / "dagster"),
    }
    (tmp_path / "dagster").mkdir()
    instance = DagsterInstance.from_config(str(tmp_path / "dagster"))  # schema made once, first
    assert instance.run_storage and instance.event_log_storage
    server.script("GET", TICKERS, held_until_both_asked())
    command = [
        str(REPO / ".venv/bin/dagster"),
        "asset",
        "materialize",
        "-m",
        "crypto_assets.definitions",
        "--select",
        "coin_listings",
        "--partition",
        f"{WINDOW:%Y-%m-%d-%H:%M}",
    ]
    runs = [
        subprocess.Popen(
            command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        for _ in range(2)
    ]
    outputs = [run.communicate(timeout=300)[0] for run in runs]
    for run, output in zip(runs, outputs, strict=True):
        assert run.returncode == 0, output[-3000:]
    assert len(server.seen(TICKERS)) == 2  # both runs found no stored listing and fetched

    settings = live_settings(tmp_path)
    stored = warehouse(settings, "SELECT DISTINCT as_of FROM LOADING.coin_listings")
    lake = pd.read_parquet(Path(settings.lake_root) / "coin_listings")
    expected = pd.Timestamp(FIRST_TAKEN.replace(tzinfo=UTC))
    assert list(pd.to_datetime(stored["as_of"], utc=True)) == [expected]
    assert set(pd.to_datetime(lake["as_of"], utc=True)) == {expected}
    assert len(lake) == len(warehouse(settings, "SELECT * FROM LOADING.coin_listings")) == 100
