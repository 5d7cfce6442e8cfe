#!/usr/bin/env bash
# Container entry point: checks the configuration, writes the production instance to
# $DAGSTER_HOME/dagster.yaml, then runs the service's command.
set -euo pipefail
python -m crypto_assets.environment >&2
bash /opt/dagster/app/scripts/prod_instance.sh
exec "$@"
