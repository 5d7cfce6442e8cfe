"""The event log of a range run grows linearly with its windows (not with their square)."""

from __future__ import annotations

from pathlib import Path

import pytest
from dagster import DagsterInstance, materialize
from dagster._serdes import serialize_value

from crypto_assets.deployment import build_resources
from crypto_assets.environment import Settings
from crypto_assets_tests.support.definitions import live_assets, replay_definitions

pytestmark = pytest.mark.slow  # the full lane (make test) only

defs = replay_definitions()


def event_log_bytes_per_window(tmp_path: Path, first: str, last: str, windows: int) -> float:
    """Serialized event-log bytes of one replay range run, divided by its windows."""
    settings = Settings.from_env({"CRYPTO_ASSETS_HOME": str(tmp_path), "CRYPTO_SOURCE": "replay"})
    tags = {"dagster/asset_partition_range_start": first, "dagster/asset_partition_range_end": last}
    with DagsterInstance.ephemeral() as instance:
        result = materialize(
            live_assets(defs),
            resources=build_resources(settings),
            instance=instance,
            tags=tags,
        )
        assert result.success
        partitions = {m.partition for m in result.asset_materializations_for_node("mention_counts")}
        assert len(partitions) == windows
        logs = instance.all_logs(result.run_id)
        return sum(len(serialize_value(entry)) for entry in logs) / windows


def test_event_log_bytes_per_window_stay_flat_from_a_day_to_a_week(tmp_path: Path) -> None:
    day = event_log_bytes_per_window(tmp_path / "day", "2025-10-20-00:00", "2025-10-20-23:50", 144)
    week = event_log_bytes_per_window(
        tmp_path / "week", "2025-10-20-00:00", "2025-10-26-23:50", 1008
    )
    # Quadratic growth (an N-row table on each of N materializations) would make this ~7x.
    assert week / day < 1.3, (day, week)
    # Five materializations (+ their planned events) and one observation per window, about
    # 23 KB; an N-row table on each materialization made it ~120 KB per window for a week.
    assert week < 40_000, week
