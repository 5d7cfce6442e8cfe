"""Links into the Dagster UI that alerts carry, so the reader lands where to look."""

from __future__ import annotations

from urllib.parse import quote, urlencode

from dagster import AssetKey


def run_url(ui_url: str, run_id: str) -> str:
    """The run's page: its event log, failed step and error."""
    return f"{ui_url}/runs/{run_id}"


def asset_url(ui_url: str, asset_key: AssetKey, view: str | None = None, **params: str) -> str:
    """An asset's page, optionally on a tab (`checks`, `partitions`, …) with query parameters."""
    path = "/".join(quote(part, safe="") for part in asset_key.path)
    query = {"view": view, **params} if view else params
    return f"{ui_url}/assets/{path}" + (f"?{urlencode(query)}" if query else "")


def asset_checks_url(ui_url: str, asset_key: AssetKey) -> str:
    """The Checks tab of an asset (freshness and data-quality checks)."""
    return asset_url(ui_url, asset_key, view="checks")
