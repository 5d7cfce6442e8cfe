"""The project's copies of Dagster's run tag names match Dagster's own (private) constants."""

from __future__ import annotations

import pytest
from dagster._core.storage import tags as dagster_tags  # the source the copies must match

from crypto_assets import dagster_tags as ours


@pytest.mark.parametrize(
    ("mine", "theirs"),
    [
        ("PARTITION_TAG", "PARTITION_NAME_TAG"),
        ("RANGE_START_TAG", "ASSET_PARTITION_RANGE_START_TAG"),
        ("RANGE_END_TAG", "ASSET_PARTITION_RANGE_END_TAG"),
        ("BACKFILL_ID_TAG", "BACKFILL_ID_TAG"),
        ("SCHEDULE_NAME_TAG", "SCHEDULE_NAME_TAG"),
        ("SENSOR_NAME_TAG", "SENSOR_NAME_TAG"),
        ("MAX_RETRIES_TAG", "MAX_RETRIES_TAG"),
    ],
)
def test_tag_names_match_dagster(mine: str, theirs: str) -> None:
    assert getattr(ours, mine) == getattr(dagster_tags, theirs)
