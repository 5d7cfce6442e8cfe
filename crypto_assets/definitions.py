"""The Dagster code location: five assets, their checks, one job and its 10-minute schedule."""

from __future__ import annotations

from dagster import (
    AssetSelection,
    Definitions,
    define_asset_job,
    load_asset_checks_from_modules,
    load_assets_from_modules,
)

from crypto_assets.alerts.wiring import alert_checks, alert_sensors
from crypto_assets.assets import enrichment, ingestion, publication
from crypto_assets.deployment import build_executor, build_resources
from crypto_assets.environment import current_settings
from crypto_assets.run_health import fail_runs_with_dead_workers
from crypto_assets.schedules import build_schedule

_settings = current_settings()
_ASSET_MODULES = [ingestion, enrichment, publication]

crypto_pipeline = define_asset_job(
    "crypto_pipeline",
    selection=AssetSelection.all(),
    description="All five assets for one 10-minute window (or a range, in one run).",
)

every_ten_minutes = build_schedule(crypto_pipeline, _settings)

defs = Definitions(
    assets=load_assets_from_modules(_ASSET_MODULES),
    asset_checks=[*load_asset_checks_from_modules(_ASSET_MODULES), *alert_checks(_settings)],
    jobs=[crypto_pipeline],
    schedules=[every_ten_minutes],
    sensors=[fail_runs_with_dead_workers, *alert_sensors(_settings)],
    resources=build_resources(_settings),
    executor=build_executor(_settings),
)
