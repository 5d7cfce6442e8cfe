"""The five window assets of replay mode and what their runs leave in the lake."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from crypto_assets.datasets import WAREHOUSE_SCHEMAS
from crypto_assets.environment import Settings
from crypto_assets_tests.support.definitions import live_assets, replay_definitions

ASSETS = live_assets(replay_definitions())
NAMES = list(WAREHOUSE_SCHEMAS)
BUSY_WINDOW = "2025-10-19-12:40"  # five real r/CryptoCurrency posts in the recording


def lake_counts(settings: Settings) -> dict[str, int]:
    """Rows per asset across every lake file."""
    root = Path(settings.lake_root)
    return {
        n: sum(pd.read_parquet(f).shape[0] for f in (root / n).rglob("*.parquet")) for n in NAMES
    }
