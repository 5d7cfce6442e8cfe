"""`make dev`'s script: a bad variable stops it before any server (the README test starts it)."""

from __future__ import annotations

import socket
import subprocess
from pathlib import Path

import pytest
import requests

from crypto_assets_tests.e2e.support import REPO, free_port
from crypto_assets_tests.support.subprocess_env import clean_env


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = clean_env()
    return env | {"CRYPTO_ASSETS_HOME": str(home), **extra}


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("CRYPTO_LAKE_ROOT", "s3://nobucket/x"),
        ("CRYPTO_SOURCE", "recorded"),
        ("CRYPTO_PARTITIONS_START", "2025-10-01T00:00+02:00"),
    ],
)
def test_a_bad_variable_fails_before_any_server_starts(
    tmp_path: Path, name: str, value: str
) -> None:
    port = free_port()
    env = _env(tmp_path, **{name: value, "DAGSTER_PORT": str(port)})
    env.pop("AWS_REGION", None)
    env.pop("AWS_DEFAULT_REGION", None)
    out = subprocess.run(
        ["bash", "scripts/dev.sh"], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 1
    assert f"crypto_assets: configuration error: {name}" in out.stderr
    assert not (tmp_path / "dagster" / "dagster.yaml").exists()  # stopped before setting up
    with pytest.raises(requests.ConnectionError):
        requests.get(f"http://127.0.0.1:{port}/server_info", timeout=2)


def _dev(env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", "scripts/dev.sh"], cwd=REPO, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize("port", ["abc", "0", "70000"])
def test_a_bad_port_stops_make_dev_with_a_message(tmp_path: Path, port: str) -> None:
    out = _dev(_env(tmp_path, DAGSTER_PORT=port))
    assert out.returncode == 1
    assert f"configuration error: DAGSTER_PORT: expected a port number 1-65535, got '{port}'" in (
        out.stderr
    )
    assert not (tmp_path / "dagster" / "dagster.yaml").exists()


def test_a_busy_port_stops_make_dev_before_the_daemon_starts(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        out = _dev(_env(tmp_path, DAGSTER_PORT=str(port)))
    assert out.returncode == 1
    assert f"DAGSTER_PORT: 127.0.0.1:{port} is not free" in out.stderr
    assert not (tmp_path / "dagster" / "dagster.yaml").exists()  # no daemon, no instance


def test_a_code_location_that_does_not_load_stops_make_dev(tmp_path: Path) -> None:
    rules = tmp_path / "rules.yaml"
    rules.write_text("rules:\n  mention_spike:\n    ratio: -2\n")
    out = _dev(_env(tmp_path, CRYPTO_ALERT_RULES=str(rules), DAGSTER_PORT=str(free_port())))
    assert out.returncode == 1
    assert "configuration error: CRYPTO_ALERT_RULES:" in out.stderr
    assert "rules.mention_spike.ratio" in out.stderr


def test_make_devs_instance_knows_the_api_pools_before_the_daemon_starts(tmp_path: Path) -> None:
    """`init-pools` (run by make dev) creates each pool at dagster.yaml's default limit, 1."""
    from dagster import DagsterInstance

    dagster_home = tmp_path / "dagster"
    dagster_home.mkdir()
    (dagster_home / "dagster.yaml").write_text((REPO / "dagster.yaml").read_text())
    env = _env(tmp_path, DAGSTER_HOME=str(dagster_home), CRYPTO_SOURCE="replay")
    out = subprocess.run(
        [".venv/bin/python", "-m", "crypto_assets.production", "init-pools"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr
    pools = ["coinlore_api", "price_history_api", "reddit_api", "reddit_archive_api"]
    assert out.stdout == f"crypto_assets: pool limits {', '.join(f'{p} 1' for p in pools)}\n"
    with DagsterInstance.from_config(str(dagster_home)) as instance:
        assert instance.event_log_storage.get_concurrency_keys() == set(pools)
    assert "init-pools" in (REPO / "scripts" / "dev.sh").read_text()
