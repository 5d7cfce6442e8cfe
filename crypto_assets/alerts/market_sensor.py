"""The market alert sensor: every new mention_counts window evaluated, each alert sent once."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from dagster import (
    AssetKey,
    AssetRecordsFilter,
    DagsterInstance,
    DefaultSensorStatus,
    ResourceParam,
    SensorDefinition,
    SensorEvaluationContext,
    SkipReason,
    sensor,
)

from crypto_assets.alerts.ledger import AlertLedger, AlertTransport
from crypto_assets.alerts.market_eval import ASSET, baseline_starts, evaluate, recent
from crypto_assets.alerts.market_rules import MarketRules, load_rules
from crypto_assets.alerts.transports import deliver_tick
from crypto_assets.datasets import ASSET_SCHEMAS
from crypto_assets.environment import Settings
from crypto_assets.resources.lake import LakeResource
from crypto_assets.windows import PARTITION_KEY_FORMAT

SENSOR_NAME = "market_alerts"
PAGE = 500  # event records per query
MAX_PAGES = 20  # per tick; the next tick goes on from the cursor
Clock = Callable[[], datetime]


def materialized_since(
    instance: DagsterInstance, after_id: int | None
) -> tuple[list[str], int | None]:
    """Partition keys of mention_counts materializations after `after_id`, and the last id read.

    Every event counts, not the latest per asset: a backfill or a range run lands many windows
    between two ticks.
    """
    keys, last = [], after_id
    for _ in range(MAX_PAGES):
        result = instance.fetch_materializations(
            AssetRecordsFilter(asset_key=AssetKey(ASSET), after_storage_id=last),
            limit=PAGE,
            ascending=True,
        )
        for record in result.records:
            last = record.storage_id
            if record.partition_key:
                keys.append(record.partition_key)
        if not result.has_more:
            break
    return keys, last


def window_starts(keys: Iterable[str]) -> set[datetime]:
    """Naive-UTC window starts of partition keys (keys in another format are ignored)."""
    starts = set()
    for key in keys:
        try:
            starts.add(datetime.strptime(key, PARTITION_KEY_FORMAT))
        except ValueError:
            continue
    return starts


def read_with_baselines(
    lake: LakeResource, starts: Iterable[datetime], lookback: int
) -> tuple[list[dict], set[datetime]]:
    """Rows of the windows and of their trailing baselines, and which of them are in the lake."""
    wanted = {b for s in starts for b in [s, *baseline_starts(s, lookback)]}
    store = lake.lake()
    present = store.existing_windows([ASSET], sorted(wanted))
    table = store.read_windows([ASSET], sorted(present), ASSET_SCHEMAS[ASSET])
    return table.to_pylist(), present


def build_market_sensor(
    settings: Settings, rules: MarketRules | None = None, clock: Clock | None = None
) -> SensorDefinition:
    """The sensor; loading the rules here makes a bad rules file fail the code location load."""
    rules = rules or load_rules(settings.alert_rules_path)
    now_of = clock or (lambda: datetime.now(UTC))

    @sensor(
        name=SENSOR_NAME,
        minimum_interval_seconds=60,
        default_status=DefaultSensorStatus.RUNNING,
        description=(
            f"Market alerts from {rules.source}: evaluates every new mention_counts window "
            f"that started within {rules.max_window_age.total_seconds() / 60:g} minutes "
            "(backfills of older windows stay quiet) and publishes each alert once, to the SNS "
            "topic or, without one, the local outbox file. Running by default: the rules "
            "exist to alert, and locally alerts only reach the outbox; stop it in the UI to "
            "silence them."
        ),
    )
    def market_alerts(
        context: SensorEvaluationContext,
        lake: LakeResource,
        alerts: ResourceParam[AlertTransport],
    ) -> SkipReason:
        ledger = AlertLedger.from_cursor(context.cursor)
        keys, last_id = materialized_since(context.instance, ledger.after_id)
        now = now_of()
        starts = recent(window_starts(keys), rules, now)
        found = []
        if starts:
            rows, present = read_with_baselines(lake, starts, rules.lookback)
            for start in sorted(set(starts) - present):
                context.log.warning(f"{ASSET} window {start} has no lake file; not evaluated")
            found = evaluate(rules, starts, rows, present, now, settings.ui_url)
        context.log.info(
            f"{len(keys)} new {ASSET} materializations; {len(starts)} recent windows "
            f"evaluated; {len(found)} alerts found (already sent ones are not sent again)"
        )
        ledger.after_id = last_id  # saved by deliver_tick, with the alerts found up to it
        return deliver_tick(context, ledger, alerts, found)

    return market_alerts
