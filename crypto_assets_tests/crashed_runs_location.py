"""Test-only code location: the project's assets and jobs plus the dead-worker sensor.

The schedule is left out so that no scheduled run takes the pools in the middle of a test.
The project's definitions are built here from the environment, as its own module does.
"""

from __future__ import annotations

from dagster import Definitions, definitions

from crypto_assets.definitions import build_definitions
from crypto_assets.defs.operations.dead_workers import fail_runs_with_dead_workers
from crypto_assets.environment import Settings


@definitions
def defs() -> Definitions:
    """The project's definitions with the dead-worker sensor and no schedule."""
    project = build_definitions(Settings.from_env())
    return Definitions(
        assets=project.assets,
        asset_checks=project.asset_checks,
        jobs=project.jobs,
        resources=project.resources,
        executor=project.executor,
        sensors=[fail_runs_with_dead_workers],
    )
