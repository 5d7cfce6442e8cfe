"""The one 10-minute UTC partitions definition every asset shares."""

from __future__ import annotations

from datetime import datetime, timedelta

from dagster import TimeWindowPartitionsDefinition

from crypto_assets.environment import Settings, current_settings

WINDOW = timedelta(minutes=10)
WINDOW_CRON = "*/10 * * * *"
PARTITION_KEY_FORMAT = "%Y-%m-%d-%H:%M"


def build_partitions_def(settings: Settings) -> TimeWindowPartitionsDefinition:
    """Ten-minute UTC windows from CRYPTO_PARTITIONS_START on."""
    start = datetime.fromisoformat(settings.partitions_start)
    return TimeWindowPartitionsDefinition(
        cron_schedule=WINDOW_CRON,
        start=start.strftime(PARTITION_KEY_FORMAT),
        fmt=PARTITION_KEY_FORMAT,
        timezone="UTC",
        end_offset=0,
    )


ten_minute_partitions = build_partitions_def(current_settings())
