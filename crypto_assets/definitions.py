"""The Dagster code location: the `defs/` folder built from the settings of the environment.

`dagster ... -m crypto_assets.definitions`, `dg` and `workspace.yaml` load `defs`; tests and
tools call `build_definitions(settings)` with explicit settings. Importing this module reads
nothing and writes nothing.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import dagster as dg

from crypto_assets.defs.history.parts import KEY_PREFIX as HISTORY_KEY_PREFIX
from crypto_assets.defs.scope import building
from crypto_assets.environment import Settings

DEFS_FOLDER = Path(__file__).parent / "defs"

# The CLI selection of the live graph: its three groups (`coin_listings*` would take the daily
# market_report downstream of mention_counts too, which a window range cannot run).
LIVE_SELECTION = "group:ingestion,group:enrichment,group:publication"


def build_definitions(settings: Settings) -> dg.Definitions:
    """Every definition of the code location (assets, checks, job, schedule, sensors,
    resources, executor) for `settings`."""
    # The defs folder as `dg.load_from_defs_folder` reads it (a module's `@dg.definitions`
    # function is its part; tested equal). That call also imports every installed dg plugin to
    # describe component types this project does not use: dagster_snowflake's alone costs ~4 s
    # of CPU in every process that loads the code location, each run worker included.
    with building(settings):
        return dg.Definitions.merge(*(module.defs() for module in defs_modules()))


def defs_modules() -> Iterator[ModuleType]:
    """The modules of the defs folder that build a part of the definitions, in path order."""
    for path in sorted(DEFS_FOLDER.rglob("*.py")):
        parts = path.relative_to(DEFS_FOLDER.parent.parent).with_suffix("").parts
        module = importlib.import_module(".".join(p for p in parts if p != "__init__"))
        if callable(getattr(module, "defs", None)):
            yield module


@dg.definitions
def defs() -> dg.Definitions:
    """The code location of this process's environment."""
    return build_definitions(Settings.from_env())


def live_assets(definitions: dg.Definitions) -> list[dg.AssetsDefinition]:
    """The five assets on the 10-minute windows (a range of windows is one run of them)."""
    return [a for a in _assets(definitions) if a.key.path[0] not in NOT_LIVE]


def history_assets(definitions: dg.Definitions) -> list[dg.AssetsDefinition]:
    """The five `history/…` assets on the daily partitions."""
    return [a for a in _assets(definitions) if a.key.path[0] == HISTORY_KEY_PREFIX]


# Key prefixes (first path element) of the assets on daily partitions.
NOT_LIVE = (HISTORY_KEY_PREFIX, "market_report")


def _assets(definitions: dg.Definitions) -> list[dg.AssetsDefinition]:
    return [a for a in definitions.assets or [] if isinstance(a, dg.AssetsDefinition)]
