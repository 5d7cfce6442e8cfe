"""Every command the README shows is run here, as written, so the README cannot drift.

Commands run in a scratch folder that looks like the project root to them (`.venv` linked in,
`.crypto_assets` inside it), against replay data; `make dev` runs in the project itself.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests

from crypto_assets_tests.e2e.support import REPO

BLOCK = re.compile(r"^ *```bash\n(.*?)^ *```", re.M | re.S)


def readme_commands() -> list[str]:
    """Every command line of every bash block in the README (comments stripped)."""
    lines = []
    for block in BLOCK.findall((REPO / "README.md").read_text()):
        for line in block.splitlines():
            command = re.sub(r"\s+#.*$", "", line).strip()
            if command:
                lines.append(command)
    return lines


def _scratch_env(root: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CRYPTO_", "DAGSTER_"))}
    return env | {"CRYPTO_ASSETS_HOME": str(root / ".crypto_assets")}


def _bash(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


KNOWN = {
    "make dev",
    "make test",
    "CRYPTO_SOURCE=replay make dev",
    "export CRYPTO_SOURCE=replay DAGSTER_HOME=$PWD/.crypto_assets/dagster",
    "mkdir -p $DAGSTER_HOME",
    ".venv/bin/dagster asset materialize -m crypto_assets.definitions --select '*' "
    "--partition-range 2025-10-20-00:00...2025-10-20-23:50",
    '.venv/bin/python -m crypto_assets.analytics "SELECT symbol, sum(mentions) AS m, '
    'avg(mean_sentiment) AS s FROM mention_counts GROUP BY 1 ORDER BY m DESC LIMIT 10"',
    "export REDDIT_CLIENT_ID=… REDDIT_CLIENT_SECRET=… REDDIT_USERNAME=… REDDIT_PASSWORD=…",
}


def test_every_readme_command_is_one_this_file_runs() -> None:
    assert set(readme_commands()) == KNOWN


def test_make_test_is_what_ci_runs() -> None:
    assert "make test" in (REPO / ".ci/run").read_text()
    assert "bash scripts/test.sh" in (REPO / "Makefile").read_text()


def test_the_cli_backfill_and_the_lake_query_run_as_written(tmp_path: Path) -> None:
    (tmp_path / ".venv").symlink_to(REPO / ".venv")
    commands = readme_commands()
    first = commands.index(next(c for c in commands if c.startswith("export CRYPTO_SOURCE")))
    backfill = commands[first : first + 3]
    done = _bash("\n".join(backfill), tmp_path, _scratch_env(tmp_path))
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stderr.count("RUN_SUCCESS") == 1  # a whole day is one run
    lake = tmp_path / ".crypto_assets" / "lake" / "mention_counts"
    assert len(list(lake.glob("timestamp=2025-10-20T*/part-0.parquet"))) == 144

    query = next(c for c in commands if "crypto_assets.analytics" in c)
    out = _bash(query, tmp_path, _scratch_env(tmp_path))
    assert out.returncode == 0, out.stderr[-3000:]
    assert "symbol" in out.stdout and "BTC" in out.stdout


def test_the_reddit_credentials_line_is_accepted_by_the_configuration(tmp_path: Path) -> None:
    line = next(c for c in readme_commands() if c.startswith("export REDDIT_CLIENT_ID"))
    out = _bash(
        f"{line}\n.venv/bin/python -m crypto_assets.environment", REPO, _scratch_env(tmp_path)
    )
    assert out.returncode == 0, out.stderr


@pytest.mark.e2e
@pytest.mark.parametrize("command", ["make dev", "CRYPTO_SOURCE=replay make dev"])
def test_make_dev_starts_the_ui(tmp_path: Path, command: str) -> None:
    port = _free_port()
    log = tmp_path / "dev.log"
    env = _scratch_env(tmp_path) | {"DAGSTER_PORT": str(port)}
    with log.open("wb") as out:
        proc = subprocess.Popen(
            ["bash", "-c", command],
            cwd=REPO,
            env=env,
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
            pytest.fail(f"no UI on port {port}: {log.read_text()[-3000:]}")
        text = log.read_text()
        assert f"UI on http://127.0.0.1:{port}" in text
        assert ("source replay" in text) == ("replay" in command)
        assert "is not being used" not in text  # no misleading dagster.yaml warning
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
