"""Dagster's run tag names this project reads or writes (documented strings, kept in one place).

Dagster defines them in a private module (`dagster._core.storage.tags`); the test suite checks
these copies against it, so an upgrade that renames one fails a test instead of a run.
"""

PARTITION_TAG = "dagster/partition"
RANGE_START_TAG = "dagster/asset_partition_range_start"
RANGE_END_TAG = "dagster/asset_partition_range_end"
BACKFILL_ID_TAG = "dagster/backfill"
SCHEDULE_NAME_TAG = "dagster/schedule_name"
SENSOR_NAME_TAG = "dagster/sensor_name"
MAX_RETRIES_TAG = "dagster/max_retries"
