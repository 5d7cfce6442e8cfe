"""The alerting half of the code location: sensors and checks, built for the environment."""

from __future__ import annotations

from dagster import AssetChecksDefinition, SensorDefinition

from crypto_assets.alerts.freshness import (
    build_freshness_alert_sensor,
    build_freshness_check_sensor,
    build_freshness_checks,
)
from crypto_assets.alerts.market_sensor import build_market_sensor
from crypto_assets.alerts.run_failure import build_run_failure_sensor
from crypto_assets.environment import Settings


def alert_sensors(settings: Settings) -> list[SensorDefinition]:
    """Every alert sensor of the code location."""
    return [
        build_run_failure_sensor(settings),
        build_freshness_check_sensor(settings),
        build_freshness_alert_sensor(settings),
        build_market_sensor(settings),
    ]


def alert_checks(settings: Settings) -> list[AssetChecksDefinition]:
    """Asset checks that exist for alerting (freshness)."""
    return [
        *build_freshness_checks(settings),
    ]
