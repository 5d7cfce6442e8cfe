"""The crash soak, shortened: runs killed with SIGKILL at random moments leave both stores equal."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from crypto_assets_tests.e2e.support import REPO

pytestmark = pytest.mark.slow  # the full lane (make test) only


def test_three_killed_runs_leave_every_window_equal_in_lake_and_warehouse(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "benchmarks/crash_soak.py", "--runs", "3", "--home", str(tmp_path)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stdout + done.stderr[-3000:]
    rounds = [line for line in done.stdout.splitlines() if line.startswith("round")]
    assert len(rounds) == 3 and all(line.endswith("after 0") for line in rounds)
    assert "windows differing at the end: 0; journals left: 0" in done.stdout
    assert not list((tmp_path / "lake" / "_staging" / "journal").glob("*.json"))
