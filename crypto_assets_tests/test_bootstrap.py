"""scripts/bootstrap.sh leaves bytecode that imports use, and the start-up benchmark runs.

uv installs no .pyc files, and where PYTHONDONTWRITEBYTECODE is set (CI machines, the Docker
image) no process writes them: without the bootstrap's compile step every process start would
compile Dagster, pandas and the project from source again.
"""

from __future__ import annotations

import importlib
import importlib.util
import json
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from crypto_assets_tests.e2e.support import REPO
from crypto_assets_tests.support.subprocess_env import clean_env

MODULES = [
    "dagster",
    "dagster._core.definitions.assets.definition.assets_definition",
    "pandas",
    "pyarrow.parquet",
    "nltk.sentiment.vader",
    "crypto_assets.definitions",
    "crypto_assets.defs.history.parts",
]


def bytecode_is_current(source: Path) -> bool:
    """The cached .pyc exists and its header matches the source (so imports load it)."""
    cached = Path(importlib.util.cache_from_source(str(source)))
    if not cached.exists():
        return False
    header = cached.read_bytes()[:16]
    magic, flags, mtime, size = header[:4], *struct.unpack("<3I", header[4:])
    stat = source.stat()
    if magic != importlib.util.MAGIC_NUMBER:
        return False
    if flags & 0b1:  # hash-based .pyc: checked against the source's hash, not its mtime
        return True
    return mtime == int(stat.st_mtime) & 0xFFFFFFFF and size == stat.st_size & 0xFFFFFFFF


@pytest.mark.parametrize("name", MODULES)
def test_the_bootstrap_compiled_the_bytecode_of(name: str) -> None:
    source = Path(importlib.import_module(name).__file__)
    assert bytecode_is_current(source), f"{source}: no current .pyc (run scripts/bootstrap.sh)"


@pytest.mark.slow
def test_the_startup_benchmark_times_both_kinds_of_start(tmp_path: Path) -> None:
    out = tmp_path / "startup.json"
    done = subprocess.run(
        [sys.executable, "benchmarks/bench_startup.py", "--rounds", "1", "--json", str(out)],
        cwd=REPO, env=clean_env(), capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(out.read_text())
    assert report["rounds"] == 1
    assert set(report["median_s"]) == {"bytecode", "source"}
    assert all(seconds > 0 for seconds in report["median_s"].values())
    assert report["source_vs_bytecode"] > 0
    assert "ratio source / bytecode" in done.stdout
