#!/usr/bin/env bash
# Writes the production instance (PostgreSQL storage, run queue, pools, run retries; S3 compute
# logs when DAGSTER_COMPUTE_LOGS_BUCKET is set) to $DAGSTER_HOME/dagster.yaml.
# Needs DAGSTER_HOME and DAGSTER_PG_HOST / _PORT / _USERNAME / _PASSWORD / _DB.
set -euo pipefail
: "${DAGSTER_HOME:?set DAGSTER_HOME to the instance folder}"
PYTHON=${PYTHON:-$(cd "$(dirname "$0")/.." && pwd)/.venv/bin/python}
[ -x "$PYTHON" ] || PYTHON=python
mkdir -p "$DAGSTER_HOME"
tmp="$DAGSTER_HOME/dagster.yaml.tmp"
trap 'rm -f "$tmp"' EXIT
"$PYTHON" -m crypto_assets.production instance > "$tmp"
mv "$tmp" "$DAGSTER_HOME/dagster.yaml"
echo "crypto_assets: production instance written to $DAGSTER_HOME/dagster.yaml" >&2
