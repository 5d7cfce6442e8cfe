"""The code location as the tests use it: built once from explicit replay settings."""

from __future__ import annotations

import functools
import tempfile

from dagster import AssetsDefinition, Definitions, TimeWindowPartitionsDefinition

from crypto_assets.definitions import build_definitions, history_assets, live_assets
from crypto_assets.environment import Settings
from crypto_assets.partitions import build_partitions_def

__all__ = ["history_assets", "live_assets", "replay_definitions", "replay_settings"]


def replay_settings() -> Settings:
    """Replay-mode settings with state in a fresh temp folder."""
    home = tempfile.mkdtemp(prefix="crypto_assets_defs_")
    return Settings.from_env({"CRYPTO_ASSETS_HOME": home, "CRYPTO_SOURCE": "replay"})


@functools.cache
def replay_definitions() -> Definitions:
    """The definitions of replay mode (its partitions span the recordings)."""
    return build_definitions(replay_settings())


def window_assets() -> list[AssetsDefinition]:
    """The five window assets of replay mode, to materialize with resources of a test's own."""
    return live_assets(replay_definitions())


def replay_partitions() -> TimeWindowPartitionsDefinition:
    """The 10-minute partitions of replay mode (the recordings' span)."""
    return build_partitions_def(replay_settings())
