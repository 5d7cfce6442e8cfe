#!/usr/bin/env python3
"""Turn `terraform output -json` into the KEY=value .env file the platform reads.

    terraform -chdir=terraform/environments/dev output -json \\
        | python scripts/terraform_outputs_to_env.py            # writes ./.env
    python scripts/terraform_outputs_to_env.py outputs.json -o -  # prints instead

Only the configuration-contract variables (README, Configuration) are written; sensitive
outputs and anything named like a secret are refused, so a .env made here never holds a
credential.
An existing .env keeps its other lines (e.g. REDDIT_* or SNOWFLAKE_PRIVATE_KEY set by hand);
the contract keys are replaced in place or appended.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

PROJECT_ROOT = Path(__file__).resolve().parents[1]

# Environment variables of the configuration contract that Terraform knows.
CONTRACT_VARIABLES: tuple[str, ...] = (
    "CRYPTO_LAKE_ROOT",
    "CRYPTO_WAREHOUSE",
    "CRYPTO_ALERTS_SNS_TOPIC_ARN",
    "SNOWFLAKE_ACCOUNT",
    "SNOWFLAKE_USER",
    "SNOWFLAKE_ROLE",
    "SNOWFLAKE_WAREHOUSE",
    "SNOWFLAKE_DATABASE",
    "SNOWFLAKE_LAKE_STAGE",
    "AWS_REGION",
    "AWS_DEFAULT_REGION",
)

# Never written, even if someone adds such an output: secrets stay out of Terraform.
SECRET_NAME = re.compile(r"(PRIVATE_KEY|PASSWORD|SECRET|TOKEN|PASSPHRASE)", re.IGNORECASE)
_KEY_LINE = re.compile(r"^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=")
_PLAIN_VALUE = re.compile(r"^[A-Za-z0-9_./:@+,=-]*$")


class OutputsError(ValueError):
    """The Terraform outputs cannot be turned into an env file."""


def select_variables(outputs: Mapping[str, Any]) -> tuple[dict[str, str], list[str]]:
    """The contract variables present in `terraform output -json`, and warnings."""
    if not isinstance(outputs, Mapping):
        raise OutputsError("expected the JSON object printed by `terraform output -json`")
    selected: dict[str, str] = {}
    warnings: list[str] = []
    for name, output in outputs.items():
        if name not in CONTRACT_VARIABLES:
            continue
        if not isinstance(output, Mapping) or "value" not in output:
            raise OutputsError(f"{name}: not a terraform output object (no 'value')")
        if output.get("sensitive") or SECRET_NAME.search(name):
            warnings.append(f"{name}: sensitive, not written")
            continue
        value = output["value"]
        if not isinstance(value, str | int | float | bool):
            raise OutputsError(f"{name}: expected a string output, got {type(value).__name__}")
        text = str(value).lower() if isinstance(value, bool) else str(value)
        if "\n" in text or "\r" in text:
            raise OutputsError(f"{name}: multi-line values cannot go into an env file")
        selected[name] = text
    missing = [name for name in CONTRACT_VARIABLES if name not in outputs]
    if missing:
        warnings.append("missing from the outputs: " + ", ".join(missing))
    return selected, warnings


def format_line(name: str, value: str) -> str:
    """One KEY=value line; other values are single-quoted (no ${...} expansion by dotenv)."""
    if _PLAIN_VALUE.match(value):
        return f"{name}={value}"
    if "'" not in value:
        return f"{name}='{value}'"
    escaped = value.replace("\\", "\\\\").replace('"', '\\"')
    return f'{name}="{escaped}"'


def merge_env(existing: Iterable[str], variables: Mapping[str, str]) -> list[str]:
    """Replace the contract keys in an existing .env in place, keep everything else."""
    lines: list[str] = []
    written: set[str] = set()
    for raw in existing:
        line = raw.rstrip("\n")
        match = _KEY_LINE.match(line)
        key = match.group(1) if match else None
        if key in variables:
            if key not in written:
                lines.append(format_line(key, variables[key]))
                written.add(key)
            continue  # a duplicate of a managed key is dropped
        lines.append(line)
    new = [name for name in variables if name not in written]
    if new:
        if lines and lines[-1].strip():
            lines.append("")
        lines.append("# From terraform output (scripts/terraform_outputs_to_env.py)")
        lines.extend(format_line(name, variables[name]) for name in new)
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "outputs",
        nargs="?",
        default="-",
        help="file with `terraform output -json` (default: stdin)",
    )
    parser.add_argument(
        "-o",
        "--output",
        default=str(PROJECT_ROOT / ".env"),
        help="env file to write or update (default: .env in the project root; - for stdout)",
    )
    args = parser.parse_args(argv)

    try:
        text = sys.stdin.read() if args.outputs == "-" else Path(args.outputs).read_text()
        try:
            outputs = json.loads(text)
        except json.JSONDecodeError as exc:
            raise OutputsError(f"not JSON: {exc}") from exc
        variables, warnings = select_variables(outputs)
    except (OSError, OutputsError) as exc:
        print(f"terraform_outputs_to_env: {exc}", file=sys.stderr)
        return 1
    for warning in warnings:
        print(f"terraform_outputs_to_env: {warning}", file=sys.stderr)
    if not variables:
        print("terraform_outputs_to_env: no contract outputs found", file=sys.stderr)
        return 1

    if args.output == "-":
        sys.stdout.write("".join(format_line(k, v) + "\n" for k, v in variables.items()))
        return 0
    target = Path(args.output)
    existing = target.read_text().splitlines() if target.exists() else []
    if not target.exists():
        # Owner-only: people add SNOWFLAKE_PRIVATE_KEY or REDDIT_* secrets to .env by hand.
        target.touch(mode=0o600)
    target.write_text("\n".join(merge_env(existing, variables)) + "\n")
    print(
        f"terraform_outputs_to_env: wrote {len(variables)} variables to {target}", file=sys.stderr
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
