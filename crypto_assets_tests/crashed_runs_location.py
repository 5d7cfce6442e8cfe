"""Test-only code location: the project's assets and jobs plus the dead-worker sensor.

The schedule is left out so that no scheduled run takes the pools in the middle of a test.
The project's module is imported, not its `defs`: one Definitions object per module scope.
"""

from __future__ import annotations

from dagster import Definitions

from crypto_assets import definitions as project
from crypto_assets.run_health import fail_runs_with_dead_workers

defs = Definitions(
    assets=project.defs.assets,
    asset_checks=project.defs.asset_checks,
    jobs=project.defs.jobs,
    resources=project.defs.resources,
    executor=project.defs.executor,
    sensors=[fail_runs_with_dead_workers],
)
