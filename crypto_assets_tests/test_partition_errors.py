"""A partition outside the span, asked for on the CLI, is explained with the valid span."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from crypto_assets.defs.partition_errors import span_message
from crypto_assets_tests.e2e.support import REPO
from crypto_assets_tests.support.definitions import replay_partitions
from crypto_assets_tests.support.subprocess_env import clean_env


@pytest.mark.parametrize(
    ("source", "why"),
    [("replay", "the recordings' span"), ("live", "CRYPTO_PARTITIONS_START up to the last")],
)
def test_the_message_names_the_first_and_last_window_and_why(source: str, why: str) -> None:
    partitions = replay_partitions()
    message = span_message(partitions, source)
    assert f"from {partitions.get_first_partition_key()} to " in message
    assert partitions.get_last_partition_key() in message and why in message


@pytest.mark.slow
def test_the_cli_follows_an_out_of_range_error_with_the_span(tmp_path: Path) -> None:
    env = clean_env()
    env |= {
        "CRYPTO_ASSETS_HOME": str(tmp_path),
        "CRYPTO_SOURCE": "replay",
        "DAGSTER_HOME": str(tmp_path / "dagster"),
    }
    (tmp_path / "dagster").mkdir()
    done = subprocess.run(
        [
            str(REPO / ".venv/bin/dagster"),
            *("asset", "materialize", "-m", "crypto_assets.definitions"),
            *("--select", "coin_listings"),
            *("--partition-range", "2020-01-01-00:00...2020-01-01-00:10"),
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode != 0
    first = replay_partitions().get_first_partition_key()
    assert f"crypto_assets: the 10-minute windows run from {first} to " in done.stderr
