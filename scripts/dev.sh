#!/usr/bin/env bash
# Starts the platform on the embedded defaults: Dagster UI + daemon (schedules, sensors, backfills).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh

export CRYPTO_ASSETS_HOME="${CRYPTO_ASSETS_HOME:-$PWD/.crypto_assets}"
export DAGSTER_HOME="$CRYPTO_ASSETS_HOME/dagster"
mkdir -p "$DAGSTER_HOME"
cp dagster.yaml "$DAGSTER_HOME/dagster.yaml"

host="${DAGSTER_HOST:-127.0.0.1}"
port="${DAGSTER_PORT:-3000}"
echo "crypto_assets: UI on http://$host:$port  (state in $CRYPTO_ASSETS_HOME, source ${CRYPTO_SOURCE:-live})"
exec .venv/bin/dagster dev -w workspace.yaml -h "$host" -p "$port"
