"""The daily report: a picture of a day's top coins, in the UI's metadata and in the lake."""

import warnings
from datetime import date, datetime, timedelta

import dagster as dg
from dagster import (
    AssetDep,
    AssetExecutionContext,
    AssetKey,
    AssetsDefinition,
    BackfillPolicy,
    BetaWarning,
    DailyPartitionsDefinition,
    MaterializeResult,
    MetadataValue,
    RunRequest,
    ScheduleEvaluationContext,
    SkipReason,
    TimeWindowPartitionMapping,
)

from crypto_assets.defs.history.parts import KEY_PREFIX as HISTORY_PREFIX
from crypto_assets.defs.scope import BuildScope, current_scope
from crypto_assets.partitions import build_report_partitions_def
from crypto_assets.report.day import build_day_report, write_day_report
from crypto_assets.report.page import summary_markdown
from crypto_assets.resources.lake import LakeResource

# Beta only in name here: the mapping's other days simply have no upstream partitions.
warnings.filterwarnings(
    "ignore", category=BetaWarning, message=".*allow_nonexistent_upstream_partitions.*"
)
GROUP = "report"
# A day maps onto its 144 windows; a day outside one graph's partitions has none there.
DAY_TO_WINDOWS = TimeWindowPartitionMapping(allow_nonexistent_upstream_partitions=True)
UPSTREAM = (AssetKey("mention_counts"), AssetKey([HISTORY_PREFIX, "mention_counts"]))


def build_market_report(scope: BuildScope, days: DailyPartitionsDefinition) -> AssetsDefinition:
    """`market_report` on `days`, one run per day (a backfill spreads days over the queue)."""
    replay = scope.settings.source == "replay"

    @dg.asset(
        name="market_report",
        group_name=GROUP,
        kinds={"python", "matplotlib", "html"},
        partitions_def=days,
        backfill_policy=BackfillPolicy.multi_run(1),
        deps=[AssetDep(key, partition_mapping=DAY_TO_WINDOWS) for key in UPSTREAM],
    )
    def market_report(context: AssetExecutionContext, lake: LakeResource) -> MaterializeResult:
        """A UTC day's top 10 coins: mentions, sentiment and price per hour, and their table."""
        store = lake.lake()
        report = build_day_report(store, date.fromisoformat(context.partition_key), replay)
        location = write_day_report(store, report)
        context.log.info(f"market_report: {location} rendered in {report.seconds:.2f} s")
        return MaterializeResult(
            metadata={
                "report": MetadataValue.md(report.markdown(location)),
                "summary": MetadataValue.md(summary_markdown(report.figure)),
                "path": MetadataValue.path(location),
                **report.numbers,
                "top_coins": ", ".join(report.figure.coins) or "none",
                "replay": replay,
                "png_bytes": len(report.png),
                "render_seconds": round(report.seconds, 3),
            }
        )

    return market_report


def build_report_schedule(job_name: str, days: DailyPartitionsDefinition) -> dg.ScheduleDefinition:
    """Each day at 00:30 UTC, the report of the day that just ended (skipped outside the days)."""

    @dg.schedule(
        name="market_report_daily",
        cron_schedule="30 0 * * *",
        job_name=job_name,
        execution_timezone="UTC",
        default_status=dg.DefaultScheduleStatus.RUNNING,
    )
    def market_report_daily(context: ScheduleEvaluationContext) -> RunRequest | SkipReason:
        """Request yesterday's report."""
        tick = context.scheduled_execution_time or datetime.now()
        key = f"{tick.date() - timedelta(days=1):%Y-%m-%d}"
        if not days.has_partition_key(key):
            return SkipReason(f"{key} is not a report day (the days end {days.end or 'today'})")
        return RunRequest(run_key=key, partition_key=key)

    return market_report_daily


@dg.definitions
def defs() -> dg.Definitions:
    """The report asset on the report days of the settings being built, and its daily schedule."""
    scope = current_scope()
    days = build_report_partitions_def(scope.settings, scope.partitions)
    job = dg.define_asset_job("market_report_job", selection=[AssetKey("market_report")])
    return dg.Definitions(
        assets=[build_market_report(scope, days)],
        jobs=[job],
        schedules=[build_report_schedule(job.name, days)],
    )
