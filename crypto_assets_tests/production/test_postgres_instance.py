"""The production instance on the machine's PostgreSQL: runs, materializations, check results."""

from __future__ import annotations

from dagster import AssetKey, RunsFilter
from dagster._core.storage.tags import (
    ASSET_PARTITION_RANGE_END_TAG,
    ASSET_PARTITION_RANGE_START_TAG,
)

from crypto_assets.run_queue import BLOCK_KEYS, HISTORY_TAG
from crypto_assets_tests.production.conftest import instance_for, make_prod_home

ASSETS = ("coin_listings", "reddit_posts", "sentiment_scores", "coin_mentions", "mention_counts")
WINDOW = "2025-10-24-12:00"
RANGE = [f"2025-10-24-{h:02d}:{m:02d}" for h in (14, 15) for m in range(0, 60, 10)]  # 12


def test_prod_instance_file_uses_postgres_and_the_queue(pg_database, tmp_path):
    prod = make_prod_home(tmp_path / "home", pg_database)
    instance = instance_for(prod)
    try:
        assert type(instance.run_storage).__name__ == "PostgresRunStorage"
        assert type(instance.event_log_storage).__name__ == "PostgresEventLogStorage"
        assert type(instance.schedule_storage).__name__ == "PostgresScheduleStorage"
        assert type(instance.run_coordinator).__name__ == "WindowBlockRunCoordinator"
        queue = instance.get_concurrency_config().run_queue_config
        assert queue.max_concurrent_runs == 2  # DAGSTER_MAX_CONCURRENT_RUNS
        limits = {t["key"]: t["limit"] for t in queue.tag_concurrency_limits}
        assert limits == dict.fromkeys(BLOCK_KEYS, 1) | {HISTORY_TAG: 1}  # half of 2 slots
        assert instance.run_retries_enabled and instance.run_retries_max_retries == 2
        assert instance.get_concurrency_config().pool_config.default_pool_limit == 1
    finally:
        instance.dispose()


def test_window_and_range_materialize_into_postgres(pg_database, tmp_path):
    """One window and a 12-window range run with the PostgreSQL instance; its run history,
    materializations and asset-check results are read back from PostgreSQL."""
    from crypto_assets_tests.support.definitions import replay_definitions

    defs = replay_definitions()

    prod = make_prod_home(tmp_path / "home", pg_database)
    instance = instance_for(prod)
    try:
        job = defs.resolve_job_def("crypto_pipeline")
        one = job.execute_in_process(instance=instance, partition_key=WINDOW)
        tags = {ASSET_PARTITION_RANGE_START_TAG: RANGE[0], ASSET_PARTITION_RANGE_END_TAG: RANGE[-1]}
        many = job.execute_in_process(instance=instance, tags=tags)
        assert one.success and many.success
        run_ids = {one.run_id, many.run_id}
    finally:
        instance.dispose()

    # A new instance object: everything below comes from the database, not from memory.
    reread = instance_for(prod)
    try:
        records = reread.get_run_records(RunsFilter(run_ids=list(run_ids)))
        assert {r.dagster_run.run_id for r in records} == run_ids
        assert {r.dagster_run.status.value for r in records} == {"SUCCESS"}
        assert all(r.start_time and r.end_time and r.end_time >= r.start_time for r in records)
        for asset in ASSETS:
            events = reread.fetch_materializations(AssetKey(asset), limit=100).records
            by_key = {}
            for event in events:
                by_key.setdefault(event.partition_key, set()).add(event.run_id)
            assert by_key.get(WINDOW) == {one.run_id}, asset
            assert all(by_key.get(k) == {many.run_id} for k in RANGE), asset
        checks = list(defs.resolve_asset_graph().asset_check_keys)
        executed = {}
        for key in checks:
            history = reread.event_log_storage.get_asset_check_execution_history(key, limit=10)
            executed[key.name] = {h.run_id for h in history}
        ran = {name for name, ids in executed.items() if ids & run_ids}
        assert {"listing_has_prices", "posts_vs_baseline"} <= ran, executed
    finally:
        reread.dispose()
