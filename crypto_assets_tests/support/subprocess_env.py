"""The environment a test hands to a subprocess (a CLI run, `make dev`, `dg`)."""

from __future__ import annotations

import os

PROJECT_PREFIXES = ("CRYPTO_", "DAGSTER_")


def clean_env(prefixes: tuple[str, ...] = PROJECT_PREFIXES, **extra: str) -> dict[str, str]:
    """This process's environment without variables starting with `prefixes`, plus `extra`."""
    return {k: v for k, v in os.environ.items() if not k.startswith(prefixes)} | extra
