"""The alerting half of the code location: sensors and checks, built for the environment."""

from __future__ import annotations

from dagster import AssetChecksDefinition, SensorDefinition

from crypto_assets.environment import Settings


def alert_sensors(settings: Settings) -> list[SensorDefinition]:
    """Every alert sensor of the code location."""
    return []


def alert_checks(settings: Settings) -> list[AssetChecksDefinition]:
    """Asset checks that exist for alerting (freshness)."""
    return []
