"""The one place that reads the environment: settings from the configuration contract."""

from __future__ import annotations

import functools
import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from crypto_assets.environment_checks import (
    REDDIT_CREDENTIAL_VARS,
    ConfigurationError,
    check_aws_region,
    check_broker_url,
    check_bucket_name,
    check_http_url,
    check_lake_root,
    check_partitions_start,
    check_postgres_port,
    check_reddit_credentials,
    check_snowflake,
    check_sns_topic_arn,
    positive_int,
    require_choice,
)

__all__ = ["REDDIT_CREDENTIAL_VARS", "ConfigurationError", "Settings", "current_settings"]

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SOURCES = ("live", "replay")
WAREHOUSES = ("duckdb", "snowflake")
# The Snowflake part of the contract; HOST / PORT / PROTOCOL only point tests at an emulator.
SNOWFLAKE_VARS = (
    "SNOWFLAKE_ACCOUNT",
    "SNOWFLAKE_USER",
    "SNOWFLAKE_DATABASE",
    "SNOWFLAKE_ROLE",
    "SNOWFLAKE_WAREHOUSE",
    "SNOWFLAKE_PRIVATE_KEY",
    "SNOWFLAKE_PASSWORD",
    "SNOWFLAKE_LAKE_STAGE",
    "SNOWFLAKE_HOST",
    "SNOWFLAKE_PORT",
    "SNOWFLAKE_PROTOCOL",
)
AWS_REGION_VARS = ("AWS_REGION", "AWS_DEFAULT_REGION")
DEFAULT_SETTLE_MINUTES = 2
DEFAULT_RECHECK_WINDOWS = 6
DEFAULT_UI_URL = "http://127.0.0.1:3000"
# The APIs' public hosts; the variables point at mirrors, regional endpoints or test servers.
SOURCE_URLS = {
    "CRYPTO_COINLORE_URL": "https://api.coinlore.net",
    "CRYPTO_REDDIT_URL": "https://www.reddit.com",
    "CRYPTO_REDDIT_OAUTH_URL": "https://oauth.reddit.com",
}
EXECUTORS = ("in_process", "celery")
DEFAULT_CELERY_BROKER_URL = "redis://127.0.0.1:6379/0"
# The production instance (deploy/dagster.prod.yaml) reads these through `env:`.
POSTGRES_VARS = (
    "DAGSTER_PG_HOST",
    "DAGSTER_PG_PORT",
    "DAGSTER_PG_USERNAME",
    "DAGSTER_PG_PASSWORD",
    "DAGSTER_PG_DB",
)


@dataclass(frozen=True)
class Settings:
    """The configuration contract (environment variables), resolved with its local defaults."""

    home: Path
    source: str
    lake_root: str
    warehouse: str
    duckdb_path: Path
    alerts_sns_topic_arn: str | None
    subreddits: tuple[str, ...]
    top_n_coins: int
    partitions_start: str | None  # None: the default (see crypto_assets.partitions)
    reddit_credentials_set: bool
    aws_endpoint_url: str | None
    aws_region: str | None
    snowflake_vars_set: tuple[str, ...]
    settle_minutes: int = DEFAULT_SETTLE_MINUTES
    recheck_windows: int = DEFAULT_RECHECK_WINDOWS
    alert_rules_path: Path | None = None  # None: the rules file shipped in the package
    ui_url: str = DEFAULT_UI_URL
    executor: str = "in_process"
    celery_broker_url: str = DEFAULT_CELERY_BROKER_URL
    celery_backend_url: str = DEFAULT_CELERY_BROKER_URL
    celery_queue: str = "dagster"
    # None: one run per backfill, whatever its size (BackfillPolicy.single_run).
    backfill_windows_per_run: int | None = None
    postgres_vars_set: tuple[str, ...] = ()
    max_concurrent_runs: int | None = None  # None: the production instance file's default
    compute_logs_bucket: str | None = None
    compute_logs_prefix: str = "dagster-compute-logs"
    coinlore_url: str = SOURCE_URLS["CRYPTO_COINLORE_URL"]
    reddit_url: str = SOURCE_URLS["CRYPTO_REDDIT_URL"]
    reddit_oauth_url: str = SOURCE_URLS["CRYPTO_REDDIT_OAUTH_URL"]

    @property
    def alerts_outbox(self) -> Path:
        """The local alert outbox used when no SNS topic is configured."""
        return self.home / "alerts.jsonl"

    @property
    def dagster_home(self) -> Path:
        """DAGSTER_HOME for the local instance."""
        return self.home / "dagster"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """Read and validate the CRYPTO_* variables; a bad value names its variable."""
        env = os.environ if environ is None else environ

        def get(name: str, default: str) -> str:
            value = env.get(name, "").strip()
            return value or default

        home = Path(get("CRYPTO_ASSETS_HOME", str(PROJECT_ROOT / ".crypto_assets"))).expanduser()
        source = get("CRYPTO_SOURCE", "live").lower()
        require_choice("CRYPTO_SOURCE", source, SOURCES)
        warehouse = get("CRYPTO_WAREHOUSE", "duckdb").lower()
        require_choice("CRYPTO_WAREHOUSE", warehouse, WAREHOUSES)
        subreddits = tuple(s.strip() for s in get("CRYPTO_SUBREDDITS", "CryptoCurrency").split(","))
        if not all(subreddits):
            raise ConfigurationError("CRYPTO_SUBREDDITS: empty subreddit name in the list")
        top_n = positive_int("CRYPTO_TOP_N_COINS", get("CRYPTO_TOP_N_COINS", "1000"))
        start = get("CRYPTO_PARTITIONS_START", "") or None
        if start is not None:
            check_partitions_start("CRYPTO_PARTITIONS_START", start)
        settle = positive_int("CRYPTO_SETTLE_MINUTES", get("CRYPTO_SETTLE_MINUTES", "2"), low=0)
        if settle > 9:
            raise ConfigurationError(f"CRYPTO_SETTLE_MINUTES: expected 0 to 9, got {settle}")
        recheck = positive_int("CRYPTO_RECHECK_WINDOWS", get("CRYPTO_RECHECK_WINDOWS", "6"))
        lake_root = get("CRYPTO_LAKE_ROOT", str(home / "lake"))
        region = next((env[v].strip() for v in AWS_REGION_VARS if env.get(v, "").strip()), None)
        endpoint = env.get("AWS_ENDPOINT_URL") or None
        check_aws_region(region, endpoint)
        check_lake_root(lake_root, region)
        reddit_set = check_reddit_credentials(env)
        rules = get("CRYPTO_ALERT_RULES", "")
        if rules:
            _check_rules_file(rules)
        arn = get("CRYPTO_ALERTS_SNS_TOPIC_ARN", "") or None
        if arn is not None:
            check_sns_topic_arn(arn)
        urls = {name: get(name, default).rstrip("/") for name, default in SOURCE_URLS.items()}
        for name, url in urls.items():
            check_http_url(name, url)
        ui_url = get("CRYPTO_UI_URL", DEFAULT_UI_URL).rstrip("/")
        if not ui_url.startswith(("http://", "https://")):
            raise ConfigurationError(f"CRYPTO_UI_URL: expected an http(s) URL, got {ui_url!r}")
        snowflake_vars_set = tuple(v for v in SNOWFLAKE_VARS if env.get(v, "").strip())
        executor = get("CRYPTO_EXECUTOR", "in_process").lower().replace("-", "_")
        require_choice("CRYPTO_EXECUTOR", executor, EXECUTORS)
        broker = get("CELERY_BROKER_URL", DEFAULT_CELERY_BROKER_URL)
        check_broker_url("CELERY_BROKER_URL", broker)
        backend = get("CELERY_RESULT_BACKEND", broker)
        check_broker_url("CELERY_RESULT_BACKEND", backend)
        per_run_text = get("CRYPTO_BACKFILL_WINDOWS_PER_RUN", "")
        per_run = (
            positive_int("CRYPTO_BACKFILL_WINDOWS_PER_RUN", per_run_text) if per_run_text else None
        )
        check_postgres_port(env)
        runs_text = get("DAGSTER_MAX_CONCURRENT_RUNS", "")
        bucket = get("DAGSTER_COMPUTE_LOGS_BUCKET", "") or None
        if bucket is not None:
            check_bucket_name("DAGSTER_COMPUTE_LOGS_BUCKET", bucket)
        if warehouse == "snowflake":
            check_snowflake(env, snowflake_vars_set)
        return cls(
            home=home,
            source=source,
            lake_root=lake_root,
            warehouse=warehouse,
            duckdb_path=home / "warehouse.duckdb",
            alerts_sns_topic_arn=arn,
            subreddits=subreddits,
            top_n_coins=top_n,
            partitions_start=start,
            reddit_credentials_set=reddit_set,
            aws_endpoint_url=endpoint,
            aws_region=region,
            snowflake_vars_set=snowflake_vars_set,
            settle_minutes=settle,
            recheck_windows=recheck,
            alert_rules_path=Path(rules).expanduser() if rules else None,
            ui_url=ui_url,
            executor=executor,
            celery_broker_url=broker,
            celery_backend_url=backend,
            celery_queue=get("CELERY_QUEUE", "dagster"),
            backfill_windows_per_run=per_run,
            postgres_vars_set=tuple(v for v in POSTGRES_VARS if v in env),
            max_concurrent_runs=(
                positive_int("DAGSTER_MAX_CONCURRENT_RUNS", runs_text) if runs_text else None
            ),
            compute_logs_bucket=bucket,
            compute_logs_prefix=get("DAGSTER_COMPUTE_LOGS_PREFIX", "dagster-compute-logs"),
            coinlore_url=urls["CRYPTO_COINLORE_URL"],
            reddit_url=urls["CRYPTO_REDDIT_URL"],
            reddit_oauth_url=urls["CRYPTO_REDDIT_OAUTH_URL"],
        )


def _check_rules_file(path: str) -> None:
    """The alert rules file parses and validates (errors name its line)."""
    from crypto_assets.alerts.market_rules import RulesFileError, load_rules

    try:
        load_rules(Path(path).expanduser())
    except RulesFileError as exc:
        raise ConfigurationError(f"CRYPTO_ALERT_RULES: {exc}") from None


@functools.cache
def current_settings() -> Settings:
    """The settings of this process's environment, read once."""
    return Settings.from_env()


def check_dev_server(env: Mapping[str, str]) -> tuple[str, int]:
    """DAGSTER_HOST / DAGSTER_PORT for `make dev`: a valid port that is free on that host."""
    import socket

    host = env.get("DAGSTER_HOST", "") or "127.0.0.1"
    text = env.get("DAGSTER_PORT", "") or "3000"
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise ConfigurationError(f"DAGSTER_PORT: expected a port number 1-65535, got {text!r}")
    port = int(text)
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((host, port))
        except OSError as exc:
            raise ConfigurationError(
                f"DAGSTER_PORT: {host}:{port} is not free ({exc.strerror}); stop what serves it "
                f"or choose another port, e.g. DAGSTER_PORT={port + 1}"
            ) from None
    return host, port


def main(argv: list[str] | None = None) -> int:
    """Validate this process's environment: print the settings, or the error naming a variable.

    With `--dev-server` (what `make dev` runs first) also check DAGSTER_HOST / DAGSTER_PORT and
    build the code location, so a broken one stops before any server starts.
    """
    import sys

    argv = sys.argv[1:] if argv is None else argv
    try:
        settings = Settings.from_env()
        if "--dev-server" in argv:
            check_dev_server(os.environ)
            from crypto_assets.definitions import build_definitions

            build_definitions(settings).resolve_all_job_defs()
    except ConfigurationError as exc:
        print(f"crypto_assets: configuration error: {exc}", file=sys.stderr)
        return 1
    print(
        f"crypto_assets: source {settings.source}, lake {settings.lake_root}, "
        f"warehouse {settings.warehouse}, state in {settings.home}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
