#!/usr/bin/env bash
# Container entry point: checks the configuration, writes the production instance to
# $DAGSTER_HOME/dagster.yaml (the daemon also sets the pool limits), then runs the service's
# command.
set -euo pipefail
python -m crypto_assets.environment >&2
bash /opt/dagster/app/scripts/prod_instance.sh
# The daemon's queue knows the API pools from its first pass (see crypto_assets.production).
if [ "${1:-}" = "dagster-daemon" ]; then python -m crypto_assets.production init-pools >&2; fi
exec "$@"
