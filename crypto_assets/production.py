"""Production wiring: the PostgreSQL instance file, the Celery executor and its worker config.

`python -m crypto_assets.production instance` prints the instance YAML a deployment puts at
`$DAGSTER_HOME/dagster.yaml` (deploy/dagster.prod.yaml, plus S3 compute logs when
DAGSTER_COMPUTE_LOGS_BUCKET is set); `python -m crypto_assets.production celery-config` prints
the `-y` file of `dagster-celery worker start`; `python -m crypto_assets.production init-pools`
sets the pools of the code location to the instance's default limit (`make dev` runs it before
the daemon starts). Settings come from `Settings.from_env` only.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml
from dagster import ExecutorDefinition

from crypto_assets.environment import (
    DEFAULT_CELERY_BROKER_URL,
    POSTGRES_VARS,
    PROJECT_ROOT,
    ConfigurationError,
    Settings,
)
from crypto_assets.run_queue import MAX_WINDOWS_PER_RUN

PROD_INSTANCE_YAML = PROJECT_ROOT / "deploy" / "dagster.prod.yaml"
# What the deploy/ files agree on (checked by crypto_assets_tests/production).
IMAGE = "crypto-assets"
CODE_SERVER_PORT = 4000
WEBSERVER_PORT = 3000
LOCATION_NAME = "crypto_assets"
CODE_MODULE = "crypto_assets.definitions"
CELERY_APP = "dagster_celery.app"

_MAX_RUNS = re.compile(r"^(    max_concurrent_runs: )\d+$", re.M)
# The limit of history day-runs (crypto/history_day): half the run slots, at least one.
_HISTORY_RUNS = re.compile(r"^(      - key: crypto/history_day\n        limit: )\d+$", re.M)
S3_COMPUTE_LOGS = """
compute_logs:
  module: dagster_aws.s3.compute_log_manager
  class: S3ComputeLogManager
  config:
    bucket:
      env: DAGSTER_COMPUTE_LOGS_BUCKET
    prefix: {prefix}
    # Logs are uploaded while a step runs, not only at its end.
    upload_interval: 30
"""


def missing_postgres_vars(settings: Settings) -> list[str]:
    """The DAGSTER_PG_* variables the instance file reads that are not set."""
    return [v for v in POSTGRES_VARS if v not in settings.postgres_vars_set]


def instance_yaml(settings: Settings) -> str:
    """The production instance file for this environment."""
    missing = missing_postgres_vars(settings)
    if missing:
        raise ConfigurationError(
            f"the production instance reads {', '.join(missing)}: not set "
            "(DAGSTER_PG_PASSWORD may be empty with trust authentication)"
        )
    per_run = settings.backfill_windows_per_run
    if per_run is not None and per_run > MAX_WINDOWS_PER_RUN:
        raise ConfigurationError(
            f"CRYPTO_BACKFILL_WINDOWS_PER_RUN={per_run}: the production queue refuses runs "
            f"writing more than two UTC days (crypto_assets.run_queue); use at most "
            f"{MAX_WINDOWS_PER_RUN} (a day)"
        )
    text = PROD_INSTANCE_YAML.read_text()
    if settings.max_concurrent_runs is not None:
        text, count = _MAX_RUNS.subn(rf"\g<1>{settings.max_concurrent_runs}", text)
        assert count == 1, f"{PROD_INSTANCE_YAML}: expected one max_concurrent_runs line"
        history = max(1, settings.max_concurrent_runs // 2)
        text, count = _HISTORY_RUNS.subn(rf"\g<1>{history}", text)
        assert count == 1, f"{PROD_INSTANCE_YAML}: expected one crypto/history_day limit"
    if settings.compute_logs_bucket:
        prefix = yaml.safe_dump(settings.compute_logs_prefix).removesuffix("\n...\n").strip()
        text = text.rstrip("\n") + "\n" + S3_COMPUTE_LOGS.format(prefix=prefix)
    return text


def write_instance(settings: Settings, dagster_home: Path) -> Path:
    """Write the instance file into `dagster_home` and return its path."""
    dagster_home.mkdir(parents=True, exist_ok=True)
    path = dagster_home / "dagster.yaml"
    path.write_text(instance_yaml(settings))
    return path


def _url_source(value: str, variable: str) -> str | dict[str, str]:
    # A non-default URL may carry a password: reference the variable, never copy it.
    return value if value == DEFAULT_CELERY_BROKER_URL else {"env": variable}


def celery_config(settings: Settings) -> dict:
    """The `celery_executor` config; the worker's `-y` file holds the same block."""
    backend_var = "CELERY_RESULT_BACKEND"
    if settings.celery_backend_url == settings.celery_broker_url:
        backend_var = "CELERY_BROKER_URL"
    return {
        "broker": _url_source(settings.celery_broker_url, "CELERY_BROKER_URL"),
        "backend": _url_source(settings.celery_backend_url, backend_var),
        "config_source": {
            "task_default_queue": settings.celery_queue,
            # A step runs minutes at most; a worker takes one task at a time.
            "worker_prefetch_multiplier": 1,
            "task_acks_late": True,
        },
    }


def celery_executor_for(settings: Settings) -> ExecutorDefinition:
    """Dagster's Celery executor over CELERY_BROKER_URL (Redis by default)."""
    from dagster_celery import celery_executor

    return celery_executor.configured(celery_config(settings), name="celery")


def celery_worker_yaml(settings: Settings) -> str:
    """The `dagster-celery worker start -y` file for this environment."""
    return yaml.safe_dump({"execution": {"config": celery_config(settings)}}, sort_keys=False)


def code_location_pools(settings: Settings) -> list[str]:
    """The pools (rate-limited APIs) that the code location's assets run in."""
    from crypto_assets.definitions import build_definitions

    graph = build_definitions(settings).resolve_asset_graph()
    return sorted({a.node_def.pool for a in graph.assets_defs if a.node_def.pool})


def init_pools(settings: Settings) -> str:
    """Give every pool of the code location the instance's default limit, before any run queues.

    The queue daemon reads the pools the instance knows before it creates the missing ones at
    the default limit (dagster's GlobalOpConcurrencyLimitsCounter), so on a fresh instance its
    first pass would start every queued run at once, whatever pools they share.
    """
    from dagster import DagsterInstance

    pools = code_location_pools(settings)
    with DagsterInstance.get() as instance:
        storage = instance.event_log_storage
        for pool in pools:
            storage.initialize_concurrency_limit_to_default(pool)
        limits = {pool: storage.get_concurrency_info(pool).slot_count for pool in pools}
    shown = ", ".join(f"{pool} {limit}" for pool, limit in limits.items())
    return f"crypto_assets: pool limits {shown}\n"


def main(argv: list[str]) -> int:
    commands = {
        "instance": instance_yaml,
        "celery-config": celery_worker_yaml,
        "init-pools": init_pools,
    }
    if len(argv) != 1 or argv[0] not in commands:
        print(
            f"usage: python -m crypto_assets.production {{{'|'.join(commands)}}}", file=sys.stderr
        )
        return 2
    try:
        sys.stdout.write(commands[argv[0]](Settings.from_env()))
    except ConfigurationError as exc:
        print(f"crypto_assets: configuration error: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
