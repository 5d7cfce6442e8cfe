"""Persists every asset partition to the Parquet lake and the warehouse; loads inputs from the lake."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
from dagster import ConfigurableIOManager, InitResourceContext, InputContext, OutputContext
from pydantic import PrivateAttr

from crypto_assets.datasets import ASSET_MERGES, ASSET_SCHEMAS, WAREHOUSE_SCHEMAS, to_arrow
from crypto_assets.resources.lake import LakeResource
from crypto_assets.resources.warehouse import WarehouseResource
from crypto_assets.storage.lakehouse import Repair, finish_unfinished, replace_windows
from crypto_assets.windows import WINDOW


class LakehouseIOManager(ConfigurableIOManager):
    """Writes each 10-minute window to `{lake_root}/{dataset}/timestamp=…/` and its warehouse table.

    The dataset is the asset key's last part: `history/reddit_posts` writes the windows of its
    days into the same `reddit_posts` as the live asset (their partitions never overlap).
    """

    lake: LakeResource
    warehouse: WarehouseResource
    _repairs: list[Repair] = PrivateAttr(default_factory=list)

    def setup_for_execution(self, context: InitResourceContext) -> None:
        """Finish every replacement a dead writer left unfinished, before this run writes."""
        self._repairs = finish_unfinished(self.lake.lake(), self.warehouse.open())
        for repair in self._repairs:
            context.log.warning(f"lakehouse: {repair.describe()}")

    def handle_output(self, context: OutputContext, obj: pd.DataFrame) -> None:
        """Write every window of the run (empty ones too), lake first, warehouse from its files."""
        asset = context.asset_key.path[-1]
        lake = self.lake.lake()
        starts = _window_starts(context)
        written = replace_windows(
            lake,
            self.warehouse.open(),
            asset,
            to_arrow(asset, obj),
            starts,
            WINDOW,
            merge=ASSET_MERGES.get(asset),
        )
        first = lake.uri([asset], starts[0])
        repairs = [r for r in self._repairs if r.journal.table_name == asset] + written.repairs
        for repair in written.repairs:
            context.log.warning(f"lakehouse: {repair.describe()}")
        context.add_output_metadata(
            {
                "lake_location": first if len(starts) == 1 else first.rsplit("/", 2)[0],
                "lake_files_written": len(written.files.keys),
                "warehouse_table": self.warehouse.describe(WAREHOUSE_SCHEMAS[asset], asset),
                "warehouse_rows_loaded": written.rows,
                "warehouse_lock_wait_s": round(written.lock_wait_s, 3),
                "unfinished_replaces_repaired": len(repairs),
                **({"repairs": "\n".join(r.describe() for r in repairs)} if repairs else {}),
            }
        )

    def load_input(self, context: InputContext) -> pd.DataFrame:
        """Read the upstream windows this step needs (one or a whole range) from the lake."""
        asset = context.asset_key.path[-1]
        lake = self.lake.lake()
        table = lake.read_windows([asset], _window_starts(context), ASSET_SCHEMAS[asset])
        return table.to_pandas()


def _window_starts(context: InputContext | OutputContext) -> list[datetime]:
    """Every 10-minute window of the partitions: one per live key, 144 per history day."""
    if not context.has_asset_partitions:
        raise ValueError(f"{context.asset_key.to_user_string()}: every asset must be partitioned")
    partitions_def = context.asset_partitions_def
    starts = set()
    for key in context.asset_partition_keys:
        span = partitions_def.time_window_for_partition_key(key)  # type: ignore[attr-defined]
        start, end = span.start.replace(tzinfo=None), span.end.replace(tzinfo=None)
        starts.update(start + i * WINDOW for i in range((end - start) // WINDOW))
    return sorted(starts)
