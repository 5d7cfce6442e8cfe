#!/usr/bin/env bash
# Starts a Dagster Celery worker for CRYPTO_EXECUTOR=celery runs: it takes step tasks from
# CELERY_BROKER_URL (default redis://127.0.0.1:6379/0), queue CELERY_QUEUE (default dagster),
# and executes them against the production instance in $DAGSTER_HOME (PostgreSQL).
# CELERY_CONCURRENCY (default 1) is the number of steps this worker runs at once.
# Extra arguments are passed to `celery worker` (e.g. --without-mingle).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
: "${DAGSTER_HOME:?set DAGSTER_HOME to the production instance folder}"
# The worker forks `celery` by name and imports the project: the venv's bin goes first on PATH.
VENV_BIN=${VENV_BIN:-$root/.venv/bin}
[ -x "$VENV_BIN/dagster-celery" ] || VENV_BIN=$(dirname "$(command -v dagster-celery)")
export PATH="$VENV_BIN:$PATH"
# A bad variable stops here, with its message.
"$VENV_BIN/python" -m crypto_assets.environment >&2

config="$DAGSTER_HOME/celery_worker.yaml"
"$VENV_BIN/python" -m crypto_assets.production celery-config > "$config"
exec "$VENV_BIN/dagster-celery" worker start -A dagster_celery.app -y "$config" \
  -q "${CELERY_QUEUE:-dagster}" -- --concurrency "${CELERY_CONCURRENCY:-1}" "$@"
