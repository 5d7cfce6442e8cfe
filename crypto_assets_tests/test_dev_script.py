"""`make dev`'s script: a bad variable stops it before any server; good settings start the UI."""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests

from crypto_assets_tests.e2e.support import REPO


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CRYPTO_", "DAGSTER_"))}
    return env | {"CRYPTO_ASSETS_HOME": str(home), **extra}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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
    port = _free_port()
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


@pytest.mark.e2e
def test_dev_starts_the_ui_on_dagster_port_without_warnings(tmp_path: Path) -> None:
    port = _free_port()
    log = tmp_path / "dev.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            ["bash", "scripts/dev.sh"],
            cwd=REPO,
            env=_env(tmp_path, CRYPTO_SOURCE="replay", DAGSTER_PORT=str(port)),
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert proc.poll() is None, log.read_text()[-3000:]
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"http://127.0.0.1:{port}/server_info", timeout=2).ok:
                    break
            time.sleep(1)
        else:
            pytest.fail(f"the UI did not answer on port {port}: {log.read_text()[-3000:]}")
        text = log.read_text()
        assert f"crypto_assets: UI on http://127.0.0.1:{port}" in text
        assert "source replay" in text
        assert "is not being used" not in text  # the dagster.yaml-in-cwd warning
        assert (tmp_path / "dagster" / "dagster.yaml").read_text() == (
            REPO / "dagster.yaml"
        ).read_text()
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
