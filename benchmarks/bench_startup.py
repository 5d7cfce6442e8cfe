"""What a process start costs with and without compiled bytecode: loading the code location.

Every run worker, code server and CLI call starts a Python process that imports Dagster, pandas
and the project and builds the definitions. `scripts/bootstrap.sh` compiles the venv's bytecode
(uv installs none, and where PYTHONDONTWRITEBYTECODE is set no process writes it). This times
`build_definitions` in fresh processes, alternating: with the bytecode, and with none reachable
(PYTHONPYCACHEPREFIX on an empty folder and PYTHONDONTWRITEBYTECODE=1: every module compiles
from source, as in a venv without .pyc files). Ratios measured in one run; the machine is shared.

    .venv/bin/python benchmarks/bench_startup.py [--rounds 5] [--json out.json]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
LOAD = (
    "from crypto_assets.definitions import build_definitions; "
    "from crypto_assets.environment import Settings; "
    "build_definitions(Settings.from_env({'CRYPTO_SOURCE': 'replay'}))"
)


def load_seconds(env: dict[str, str]) -> float:
    """Wall seconds of one fresh process loading the code location."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", LOAD], cwd=REPO, env=env, check=True, timeout=300)
    return time.perf_counter() - start


def main() -> None:
    """Alternate the two kinds of start and print medians and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    base = {k: v for k, v in os.environ.items() if not k.startswith(("CRYPTO_", "DAGSTER_"))}
    with tempfile.TemporaryDirectory(prefix="no_bytecode_") as empty:
        cold = base | {"PYTHONPYCACHEPREFIX": empty, "PYTHONDONTWRITEBYTECODE": "1"}
        warm = {k: v for k, v in base.items() if k != "PYTHONPYCACHEPREFIX"}
        load_seconds(warm)  # page the files in before timing either kind
        times: dict[str, list[float]] = {"bytecode": [], "source": []}
        for _ in range(args.rounds):
            times["bytecode"].append(load_seconds(warm))
            times["source"].append(load_seconds(cold))
            assert not any(Path(empty).iterdir()), "a process wrote bytecode into the empty cache"
    medians = {kind: statistics.median(values) for kind, values in times.items()}
    report = {
        "rounds": args.rounds,
        "median_s": medians,
        "source_vs_bytecode": medians["source"] / medians["bytecode"],
    }
    for kind, seconds in medians.items():
        print(f"load the code location, {kind:8s}: median {seconds:.2f} s of {args.rounds}")
    print(f"ratio source / bytecode: {report['source_vs_bytecode']:.2f}")
    if args.json:
        args.json.write_text(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
