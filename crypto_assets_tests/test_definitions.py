"""Snapshot of the code location: the asset graph, partitions, backfill policy, checks, schedule."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from dagster import (
    AssetKey,
    DagsterInstance,
    Definitions,
    PartitionKeyRange,
    build_schedule_context,
)
from dagster._core.definitions.backfill_policy import BackfillPolicyType

from crypto_assets.datasets import ASSET_SCHEMAS
from crypto_assets.defs.operations.schedule import build_schedule
from crypto_assets.defs.report.assets import DAY_TO_WINDOWS
from crypto_assets.defs.scope import BuildScope
from crypto_assets.environment import Settings
from crypto_assets.partitions import partition_span, remembered_start
from crypto_assets_tests.support.definitions import replay_definitions

defs = replay_definitions()
ten_minute_partitions = defs.resolve_assets_def(AssetKey("mention_counts")).partitions_def

# The design's graph: coinlore -> coin_listings; reddit -> reddit_posts -> sentiment_scores
# -> coin_mentions -> mention_counts, with the listing joined in for matching and prices.
EXPECTED_GRAPH = {
    "coin_listings": {"group": "ingestion", "deps": set()},
    "reddit_posts": {"group": "ingestion", "deps": set()},
    "sentiment_scores": {"group": "enrichment", "deps": {"reddit_posts"}},
    "coin_mentions": {"group": "enrichment", "deps": {"sentiment_scores", "coin_listings"}},
    "mention_counts": {"group": "publication", "deps": {"coin_mentions", "coin_listings"}},
}
# The history graph: the same five datasets on daily partitions, among themselves only.
EXPECTED_HISTORY_GRAPH = {
    f"history/{name}": {"group": "history", "deps": {f"history/{d}" for d in node["deps"]}}
    for name, node in EXPECTED_GRAPH.items()
}
EXPECTED_HISTORY_GRAPH["history/mention_counts"]["deps"].add("history/sentiment_scores")
# The daily report reads the day's windows of both graphs.
EXPECTED_REPORT_GRAPH = {
    "market_report": {"group": "report", "deps": {"mention_counts", "history/mention_counts"}}
}
EXPECTED_CHECKS = {
    ("coin_listings", "listing_depth"),
    ("coin_listings", "listing_has_prices"),
    ("reddit_posts", "posts_vs_baseline"),
    ("reddit_posts", "listing_depth_headroom"),
    ("reddit_posts", "reread_returned_stored_posts"),
    ("mention_counts", "mention_rate_vs_baseline"),
    ("mention_counts", "freshness_check"),
    ("history/coin_listings", "pairs_have_candles"),
    ("history/reddit_posts", "archive_has_posts"),
}


def test_definitions_load() -> None:
    Definitions.validate_loadable(defs)


def test_the_defs_folder_builds_what_dg_load_from_defs_folder_builds() -> None:
    """build_definitions reads the defs folder as dg does, without dg's plugin scan."""
    from pathlib import Path

    import dagster as dg

    import crypto_assets.definitions as location
    from crypto_assets.defs.scope import building
    from crypto_assets_tests.support.definitions import replay_settings

    settings = replay_settings()
    ours = location.build_definitions(settings)
    with building(settings):
        folder = dg.load_from_defs_folder(path_within_project=Path(location.__file__).parent)

    def shape(d: Definitions) -> dict[str, set]:
        graph = d.resolve_asset_graph()
        return {
            "assets": set(graph.get_all_asset_keys()),
            "checks": set(graph.asset_check_keys),
            "jobs": {j.name for j in d.resolve_all_job_defs()},
            "schedules": {s.name for s in d.schedules or []},
            "sensors": {s.name for s in d.sensors or []},
            "resources": set(d.resources or {}),
        }

    assert shape(ours) == shape(folder)
    assert len(list(location.defs_modules())) == 10  # a module per domain part, resources


def test_asset_graph_snapshot() -> None:
    graph = defs.resolve_asset_graph()
    seen = {}
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        seen[key.to_user_string()] = {
            "group": node.group_name,
            "deps": {p.to_user_string() for p in node.parent_keys},
        }
    assert seen == EXPECTED_GRAPH | EXPECTED_HISTORY_GRAPH | EXPECTED_REPORT_GRAPH


def test_every_asset_is_documented_partitioned_and_single_run() -> None:
    graph = defs.resolve_asset_graph()
    for name in EXPECTED_GRAPH:
        node = graph.get(AssetKey(name))
        assert node.partitions_def == ten_minute_partitions, name
        assert node.backfill_policy.policy_type == BackfillPolicyType.SINGLE_RUN, name
        assert node.description and len(node.description.splitlines()) == 1, name
        assert {"python", "parquet"} <= set(node.kinds), name
        columns = node.metadata["dagster/column_schema"].columns
        assert [c.name for c in columns] == ASSET_SCHEMAS[name].names, name
        assert all(c.description for c in columns), name


def test_asset_checks_snapshot() -> None:
    keys = defs.resolve_asset_graph().asset_check_keys
    assert {(k.asset_key.to_user_string(), k.name) for k in keys} == EXPECTED_CHECKS


def test_history_assets_are_daily_one_run_per_day_and_end_before_the_live_windows() -> None:
    graph = defs.resolve_asset_graph()
    first_live_day = ten_minute_partitions.start.date()
    for name in EXPECTED_HISTORY_GRAPH:
        node = graph.get(AssetKey.from_user_string(name))
        days = node.partitions_def
        assert days.get_first_partition_key() == "2021-01-01", name
        last = days.get_last_partition_window()
        assert last is not None and last.end.date() == first_live_day, name  # no shared window
        assert len(days.get_partition_keys()) < 100_000
        assert node.backfill_policy.policy_type == BackfillPolicyType.MULTI_RUN, name
        assert node.backfill_policy.max_partitions_per_run == 1, name
        assert node.description and len(node.description.splitlines()) == 1, name
        columns = node.metadata["dagster/column_schema"].columns
        assert [c.name for c in columns] == ASSET_SCHEMAS[name.split("/")[1]].names, name


def test_partitions_are_ten_minute_utc_windows_over_the_replay_span() -> None:
    # The suite runs in replay mode: the partitions are exactly what the recordings can answer.
    assert ten_minute_partitions.cron_schedule == "*/10 * * * *"
    assert ten_minute_partitions.timezone == "UTC"
    first = ten_minute_partitions.get_first_partition_window()
    last = ten_minute_partitions.get_last_partition_window()
    assert first is not None and first.start.isoformat() == "2025-10-19T02:00:00+00:00"
    assert last is not None and last.end.isoformat() == "2025-10-31T00:00:00+00:00"
    assert len(ten_minute_partitions.get_partition_keys()) == 1716


@pytest.mark.parametrize(
    ("env", "start", "end"),
    [
        ({"CRYPTO_PARTITIONS_START": "2025-10-25T06:10"}, "2025-10-25 06:10", "2025-10-31 00:00"),
        ({"CRYPTO_SUBREDDITS": "CryptoCurrency,Bitcoin"}, "2025-10-22 21:00", "2025-10-31 00:00"),
    ],
)
def test_replay_span_follows_the_configuration(env: dict, start: str, end: str, tmp_path) -> None:
    settings = Settings.from_env(
        {"CRYPTO_SOURCE": "replay", "CRYPTO_ASSETS_HOME": str(tmp_path), **env}
    )
    span = partition_span(settings)
    assert (f"{span[0]:%Y-%m-%d %H:%M}", f"{span[1]:%Y-%m-%d %H:%M}") == (start, end)


def test_live_default_start_is_a_week_back_and_stays_put_across_restarts(tmp_path) -> None:
    settings = Settings.from_env({"CRYPTO_ASSETS_HOME": str(tmp_path)})
    first = remembered_start(settings, today=datetime(2026, 11, 25, 13, 7))
    assert first == datetime(2026, 11, 18)
    assert remembered_start(settings, today=datetime(2027, 3, 1)) == first  # a later restart
    assert (tmp_path / "partitions_start").read_text().strip() == "2026-11-18"
    assert partition_span(settings) == (first, None)  # live: open-ended


def test_schedule_runs_every_ten_minutes_after_a_settle_delay() -> None:
    schedule = defs.resolve_schedule_def("crypto_pipeline_every_10_minutes")
    assert schedule.cron_schedule == "2-59/10 * * * *"  # CRYPTO_SETTLE_MINUTES=2
    assert schedule.execution_timezone == "UTC"
    assert schedule.job_name == "crypto_pipeline"
    assert schedule.default_status.value == "RUNNING"
    job = defs.resolve_job_def("crypto_pipeline")
    assert job.partitions_def == ten_minute_partitions


def live_schedule():
    """The schedule as a live deployment builds it (the suite itself runs in replay mode)."""
    return build_schedule(
        "crypto_pipeline",
        BuildScope.over(Settings.from_env({}), ten_minute_partitions),
    )


@pytest.mark.parametrize(
    ("tick", "first", "last"),
    [
        (datetime(2025, 10, 19, 12, 52, tzinfo=UTC), "2025-10-19-11:50", "2025-10-19-12:40"),
        (datetime(2025, 11, 1, 0, 2, tzinfo=UTC), "2025-10-31-23:00", "2025-10-31-23:50"),
        # Near the partitions' start the re-read range is clipped to it.
        (datetime(2025, 10, 19, 2, 22, tzinfo=UTC), "2025-10-19-02:00", "2025-10-19-02:10"),
    ],
)
def test_schedule_tick_requests_one_range_run_ending_with_the_closed_window(
    tick: datetime, first: str, last: str
) -> None:
    schedule = live_schedule()
    with DagsterInstance.ephemeral() as instance:
        context = build_schedule_context(instance=instance, scheduled_execution_time=tick)
        requests = schedule.evaluate_tick(context).run_requests
    assert len(requests) == 1
    assert requests[0].partition_key_range == PartitionKeyRange(first, last)
    assert requests[0].run_key == f"{first}...{last}"


def test_schedule_skips_before_the_first_window_closed() -> None:
    schedule = live_schedule()
    with DagsterInstance.ephemeral() as instance:
        tick = datetime(2025, 10, 19, 2, 2, tzinfo=UTC)
        context = build_schedule_context(instance=instance, scheduled_execution_time=tick)
        result = schedule.evaluate_tick(context)
    assert not result.run_requests and "no closed window" in (result.skip_message or "")


def test_in_replay_the_schedule_skips_and_says_which_windows_the_recordings_cover() -> None:
    replay = Settings.from_env({"CRYPTO_SOURCE": "replay"})
    schedule = build_schedule("crypto_pipeline", BuildScope.over(replay, ten_minute_partitions))
    with DagsterInstance.ephemeral() as instance:
        tick = datetime(2026, 11, 25, 12, 2, tzinfo=UTC)
        context = build_schedule_context(instance=instance, scheduled_execution_time=tick)
        result = schedule.evaluate_tick(context)
    assert not result.run_requests
    assert "2025-10-19 00:48 to 2025-10-30 13:30 UTC" in (result.skip_message or "")


def test_nlp_assets_carry_their_rules_version_as_code_version() -> None:
    # Changing a lexicon entry or threshold changes the hash, so the UI marks windows stale.
    from crypto_assets.nlp.mentions import MENTION_RULES_VERSION
    from crypto_assets.nlp.sentiment import SENTIMENT_RULES_VERSION

    for asset, version in (
        ("sentiment_scores", SENTIMENT_RULES_VERSION),
        ("coin_mentions", MENTION_RULES_VERSION),
    ):
        versions = defs.resolve_assets_def(AssetKey(asset)).code_versions_by_key
        assert versions[AssetKey(asset)] == version and len(version) >= 12


def _windows_of(day: str, upstream: str) -> list[str]:
    days = defs.resolve_assets_def(AssetKey("market_report")).partitions_def
    parent = defs.resolve_assets_def(AssetKey.from_user_string(upstream)).partitions_def
    subset = days.subset_with_partition_keys([day])
    mapped = DAY_TO_WINDOWS.get_upstream_mapped_partitions_result_for_partitions(
        subset, days, parent
    )
    return list(mapped.partitions_subset.get_partition_keys())


def test_the_report_is_daily_over_history_and_live_days_one_run_per_day() -> None:
    node = defs.resolve_asset_graph().get(AssetKey("market_report"))
    days = node.partitions_def
    assert days.get_first_partition_key() == "2021-01-01"
    assert days.get_last_partition_key() == "2025-10-30"  # the replay recordings' last day
    assert len(days.get_partition_keys()) < 100_000
    assert node.backfill_policy.policy_type == BackfillPolicyType.MULTI_RUN
    assert node.backfill_policy.max_partitions_per_run == 1
    assert node.description and len(node.description.splitlines()) == 1


@pytest.mark.parametrize(
    ("day", "live_windows", "history_days"),
    [
        ("2025-10-20", 144, []),  # a live day: its 144 windows, no history day
        ("2022-05-08", 0, ["2022-05-08"]),  # a history day: the day, no live window
    ],
)
def test_a_report_day_depends_on_that_days_mention_counts(day, live_windows, history_days) -> None:
    windows = _windows_of(day, "mention_counts")
    assert len(windows) == live_windows
    assert all(w.startswith(day) for w in windows)
    assert _windows_of(day, "history/mention_counts") == history_days


@pytest.mark.parametrize(
    ("tick", "requested"),
    [
        (datetime(2025, 10, 21, 0, 30, tzinfo=UTC), "2025-10-20"),
        (datetime(2026, 12, 5, 0, 30, tzinfo=UTC), None),  # after the replay days: skipped
    ],
)
def test_the_daily_report_schedule_asks_for_yesterday(tick, requested) -> None:
    schedule = defs.resolve_schedule_def("market_report_daily")
    with DagsterInstance.ephemeral() as instance:
        context = build_schedule_context(
            instance=instance,
            scheduled_execution_time=tick,
            repository_def=defs.get_repository_def(),
        )
        result = schedule.evaluate_tick(context)
    keys = [r.partition_key for r in result.run_requests or []]
    assert keys == ([requested] if requested else [])
