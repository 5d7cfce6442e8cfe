"""What every window asset shares: IO manager, partitions and backfill policy from the settings,
the windows a run materializes, and the stored rows of earlier windows."""

from __future__ import annotations

import warnings
from collections.abc import Sequence
from datetime import datetime

import pandas as pd
from dagster import AssetExecutionContext, AssetsDefinition, BackfillPolicy, BetaWarning

from crypto_assets.datasets import ASSET_SCHEMAS
from crypto_assets.defs.scope import BuildScope
from crypto_assets.storage.lake import ParquetLake
from crypto_assets.windows import WINDOW, window_start

# BackfillPolicy is stable in use (dagster asset materialize --partition-range relies on it).
warnings.filterwarnings("ignore", category=BetaWarning, message=".*backfill_policy.*")

# Settings-free attributes, given in each @asset; `windowed` adds the settings-dependent ones.
ASSET_DEFAULTS = {"io_manager_key": "lakehouse", "kinds": {"python", "parquet"}}


def backfill_policy(windows_per_run: int | None) -> BackfillPolicy:
    """One run per backfill, or runs of `windows_per_run` windows.

    The lake takes any window range in one write, so a backfill of a day is one run, not 144.
    CRYPTO_BACKFILL_WINDOWS_PER_RUN (production: 144, a day) splits UI / GraphQL backfills into
    runs of that many windows, bounding one run's memory; unset keeps one run per backfill,
    which `dagster asset materialize --partition-range` requires (it refuses multi-run policies).
    """
    return (
        BackfillPolicy.multi_run(windows_per_run)
        if windows_per_run
        else BackfillPolicy.single_run()
    )


def windowed(assets: Sequence[AssetsDefinition], scope: BuildScope) -> list[AssetsDefinition]:
    """The assets on the live 10-minute partitions, with the backfill policy and the warehouse
    kind of these settings."""
    settings = scope.settings

    def with_windows(spec):
        kinds = {*spec.kinds, settings.warehouse}
        return spec.replace_attributes(partitions_def=scope.partitions, kinds=kinds)

    policy = backfill_policy(settings.backfill_windows_per_run)
    return [a.map_asset_specs(with_windows).with_attributes(backfill_policy=policy) for a in assets]


def window_starts(context: AssetExecutionContext) -> list[datetime]:
    """Naive-UTC starts of every 10-minute window this run materializes."""
    return [window_start(key) for key in sorted(context.partition_keys)]


def stored_windows(lake: ParquetLake, asset: str, starts: list[datetime]) -> pd.DataFrame:
    """The asset's stored rows of those of `starts` that have been written."""
    present = sorted(lake.existing_windows([asset], starts))
    return lake.read_windows([asset], present, ASSET_SCHEMAS[asset]).to_pandas()


def history_windows(
    lake: ParquetLake, asset: str, starts: list[datetime], baseline: int
) -> pd.DataFrame:
    """The asset's stored rows of the `baseline` windows before `starts[0]` (those that exist)."""
    first = starts[0]
    return stored_windows(lake, asset, [first - (i + 1) * WINDOW for i in range(baseline)])
