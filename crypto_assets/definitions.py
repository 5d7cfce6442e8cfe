"""The Dagster code location: the `defs/` folder built from the settings of the environment.

`dagster ... -m crypto_assets.definitions`, `dg` and `workspace.yaml` load `defs`; tests and
tools call `build_definitions(settings)` with explicit settings. Importing this module reads
nothing and writes nothing.
"""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from crypto_assets.defs.scope import building
from crypto_assets.environment import Settings


def build_definitions(settings: Settings) -> dg.Definitions:
    """Every definition of the code location (assets, checks, job, schedule, sensors,
    resources, executor) for `settings`."""
    with building(settings):
        return dg.load_from_defs_folder(path_within_project=Path(__file__).parent)


@dg.definitions
def defs() -> dg.Definitions:
    """The code location of this process's environment."""
    return build_definitions(Settings.from_env())
