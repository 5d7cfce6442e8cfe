"""Operations: the pipeline job and its 10-minute schedule, and the history day job."""

from __future__ import annotations

import dagster as dg

from crypto_assets.defs.operations.schedule import build_schedule
from crypto_assets.defs.partition_errors import explain_out_of_range_partitions
from crypto_assets.defs.scope import current_scope

crypto_pipeline = dg.define_asset_job(
    "crypto_pipeline",
    selection=dg.AssetSelection.groups("ingestion", "enrichment", "publication"),
    description="All five assets for one 10-minute window (or a range, in one run).",
)
history_days = dg.define_asset_job(
    "history_days",
    selection=dg.AssetSelection.groups("history"),
    description="The five history assets for past UTC days: a backfill runs one run per day.",
)


@dg.definitions
def defs() -> dg.Definitions:
    """The job, and the schedule of the settings being built."""
    scope = current_scope()
    explain_out_of_range_partitions(scope.partitions, scope.settings.source)
    return dg.Definitions(
        jobs=[crypto_pipeline, history_days],
        schedules=[build_schedule(crypto_pipeline.name, scope)],
    )
