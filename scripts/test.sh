#!/usr/bin/env bash
# Runs everything a change must pass: lint, the Terraform checks, then the whole pytest suite.
#   bash scripts/test.sh          the whole suite (what CI runs): the unit and integration lane
#                                 on two workers, then the server lane (Dagster servers,
#                                 browser, PostgreSQL/Redis production stack), a file per worker
#   bash scripts/test.sh --fast   lint and the parallel lane without slow tests (< 4 minutes)
# Extra arguments go to pytest in both lanes.
set -euo pipefail
cd "$(dirname "$0")/.."
fast=false
if [ "${1:-}" = "--fast" ]; then fast=true; shift; fi
bash scripts/bootstrap.sh
.venv/bin/ruff check .
.venv/bin/ruff format --check .

if $fast; then
  exec .venv/bin/python -m pytest -n 2 -m "not servers and not slow" "$@"
fi
bash scripts/ensure_chromium.sh
bash scripts/check_terraform.sh
.venv/bin/python -m pytest -n 2 -m "not servers" "$@"
# The server lane last (its summary line is the suite's verdict): tests that start Dagster
# servers, a browser or the production stack. They mostly wait on daemons, so two run at a
# time, one test file per worker (each starts its own servers on free ports, its own database).
exec .venv/bin/python -m pytest -n 2 --dist loadfile -m "servers" "$@"
