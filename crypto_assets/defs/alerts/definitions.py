"""The alerting half of the code location: sensors and checks, built for the environment."""

from __future__ import annotations

import dagster as dg
from dagster import AssetChecksDefinition, SensorDefinition

from crypto_assets.alerts.freshness import (
    build_freshness_alert_sensor,
    build_freshness_check_sensor,
    build_freshness_checks,
)
from crypto_assets.alerts.market_sensor import build_market_sensor
from crypto_assets.alerts.run_failure import build_run_failure_sensor
from crypto_assets.defs.scope import BuildScope, current_scope


def alert_sensors(scope: BuildScope) -> list[SensorDefinition]:
    """Every alert sensor of the code location."""
    settings = scope.settings
    return [
        build_run_failure_sensor(settings),
        build_freshness_check_sensor(settings),
        build_freshness_alert_sensor(settings, scope.partitions),
        build_market_sensor(settings),
    ]


def alert_checks(scope: BuildScope) -> list[AssetChecksDefinition]:
    """Asset checks that exist for alerting (freshness)."""
    return build_freshness_checks(scope.settings)


@dg.definitions
def defs() -> dg.Definitions:
    """Alert sensors and checks of the settings being built."""
    scope = current_scope()
    return dg.Definitions(asset_checks=alert_checks(scope), sensors=alert_sensors(scope))
