"""A warehouse on a full disk: the error users see names the full disk, and the lake is kept.

The disk is a real 2 MB tmpfs (mounting needs root, as the project's CI runs).
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pyarrow as pa
import pytest

from crypto_assets.storage.duckdb_warehouse import DuckDBWarehouse
from crypto_assets.storage.lake import ParquetLake
from crypto_assets.storage.lakehouse import replace_windows
from crypto_assets_tests.support.storage import TEN, W0, lake_rows, posts


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    mount = tmp_path / "tiny"
    mount.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(mount)], capture_output=True
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_warehouse_disk_reports_no_space_and_keeps_the_lake(
    tmp_path: Path, tiny_disk: Path
) -> None:
    lake = ParquetLake(str(tmp_path / "lake"))
    wh = DuckDBWarehouse(tiny_disk / "w.duckdb")
    replace_windows(lake, wh, "reddit_posts", posts(W0, ["kept"]), [W0], TEN)
    big = pa.concat_tables([posts(W0, [f"p{i:06d}-{'x' * 80}" for i in range(30_000)])])

    with pytest.raises(Exception, match="No space left on device") as failure:
        replace_windows(lake, wh, "reddit_posts", big, [W0], TEN)

    assert "cannot rollback" not in str(failure.value)
    assert lake_rows(lake, [W0]) == {"14:20": ["kept"]}  # the lake is back at the old version
