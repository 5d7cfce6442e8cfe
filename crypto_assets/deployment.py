"""Hands out the resource set for the environment that `Settings` describes."""

from __future__ import annotations

from dagster import EnvVar, ExecutorDefinition, in_process_executor
from dagster_aws.s3 import S3Resource

from crypto_assets.alerts.transports import build_alert_transport
from crypto_assets.environment import REDDIT_CREDENTIAL_VARS, Settings
from crypto_assets.resources.history_sources import PriceHistoryResource, RedditArchiveResource
from crypto_assets.resources.lake import LakeResource
from crypto_assets.resources.lakehouse_io_manager import LakehouseIOManager
from crypto_assets.resources.sources import CoinloreResource, RedditResource
from crypto_assets.resources.warehouse import DuckDBWarehouseResource, WarehouseResource
from crypto_assets.sources.coinlore import COINLORE_API_URL
from crypto_assets.sources.history_replay import REPLAY_SUBREDDITS


def build_warehouse(settings: Settings) -> WarehouseResource:
    """The warehouse resource that CRYPTO_WAREHOUSE selects."""
    if settings.warehouse == "duckdb":
        return DuckDBWarehouseResource(path=str(settings.duckdb_path))
    # Imported here: dagster_snowflake costs seconds that the DuckDB default should not pay.
    from crypto_assets.resources.snowflake_warehouse import snowflake_warehouse_resource

    return snowflake_warehouse_resource(settings.snowflake_vars_set)


def build_lake(settings: Settings) -> LakeResource:
    """The lake resource: a local folder, or S3 through dagster-aws's S3Resource."""
    s3 = S3Resource(region_name=settings.aws_region, endpoint_url=settings.aws_endpoint_url)
    return LakeResource(root=settings.lake_root, s3=s3)


def build_executor(settings: Settings) -> ExecutorDefinition:
    """How a run executes its steps: CRYPTO_EXECUTOR=in_process (default) or celery.

    The embedded default keeps one process for all five steps: a step process would re-import
    Dagster, pandas and NLTK (~4 s) for seconds of work, DuckDB takes one writer process at a
    time, and the SQLite instance it runs on cannot be shared with other machines' workers.
    `celery` hands each step to a `dagster-celery worker` (scripts/celery_worker.sh) through the
    CELERY_BROKER_URL broker; it needs the PostgreSQL instance of deploy/dagster.prod.yaml.
    """
    if settings.executor == "celery":
        # Imported here: the in-process default does not load Celery.
        from crypto_assets.production import celery_executor_for

        return celery_executor_for(settings)
    return in_process_executor


def build_resources(settings: Settings) -> dict[str, object]:
    """Resources and IO manager keyed as the assets expect them."""
    # Secrets stay EnvVar references: resolved at run time, never stored in the definitions.
    credentials = (
        dict(
            zip(
                ("client_id", "client_secret", "username", "password"),
                map(EnvVar, REDDIT_CREDENTIAL_VARS),
                strict=True,
            )
        )
        if settings.reddit_credentials_set
        else {}
    )
    lake = build_lake(settings)
    # Replay answers the APIs' public hosts from its recordings: the URL overrides are for live.
    live = settings.source == "live"
    coinlore_url = f"{settings.coinlore_url}/api" if live else COINLORE_API_URL
    reddit_urls = (
        {"www_url": settings.reddit_url, "oauth_url": settings.reddit_oauth_url} if live else {}
    )
    return {
        "lake": lake,
        "coinlore": CoinloreResource(
            source=settings.source, top_n=settings.top_n_coins, base_url=coinlore_url
        ),
        "reddit": RedditResource(
            source=settings.source,
            subreddits=list(settings.subreddits),
            **reddit_urls,
            **credentials,
        ),
        "reddit_archive": build_reddit_archive(settings),
        "price_history": build_price_history(settings),
        "lakehouse": LakehouseIOManager(lake=lake, warehouse=build_warehouse(settings)),
        "alerts": build_alert_transport(settings),
    }


def build_reddit_archive(settings: Settings) -> RedditArchiveResource:
    """The Reddit archive of past days: the API (or replay's recordings), or monthly dumps."""
    return RedditArchiveResource(
        source=settings.source,
        subreddits=list(history_subreddits(settings)),
        # Replay answers the archive's public host from its recordings.
        base_url=settings.reddit_archive_url if settings.source == "live" else None,
        dumps_root=settings.reddit_dumps,
        # Pacing protects the real API; replay's recordings answer at once.
        **({"min_interval_s": 0.0} if settings.source == "replay" else {}),
    )


def build_price_history(settings: Settings) -> PriceHistoryResource:
    """5-minute klines of past days: the API (or replay's recordings), or monthly zip files."""
    live = settings.source == "live"
    return PriceHistoryResource(
        source=settings.source,
        files_root=settings.kline_files,
        **({"base_url": settings.price_history_url} if live else {"min_interval_s": 0.0}),
    )


def history_subreddits(settings: Settings) -> tuple[str, ...]:
    """The subreddits of history days: CRYPTO_HISTORY_SUBREDDITS, else CRYPTO_SUBREDDITS, except
    that replay defaults to the subreddits its history recordings hold (r/CryptoCurrency's
    archive is not among them)."""
    if settings.history_subreddits:
        return settings.history_subreddits
    return REPLAY_SUBREDDITS if settings.source == "replay" else settings.subreddits
