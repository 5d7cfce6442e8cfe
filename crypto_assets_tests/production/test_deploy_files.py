"""deploy/ agrees with the Python configuration: images, ports, commands, variables, workspace.

Docker cannot run here, so these files are checked as data against what the code expects.
"""

from __future__ import annotations

import re
import shlex
import tomllib

import pytest
import yaml
from dagster._core.instance.config import dagster_instance_config

from crypto_assets.deployment import build_executor
from crypto_assets.environment import POSTGRES_VARS, PROJECT_ROOT, ConfigurationError, Settings
from crypto_assets.production import (
    CELERY_APP,
    CODE_MODULE,
    CODE_SERVER_PORT,
    IMAGE,
    LOCATION_NAME,
    PROD_INSTANCE_YAML,
    WEBSERVER_PORT,
    celery_worker_yaml,
    instance_yaml,
)
from crypto_assets.run_queue import BLOCK_KEYS, HISTORY_TAG, WindowBlockRunCoordinator

DEPLOY = PROJECT_ROOT / "deploy"
COMPOSE = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())
HELM = yaml.safe_load((DEPLOY / "helm-values.yaml").read_text())
PROD = yaml.safe_load(PROD_INSTANCE_YAML.read_text())
DOCKERFILE = (DEPLOY / "Dockerfile").read_text()
APP_DIR = "/opt/dagster/app"
CODE_SERVER_CMD = [
    "dagster", "code-server", "start", "-h", "0.0.0.0", "-p", str(CODE_SERVER_PORT),
    "-m", CODE_MODULE, "--location-name", LOCATION_NAME,
]  # fmt: skip
PG_ENV = {"DAGSTER_PG_HOST": "db", "DAGSTER_PG_PORT": "5432", "DAGSTER_PG_USERNAME": "u",
          "DAGSTER_PG_PASSWORD": "", "DAGSTER_PG_DB": "d"}  # fmt: skip


def _compose_env() -> dict[str, str]:
    """The services' environment with ${VAR:-default} resolved to its default."""
    env = COMPOSE["x-dagster-env"]
    return {k: re.sub(r"\$\{[A-Z_]+:-([^}]*)\}", r"\1", str(v)) for k, v in env.items()}


def test_compose_has_every_component_on_one_image():
    services = COMPOSE["services"]
    assert set(services) == {"postgres", "redis", "code-server", "webserver", "daemon",
                             "celery-worker"}  # fmt: skip
    for name in ("code-server", "webserver", "daemon", "celery-worker"):
        assert services[name]["image"] == f"{IMAGE}:latest", name
        assert services[name]["build"]["dockerfile"] == "deploy/Dockerfile", name
    assert services["code-server"]["command"] == CODE_SERVER_CMD
    assert services["webserver"]["ports"] == [f"127.0.0.1:{WEBSERVER_PORT}:{WEBSERVER_PORT}"]
    assert services["celery-worker"]["command"] == ["bash", f"{APP_DIR}/scripts/celery_worker.sh"]
    workspace = f"{APP_DIR}/deploy/workspace.yaml"
    assert services["webserver"]["command"][-2:] == ["-w", workspace]
    assert services["daemon"]["command"] == ["dagster-daemon", "run", "-w", workspace]
    for name in ("code-server", "webserver", "daemon"):
        binary = services[name]["command"][0]
        assert (PROJECT_ROOT / ".venv/bin" / binary).exists(), binary


def test_dockerfile_serves_the_code_location_the_workspace_names():
    cmd = re.search(r"^CMD (\[.*\])$", DOCKERFILE, re.M)
    assert cmd and yaml.safe_load(cmd.group(1)) == CODE_SERVER_CMD
    assert f"EXPOSE {CODE_SERVER_PORT}" in DOCKERFILE
    assert f"WORKDIR {APP_DIR}" in DOCKERFILE
    for source in re.findall(r"^COPY (.+) \S+$", DOCKERFILE, re.M):
        for path in source.split():
            assert (PROJECT_ROOT / path).exists(), path
    (entry,) = yaml.safe_load(DEPLOY.joinpath("workspace.yaml").read_text())["load_from"]
    assert entry["grpc_server"] == {"host": "code-server", "port": CODE_SERVER_PORT,
                                    "location_name": LOCATION_NAME}  # fmt: skip
    tool = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())["tool"]["dagster"]
    assert (tool["module_name"], tool["code_location_name"]) == (CODE_MODULE, LOCATION_NAME)


def test_compose_variables_are_the_settings_contract():
    env = _compose_env()
    assert set(POSTGRES_VARS) <= set(env)
    settings = Settings.from_env(env | {"CRYPTO_ASSETS_HOME": "/opt/dagster/state"})
    assert settings.executor == "celery"
    assert settings.celery_broker_url == "redis://redis:6379/0"
    assert settings.backfill_windows_per_run == 144
    assert settings.max_concurrent_runs == 4
    assert env["DAGSTER_PG_HOST"] == "postgres"
    pg = COMPOSE["services"]["postgres"]["environment"]
    assert (pg["POSTGRES_USER"], pg["POSTGRES_DB"]) == (
        env["DAGSTER_PG_USERNAME"],
        env["DAGSTER_PG_DB"],
    )


def test_instance_file_reads_the_documented_variables_and_is_valid(tmp_path, monkeypatch):
    db = PROD["storage"]["postgres"]["postgres_db"]
    assert db["scheme"] == "postgresql+psycopg2"
    assert {v["env"] for k, v in db.items() if isinstance(v, dict)} == set(POSTGRES_VARS)
    for bucket in (None, "my-compute-logs"):
        env = PG_ENV | ({"DAGSTER_COMPUTE_LOGS_BUCKET": bucket} if bucket else {})
        text = instance_yaml(Settings.from_env(env | {"DAGSTER_MAX_CONCURRENT_RUNS": "7"}))
        config = yaml.safe_load(text)
        (tmp_path / "dagster.yaml").write_text(text)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        dagster_instance_config(str(tmp_path))  # raises on an invalid instance file
        assert config["concurrency"]["runs"]["max_concurrent_runs"] == 7
        logs = config.get("compute_logs")
        if bucket:
            assert logs["class"] == "S3ComputeLogManager"
            assert logs["module"] == "dagster_aws.s3.compute_log_manager"
            assert logs["config"]["bucket"] == {"env": "DAGSTER_COMPUTE_LOGS_BUCKET"}
        else:
            assert logs is None  # Dagster's local manager under $DAGSTER_HOME/storage


def test_instance_file_names_missing_postgres_variables():
    with pytest.raises(ConfigurationError, match=r"DAGSTER_PG_HOST.*DAGSTER_PG_DB"):
        instance_yaml(Settings.from_env({}))


def test_helm_values_mirror_the_instance_file():
    (deployment,) = HELM["dagster-user-deployments"]["deployments"]
    assert deployment["image"]["repository"] == IMAGE
    assert deployment["port"] == CODE_SERVER_PORT
    assert deployment["dagsterApiGrpcArgs"] == ["-m", CODE_MODULE]
    env = {e["name"]: e["value"] for e in deployment["env"]}
    assert env["CRYPTO_EXECUTOR"] == "celery" and env["CRYPTO_BACKFILL_WINDOWS_PER_RUN"] == "144"
    assert (
        HELM["postgresql"]["postgresqlScheme"]
        == PROD["storage"]["postgres"]["postgres_db"]["scheme"]
    )
    runs, pools = PROD["concurrency"]["runs"], PROD["concurrency"]["pools"]
    helm = HELM["concurrency"]
    assert helm["runs"]["maxConcurrentRuns"] == runs["max_concurrent_runs"]
    assert helm["runs"]["tagConcurrencyLimits"] == runs["tag_concurrency_limits"]
    assert helm["pools"] == {
        "defaultLimit": pools["default_limit"],
        "granularity": pools["granularity"],
        "opGranularityRunBuffer": pools["op_granularity_run_buffer"],
    }
    retries = HELM["dagsterDaemon"]["runRetries"]
    assert retries == {
        "enabled": PROD["run_retries"]["enabled"],
        "maxRetries": PROD["run_retries"]["max_retries"],
        "retryOnAssetOrOpFailure": PROD["run_retries"]["retry_on_asset_or_op_failure"],
    }
    # A dead run's pool slots come free within a minute in both (issue: leaked slots).
    monitoring, helm_monitoring = PROD["run_monitoring"], HELM["dagsterDaemon"]["runMonitoring"]
    assert helm_monitoring == {
        "enabled": monitoring["enabled"],
        "startTimeoutSeconds": monitoring["start_timeout_seconds"],
        "maxResumeRunAttempts": monitoring["max_resume_run_attempts"],
        "pollIntervalSeconds": monitoring["poll_interval_seconds"],
        "freeSlotsAfterRunEndSeconds": monitoring["free_slots_after_run_end_seconds"],
    }
    assert monitoring["poll_interval_seconds"] + monitoring["free_slots_after_run_end_seconds"] < 60
    coordinator = HELM["dagsterDaemon"]["runCoordinator"]
    assert coordinator["type"] == "CustomRunCoordinator"
    custom = coordinator["config"]["customRunCoordinator"]
    assert {"module": custom["module"], "class": custom["class"]} == PROD["run_coordinator"]
    # The coordinator runs where runs are submitted: the webserver and the daemon.
    for component in ("dagsterWebserver", "dagsterDaemon"):
        assert HELM[component]["image"]["repository"] == IMAGE, component
    assert HELM["computeLogManager"]["type"] == "S3ComputeLogManager"


def test_one_writer_per_window_tags():
    limits = PROD["concurrency"]["runs"]["tag_concurrency_limits"]
    blocks = [x for x in limits if x["key"] != HISTORY_TAG]
    assert {x["key"] for x in blocks} == set(BLOCK_KEYS)  # crypto_assets.run_queue's day tags
    assert all(x["limit"] == 1 and x["value"] == {"applyLimitPerUniqueValue": True} for x in blocks)
    # History day-runs leave the live schedule at least half of the run slots.
    [history] = [x for x in limits if x["key"] == HISTORY_TAG]
    assert history["limit"] <= PROD["concurrency"]["runs"]["max_concurrent_runs"] // 2
    assert PROD["run_coordinator"]["class"] == WindowBlockRunCoordinator.__name__
    assert PROD["concurrency"]["pools"]["default_limit"] == 1


def test_celery_worker_script_and_config():
    script = (PROJECT_ROOT / "scripts/celery_worker.sh").read_text()
    assert f'"$VENV_BIN/dagster-celery" worker start -A {CELERY_APP} -y "$config"' in script
    assert 'export PATH="$VENV_BIN:$PATH"' in script
    config = yaml.safe_load(celery_worker_yaml(Settings.from_env({})))["execution"]["config"]
    assert config["broker"] == "redis://127.0.0.1:6379/0"
    secret = Settings.from_env({"CELERY_BROKER_URL": "redis://:pw@cache:6379/1"})
    config = yaml.safe_load(celery_worker_yaml(secret))["execution"]["config"]
    assert config["broker"] == {"env": "CELERY_BROKER_URL"}, "a password is never copied"
    assert build_executor(Settings.from_env({"CRYPTO_EXECUTOR": "celery"})).name == "celery"
    assert build_executor(Settings.from_env({})).name == "in_process"


def test_ecs_notes_use_the_compose_commands():
    notes = (DEPLOY / "ECS.md").read_text()
    assert "EcsRunLauncher" in notes and "dagster_aws.ecs" in notes
    for name in ("code-server", "webserver", "daemon", "celery-worker"):
        command = shlex.join(COMPOSE["services"][name]["command"])
        assert command in notes, name


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("CRYPTO_EXECUTOR", "k8s", "CRYPTO_EXECUTOR: expected one of in_process, celery"),
        ("CELERY_BROKER_URL", "http://x", "CELERY_BROKER_URL: expected a redis://"),
        ("CRYPTO_BACKFILL_WINDOWS_PER_RUN", "0", "CRYPTO_BACKFILL_WINDOWS_PER_RUN: expected"),
        ("DAGSTER_PG_PORT", "pg", "DAGSTER_PG_PORT: expected a port number"),
        ("DAGSTER_MAX_CONCURRENT_RUNS", "-1", "DAGSTER_MAX_CONCURRENT_RUNS: expected"),
        ("DAGSTER_COMPUTE_LOGS_BUCKET", "s3://b", "DAGSTER_COMPUTE_LOGS_BUCKET: expected"),
    ],
)
def test_new_variables_are_validated(variable, value, message):
    with pytest.raises(ConfigurationError, match=re.escape(message)):
        Settings.from_env({variable: value})
