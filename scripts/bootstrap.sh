#!/usr/bin/env bash
# Creates .venv from requirements.lock (exact pins + hashes) and installs the project into it.
# Idempotent: does nothing when the lock file has not changed since the last run.
set -euo pipefail
cd "$(dirname "$0")/.."

UV_VERSION=0.13.8
PYTHON=${PYTHON:-python3}

if [ ! -x .tools/bin/uv ]; then
  "$PYTHON" -m venv .tools
  .tools/bin/pip install --quiet "uv==${UV_VERSION}"
fi

stamp=.venv/.lock-sha256
want=$(sha256sum requirements.lock pyproject.toml | sha256sum | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  exit 0
fi

[ -x .venv/bin/python ] || .tools/bin/uv venv --quiet --python "$PYTHON" .venv
.tools/bin/uv pip sync --quiet --python .venv/bin/python requirements.lock
.tools/bin/uv pip install --quiet --python .venv/bin/python --no-deps -e .
echo "$want" > "$stamp"
