#!/usr/bin/env bash
# Creates .venv from requirements.lock (exact pins + hashes) and installs the project into it.
# Idempotent: installs nothing when the lock file has not changed since the last run.
#
# Bytecode is compiled here: uv (unlike pip) installs no .pyc files, and where
# PYTHONDONTWRITEBYTECODE is set no process ever writes them, so every Python process (each
# run worker, code server and CLI call) would compile Dagster and pandas from source again:
# loading the code location took 9.0 s instead of 3.5 s here (benchmarks/bench_startup.py).
set -euo pipefail
cd "$(dirname "$0")/.."

UV_VERSION=0.13.8
PYTHON=${PYTHON:-python3}

if [ ! -x .tools/bin/uv ]; then
  "$PYTHON" -m venv .tools
  .tools/bin/pip install --quiet "uv==${UV_VERSION}"
fi

stamp=.venv/.lock-sha256
# This script is in the stamp: a change to how the venv is built rebuilds it.
want=$(sha256sum requirements.lock pyproject.toml scripts/bootstrap.sh | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  [ -x .venv/bin/python ] || .tools/bin/uv venv --quiet --python "$PYTHON" .venv
  .tools/bin/uv pip sync --quiet --compile-bytecode --python .venv/bin/python requirements.lock
  .tools/bin/uv pip install --quiet --python .venv/bin/python --no-deps -e .
  echo "$want" > "$stamp"
fi
# The project's own modules (editable install): only files changed since the last run.
.venv/bin/python -m compileall -q -j 0 crypto_assets crypto_assets_tests crypto_assets_tools benchmarks
