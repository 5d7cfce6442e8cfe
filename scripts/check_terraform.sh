#!/usr/bin/env bash
# Offline checks of terraform/: formatting and checkov (zero failed checks).
#
# checkov lives in its own virtual environment (.tools/checkov-venv): it pins packages
# that would downgrade what Dagster needs in .venv. It is installed on first use only.
# Exits non-zero if any file is unformatted or any checkov check fails; inline skips
# (#checkov:skip=CKV_...:reason) are counted as skipped and must carry a reason.
set -euo pipefail
cd "$(dirname "$0")/.."

CHECKOV_VERSION=3.3.30
VENV=.tools/checkov-venv
PYTHON=${PYTHON:-python3}
TERRAFORM=${TERRAFORM:-terraform}

# The dist-info directory tells the installed version without starting checkov (~3 s).
if [ ! -x "$VENV/bin/checkov" ] || ! compgen -G "$VENV/lib/python3*/site-packages/checkov-${CHECKOV_VERSION}.dist-info" >/dev/null; then
  echo "check_terraform: installing checkov ${CHECKOV_VERSION} into ${VENV} (first run only)" >&2
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/pip" install --quiet --disable-pip-version-check "checkov==${CHECKOV_VERSION}"
fi

echo "== terraform fmt -check -recursive terraform"
if ! "$TERRAFORM" fmt -check -recursive -diff terraform; then
  echo "check_terraform: unformatted files above; run: terraform fmt -recursive terraform" >&2
  exit 1
fi

# A skip without a reason is not a decision a reviewer can check.
if grep -rnE '#[[:space:]]*checkov:skip=CKV[0-9A-Z_]+[[:space:]]*$' terraform; then
  echo "check_terraform: checkov skips above have no reason (#checkov:skip=ID:reason)" >&2
  exit 1
fi

echo "== checkov -d terraform"
# --quiet prints only failed checks, then the summary line
# "Passed checks: N, Failed checks: N, Skipped checks: N"; checkov exits 1 on any failure.
"$VENV/bin/checkov" -d terraform --framework terraform --skip-download --quiet --compact
