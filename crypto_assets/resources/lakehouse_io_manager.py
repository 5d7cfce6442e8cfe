"""Persists every asset partition to the Parquet lake and the warehouse; loads inputs from the lake."""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from dagster import ConfigurableIOManager, InputContext, OutputContext, TimeWindow

from crypto_assets.resources.warehouse import WarehouseResource
from crypto_assets.schemas import ASSET_SCHEMAS, to_arrow
from crypto_assets.storage.lake import ParquetLake
from crypto_assets.storage.layout import PARTITION_COLUMN, WAREHOUSE_SCHEMAS


class LakehouseIOManager(ConfigurableIOManager):
    """Writes each 10-minute window to `{lake_root}/{asset}/timestamp=…/` and its warehouse table."""

    lake_root: str
    aws_endpoint_url: str | None = None
    warehouse: WarehouseResource

    def _lake(self) -> ParquetLake:
        return ParquetLake(self.lake_root, self.aws_endpoint_url)

    def handle_output(self, context: OutputContext, obj: pd.DataFrame) -> None:
        """Write every window of the run (empty ones too, so reruns never leave stale rows)."""
        asset = context.asset_key.path[-1]
        table = to_arrow(asset, obj)
        windows = _windows(context)
        _check_rows_inside(asset, table, windows)
        lake = self._lake()
        locations = []
        for window in windows:
            start = _naive(window.start)
            mask = pc.equal(table[PARTITION_COLUMN], pa.scalar(start, type=pa.timestamp("us")))
            locations.append(lake.write_window(context.asset_key.path, start, table.filter(mask)))
        schema_name = WAREHOUSE_SCHEMAS[asset]
        self.warehouse.replace_windows(schema_name, asset, table, windows[0].start, windows[-1].end)
        context.add_output_metadata(
            {
                "lake_location": locations[0]
                if len(locations) == 1
                else locations[0].rsplit("/", 2)[0],
                "lake_files_written": len(locations),
                "warehouse_table": self.warehouse.describe(schema_name, asset),
            }
        )

    def load_input(self, context: InputContext) -> pd.DataFrame:
        """Read the upstream windows this step needs (one or a whole range) from the lake."""
        asset = context.asset_key.path[-1]
        starts = [_naive(w.start) for w in _windows(context)]
        table = self._lake().read_windows(context.asset_key.path, starts, ASSET_SCHEMAS[asset])
        return table.to_pandas()


def _windows(context: InputContext | OutputContext) -> list[TimeWindow]:
    if not context.has_asset_partitions:
        raise ValueError(f"{context.asset_key.to_user_string()}: every asset must be partitioned")
    partitions_def = context.asset_partitions_def
    keys = sorted(context.asset_partition_keys)
    return [partitions_def.time_window_for_partition_key(key) for key in keys]  # type: ignore[attr-defined]


def _check_rows_inside(asset: str, table: pa.Table, windows: list[TimeWindow]) -> None:
    allowed = {_naive(w.start) for w in windows}
    found = {v.as_py() for v in pc.unique(table[PARTITION_COLUMN])}
    stray = sorted(found - allowed)
    if stray:
        raise ValueError(f"{asset}: rows for windows outside this run: {stray[:3]}")


def _naive(moment: datetime) -> datetime:
    return moment.replace(tzinfo=None) if moment.tzinfo else moment
