#!/usr/bin/env bash
# Starts the platform on the embedded defaults: Dagster UI + daemon (schedules, sensors, backfills).
# DAGSTER_HOST / DAGSTER_PORT choose where the UI listens (default 127.0.0.1:3000).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
bash scripts/bootstrap.sh

export CRYPTO_ASSETS_HOME="${CRYPTO_ASSETS_HOME:-$root/.crypto_assets}"
export DAGSTER_HOME="$CRYPTO_ASSETS_HOME/dagster"
host="${DAGSTER_HOST:-127.0.0.1}"
port="${DAGSTER_PORT:-3000}"
# Alert links point at the UI this script serves, unless CRYPTO_UI_URL says otherwise.
export CRYPTO_UI_URL="${CRYPTO_UI_URL:-http://$host:$port}"
# A bad variable, a busy port or a code location that does not load stops here, with its
# message and a non-zero exit, before any server starts.
.venv/bin/python -m crypto_assets.environment --dev-server

mkdir -p "$DAGSTER_HOME"
cp dagster.yaml "$DAGSTER_HOME/dagster.yaml"
# dagster dev reads .env from its working folder, and warns about a dagster.yaml there that is
# not DAGSTER_HOME's: so it runs in DAGSTER_HOME, with the project's .env beside it.
if [ -f .env ]; then cp .env "$DAGSTER_HOME/.env"; else rm -f "$DAGSTER_HOME/.env"; fi
# The API pools exist at their limit before the daemon's first pass (else it starts every
# queued run at once).
.venv/bin/python -m crypto_assets.production init-pools

echo "crypto_assets: UI on http://$host:$port; alert links to $CRYPTO_UI_URL"
cd "$DAGSTER_HOME"
# Started as a script's background job (`make dev &`, nohup), this shell ignores SIGINT, and
# bash cannot undo that; dagster dev would inherit it and ignore SIGTERM too (it maps SIGTERM
# onto its SIGINT handler), so nothing but SIGKILL would stop it. Python restores the default.
exec "$root/.venv/bin/python" -c \
  'import os, signal, sys; signal.signal(signal.SIGINT, signal.SIG_DFL); os.execv(sys.argv[1], sys.argv[1:])' \
  "$root/.venv/bin/dagster" dev -w "$root/workspace.yaml" -h "$host" -p "$port"
