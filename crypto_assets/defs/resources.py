"""Resources and executor of the settings being built (lake, warehouse, sources, alerts)."""

from __future__ import annotations

import dagster as dg

from crypto_assets.defs.scope import current_scope
from crypto_assets.deployment import build_executor, build_resources


@dg.definitions
def defs() -> dg.Definitions:
    """The deployment's resources and executor."""
    settings = current_scope().settings
    return dg.Definitions(resources=build_resources(settings), executor=build_executor(settings))
