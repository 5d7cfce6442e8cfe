"""The 10-minute UTC window every live dataset is cut into: its length, cron and key format.

Dagster-free and settings-free, so any module (pure logic, alerts, the run queue) can name a
window without importing the partitions definition.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

WINDOW = timedelta(minutes=10)
WINDOW_CRON = "*/10 * * * *"
PARTITION_KEY_FORMAT = "%Y-%m-%d-%H:%M"  # 2025-10-19-12:40


def window_key(start: datetime) -> str:
    """The partition key of the window starting at `start`."""
    return start.strftime(PARTITION_KEY_FORMAT)


def window_start(key: str) -> datetime:
    """The naive-UTC start of the window a partition key names."""
    return datetime.strptime(key, PARTITION_KEY_FORMAT)


def floor_to_window(moment: datetime) -> datetime:
    """The start of the window holding `moment` (aware moments are taken in UTC; naive result)."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.replace(minute=moment.minute - moment.minute % 10, second=0, microsecond=0)
