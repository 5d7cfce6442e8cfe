"""The machine's PostgreSQL and Redis for the production tests: a fresh database per session.

Unreachable services skip these tests with the reason; with CI set they fail instead, so a CI
run cannot pass without having exercised them.
"""

from __future__ import annotations

import os
import socket
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

PG_HOST = os.environ.get("CRYPTO_TEST_PG_HOST", "127.0.0.1")
PG_PORT = int(os.environ.get("CRYPTO_TEST_PG_PORT", "5432"))
PG_USER = os.environ.get("CRYPTO_TEST_PG_USER", "postgres")
PG_PASSWORD = os.environ.get("CRYPTO_TEST_PG_PASSWORD", "")
REDIS_HOST = os.environ.get("CRYPTO_TEST_REDIS_HOST", "127.0.0.1")
REDIS_PORT = int(os.environ.get("CRYPTO_TEST_REDIS_PORT", "6379"))


def unavailable(reason: str) -> None:
    """Skip, or fail under CI: these tests must run there."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set: the production tests must not be skipped)")
    pytest.skip(reason)


def _pg_connect(dbname: str):
    import psycopg2

    return psycopg2.connect(
        host=PG_HOST,
        port=PG_PORT,
        user=PG_USER,
        password=PG_PASSWORD,
        dbname=dbname,
        connect_timeout=5,
    )


@dataclass(frozen=True)
class PostgresDatabase:
    name: str

    def env(self) -> dict[str, str]:
        """The DAGSTER_PG_* variables the production instance file reads."""
        return {
            "DAGSTER_PG_HOST": PG_HOST,
            "DAGSTER_PG_PORT": str(PG_PORT),
            "DAGSTER_PG_USERNAME": PG_USER,
            "DAGSTER_PG_PASSWORD": PG_PASSWORD,
            "DAGSTER_PG_DB": self.name,
        }


@pytest.fixture(scope="session")
def pg_database() -> Iterator[PostgresDatabase]:
    """A database of its own on the machine's PostgreSQL, dropped at the end of the session."""
    try:
        admin = _pg_connect("postgres")
    except Exception as exc:
        unavailable(f"PostgreSQL at {PG_HOST}:{PG_PORT} is unreachable: {exc}".strip())
    admin.autocommit = True
    name = f"crypto_assets_test_{uuid.uuid4().hex[:10]}"
    with admin.cursor() as cur:
        cur.execute(f'CREATE DATABASE "{name}"')
    db = PostgresDatabase(name)
    # The instance file reads DAGSTER_PG_* at load, in this process too.
    saved = {k: os.environ.get(k) for k in [*db.env(), "DAGSTER_MAX_CONCURRENT_RUNS"]}
    os.environ.update(db.env() | {"DAGSTER_MAX_CONCURRENT_RUNS": "2"})
    try:
        yield db
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
        with admin.cursor() as cur:
            cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture(scope="session")
def redis_url() -> str:
    """The machine's Redis as a Celery broker URL."""
    try:
        with socket.create_connection((REDIS_HOST, REDIS_PORT), timeout=5) as sock:
            sock.sendall(b"PING\r\n")
            answer = sock.recv(64)
    except OSError as exc:
        unavailable(f"Redis at {REDIS_HOST}:{REDIS_PORT} is unreachable: {exc}")
    if not answer.startswith(b"+PONG"):
        unavailable(f"Redis at {REDIS_HOST}:{REDIS_PORT} answered {answer!r} to PING")
    return f"redis://{REDIS_HOST}:{REDIS_PORT}/0"


@dataclass(frozen=True)
class ProdHome:
    """A CRYPTO_ASSETS_HOME whose dagster/ folder holds the production instance file."""

    home: Path
    env: dict[str, str]

    @property
    def dagster_home(self) -> Path:
        return self.home / "dagster"


def make_prod_home(home: Path, pg: PostgresDatabase, **extra: str) -> ProdHome:
    """Write the production instance for `pg` into `home`/dagster, as a deployment does."""
    from crypto_assets.environment import Settings
    from crypto_assets.production import write_instance

    base = {k: v for k, v in os.environ.items() if not k.startswith(("CRYPTO_", "REDDIT_"))}
    base.pop("AWS_ENDPOINT_URL", None)
    env = (
        base
        | pg.env()
        | {
            "CRYPTO_ASSETS_HOME": str(home),
            "DAGSTER_HOME": str(home / "dagster"),
            "CRYPTO_SOURCE": "replay",
            "DAGSTER_MAX_CONCURRENT_RUNS": "2",
        }
        | extra
    )
    write_instance(Settings.from_env(env), home / "dagster")
    return ProdHome(home=home, env=env)


def instance_for(prod: ProdHome):
    """The production instance, opened in this process (pg_database exported its variables)."""
    from dagster import DagsterInstance

    return DagsterInstance.from_config(str(prod.dagster_home))


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Every production test shares the machine's PostgreSQL and Redis: the server lane."""
    for item in items:
        if "crypto_assets_tests/production/" in str(item.path):
            item.add_marker(pytest.mark.servers)
