#!/usr/bin/env bash
# Runs everything a change must pass: lint, the Terraform checks, then the whole pytest suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
bash scripts/ensure_chromium.sh

.venv/bin/ruff check .
.venv/bin/ruff format --check .
bash scripts/check_terraform.sh
# pytest last: its summary line is the suite's verdict.
exec .venv/bin/python -m pytest "$@"
