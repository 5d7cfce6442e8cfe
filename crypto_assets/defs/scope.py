"""The settings a build of the definitions uses, handed from `build_definitions` to each domain."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from dagster import DailyPartitionsDefinition, TimeWindowPartitionsDefinition

from crypto_assets.environment import Settings
from crypto_assets.partitions import build_history_partitions_def, build_partitions_def


@dataclass(frozen=True)
class BuildScope:
    """What every domain's definitions are built from: the settings, the live and history
    partitions."""

    settings: Settings
    partitions: TimeWindowPartitionsDefinition
    history: DailyPartitionsDefinition

    @classmethod
    def of(cls, settings: Settings) -> BuildScope:
        """The scope for `settings` (this writes the remembered partitions start, if new)."""
        return cls.over(settings, build_partitions_def(settings))

    @classmethod
    def over(cls, settings: Settings, live: TimeWindowPartitionsDefinition) -> BuildScope:
        """The scope for `settings` over the given live partitions (history ends before them)."""
        return cls(settings, live, build_history_partitions_def(settings, live))


_SCOPE: ContextVar[BuildScope | None] = ContextVar("crypto_assets_build_scope", default=None)


@contextmanager
def building(settings: Settings) -> Iterator[BuildScope]:
    """Make `settings` the scope of the domain builds run inside this block."""
    token = _SCOPE.set(BuildScope.of(settings))
    try:
        yield _SCOPE.get()  # type: ignore[misc]
    finally:
        _SCOPE.reset(token)


def current_scope() -> BuildScope:
    """The scope of the build in progress; outside one (a tool loading the defs folder by
    itself), the environment's."""
    return _SCOPE.get() or BuildScope.of(Settings.from_env())
