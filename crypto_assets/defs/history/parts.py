"""What every history asset shares: daily partitions, one run per day, the days of a run."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from dagster import AssetExecutionContext, AssetsDefinition, BackfillPolicy

from crypto_assets.defs.scope import BuildScope
from crypto_assets.history.days import day_window_starts

GROUP = "history"
KEY_PREFIX = "history"
# Settings-free attributes of every history asset; `daily` adds the partitions.
HISTORY_DEFAULTS = {
    "io_manager_key": "lakehouse",
    "kinds": {"python", "parquet"},
    "group_name": GROUP,
    "key_prefix": KEY_PREFIX,
}


def daily(assets: Sequence[AssetsDefinition], scope: BuildScope) -> list[AssetsDefinition]:
    """The history assets on the daily partitions, a backfill launching one run per day."""
    kinds = {scope.settings.warehouse}

    def with_days(spec):
        return spec.replace_attributes(partitions_def=scope.history, kinds={*spec.kinds, *kinds})

    # One run per day: a year's backfill spreads over the queue's workers, resumes day by day,
    # and each day's materialization carries that day's own numbers (Plots by partition).
    policy = BackfillPolicy.multi_run(1)
    return [a.map_asset_specs(with_days).with_attributes(backfill_policy=policy) for a in assets]


def run_days(context: AssetExecutionContext) -> list[date]:
    """The UTC days this run materializes."""
    return [date.fromisoformat(key) for key in sorted(context.partition_keys)]


def run_window_starts(context: AssetExecutionContext) -> list[datetime]:
    """Naive-UTC starts of every 10-minute window of the run's days (144 a day)."""
    return [start for day in run_days(context) for start in day_window_starts(day)]
