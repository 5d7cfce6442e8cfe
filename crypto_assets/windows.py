"""The 10-minute UTC window every live dataset is cut into: its length, cron and key format.

Dagster-free and settings-free, so any module (pure logic, alerts, the run queue) can name a
window without importing the partitions definition.
"""

from __future__ import annotations

from datetime import datetime, timedelta

WINDOW = timedelta(minutes=10)
WINDOW_CRON = "*/10 * * * *"
PARTITION_KEY_FORMAT = "%Y-%m-%d-%H:%M"  # 2025-10-19-12:40


def window_start(key: str) -> datetime:
    """The naive-UTC start of the window a partition key names."""
    return datetime.strptime(key, PARTITION_KEY_FORMAT)
