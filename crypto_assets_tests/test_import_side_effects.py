"""Importing any module of the package reads no setting and writes no file."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from crypto_assets_tests.support.subprocess_env import clean_env

IMPORT_ALL = """
import importlib, pkgutil, crypto_assets
names = [m.name for m in pkgutil.walk_packages(crypto_assets.__path__, "crypto_assets.")]
for name in names:
    importlib.import_module(name)
print(len(names))
"""


def test_every_module_imports_with_bad_settings_and_writes_nothing(tmp_path: Path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = clean_env()
    env |= {
        "CRYPTO_ASSETS_HOME": str(home),
        "CRYPTO_WAREHOUSE": "bogus",  # any read of the settings at import would raise
        "CRYPTO_PARTITIONS_START": "1999-01-01",
    }
    done = subprocess.run(
        [sys.executable, "-c", IMPORT_ALL],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert int(done.stdout.split()[-1]) > 80  # every module, not a few
    assert list(home.iterdir()) == []  # no partitions_start, no lake, no warehouse
    assert [p.name for p in tmp_path.iterdir()] == ["home"]  # nothing in the working folder
