"""Every command the README and docs/ show is run here, as written, so the docs cannot drift.

A command is a line of a ```bash block in README.md or docs/*.md; anything else (file names,
one-off commands in prose) is `inline code`. Commands run in a scratch folder that looks like
the project root to them (`.venv` linked in, `.crypto_assets` inside it), against replay data;
`make dev` and the `dg` commands run in the project itself. The same file checks the shape of
the docs: a short README that links every page of docs/, links that resolve inside the
repository, and a data dictionary equal to the dataset catalog.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests

from crypto_assets.datasets import DATASETS, Dataset
from crypto_assets.storage.warehouse_sql import DUCKDB_TYPES, SNOWFLAKE_TYPES
from crypto_assets_tests.e2e.support import REPO
from crypto_assets_tests.support.subprocess_env import clean_env

BLOCK = re.compile(r"^ *```bash\n(.*?)^ *```", re.M | re.S)
LINK = re.compile(r"\]\(([^)\s]+)\)")
README = REPO / "README.md"
DOCS = REPO / "docs"
README_MAX_LINES = 200


def doc_files() -> list[Path]:
    """README.md and every page of docs/."""
    return [README, *sorted(DOCS.glob("*.md"))]


def bash_commands(path: Path) -> list[str]:
    """Every command line of every bash block in one Markdown file (comments stripped)."""
    lines = []
    for block in BLOCK.findall(path.read_text()):
        for line in block.splitlines():
            command = re.sub(r"\s+#.*$", "", line).strip()
            if command:
                lines.append(command)
    return lines


def readme_commands() -> list[str]:
    """Every command line of every bash block in the README."""
    return bash_commands(README)


def doc_commands() -> list[tuple[str, str]]:
    """(file, command) for every command line of every bash block in README.md and docs/*.md."""
    return [(p.relative_to(REPO).as_posix(), c) for p in doc_files() for c in bash_commands(p)]


def documented(prefix: str) -> str:
    """The one documented command that starts with `prefix`, wherever it is shown."""
    (command,) = {c for _, c in doc_commands() if c.startswith(prefix)}
    return command


def links(path: Path) -> list[str]:
    """Targets of the Markdown links and images of one file."""
    return LINK.findall(path.read_text())


def anchors(path: Path) -> set[str]:
    """The fragment GitHub gives each heading of a Markdown file (duplicates aside)."""
    text = re.sub(r"^```.*?^```", "", path.read_text(), flags=re.M | re.S)
    headings = re.findall(r"^#+ +(.+?) *$", text, re.M)
    return {re.sub(r"[^\w\- ]", "", h.lower()).replace(" ", "-") for h in headings}


def settings_variables() -> set[str]:
    """Every environment variable the settings read, by the names environment.py spells out."""
    package = REPO / "crypto_assets"
    sources = [package / "environment.py", package / "environment_checks.py"]
    text = "".join(path.read_text() for path in [*sources, *(package / "config").glob("*.py")])
    names = re.findall(r'"((?:CRYPTO|DAGSTER|REDDIT|SNOWFLAKE|AWS|CELERY)_[A-Z0-9_]+)"', text)
    return {n for n in names if not n.endswith("_VARS")}


def dataset_reference(dataset: Dataset) -> str:
    """A dataset's entry in docs/data-dictionary.md, made from the catalog."""
    key = ", ".join(f"`{k}`" for k in dataset.key)
    rows = [
        f"| `{f.name}` | {DUCKDB_TYPES[f.type]} | {SNOWFLAKE_TYPES[f.type]} | "
        f"{dataset.column_docs()[f.name].replace('|', chr(92) + '|')} |"
        for f in dataset.schema
    ]
    return "\n".join(
        [
            f"### `{dataset.name}`",
            "",
            dataset.description,
            "",
            f"Warehouse table `{dataset.layer}.{dataset.name}`; lake folder "
            f"`{dataset.lake_folder}/`; key ({key}).",
            "",
            "| column | DuckDB | Snowflake | meaning |",
            "|---|---|---|---|",
            *rows,
        ]
    )


def _scratch_env(root: Path) -> dict[str, str]:
    env = clean_env()
    return env | {"CRYPTO_ASSETS_HOME": str(root / ".crypto_assets")}


def _bash(script: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# What each `dg` command shows when it has loaded the code location.
DG_COMMANDS = {
    ".venv/bin/dg check defs": "All definitions loaded successfully",
    ".venv/bin/dg list defs": "mention_counts",
}

HISTORY_DAY = (
    ".venv/bin/dagster asset materialize -m crypto_assets.definitions --select 'group:history' "
    "--partition 2022-05-08"
)
HISTORY_BACKFILL = (
    ".venv/bin/dagster job backfill -m crypto_assets.definitions -j history_days "
    "--from 2022-05-13 --to 2022-05-14 --noprompt"
)
# docs/report.md: the day's report (after HISTORY_DAY) and the index page of reported days.
REPORT_DAY = (
    ".venv/bin/dagster asset materialize -m crypto_assets.definitions --select market_report "
    "--partition 2022-05-08"
)
REPORT_INDEX = ".venv/bin/python -m crypto_assets.report --open"

KNOWN = {
    "make dev",
    "make test",
    "make test-fast",
    "CRYPTO_SOURCE=replay make dev",
    "export CRYPTO_SOURCE=replay DAGSTER_HOME=$PWD/.crypto_assets/dagster",
    "mkdir -p $DAGSTER_HOME",
    ".venv/bin/dagster asset materialize -m crypto_assets.definitions "
    "--select 'group:ingestion,group:enrichment,group:publication' "
    "--partition-range 2025-10-20-00:00...2025-10-20-23:50",
    '.venv/bin/python -m crypto_assets.analytics "SELECT symbol, sum(mentions) AS m, '
    'avg(mean_sentiment) AS s FROM mention_counts GROUP BY 1 ORDER BY m DESC LIMIT 10"',
    "export REDDIT_CLIENT_ID=… REDDIT_CLIENT_SECRET=… REDDIT_USERNAME=… REDDIT_PASSWORD=…",
    HISTORY_DAY,
    HISTORY_BACKFILL,
    REPORT_DAY,
    REPORT_INDEX,
    *DG_COMMANDS,
}


def test_every_documented_command_is_one_this_file_runs() -> None:
    unknown = [f"{name}: {command}" for name, command in doc_commands() if command not in KNOWN]
    assert not unknown, "bash blocks with commands no test runs (add each to KNOWN and run it)"
    assert {command for _, command in doc_commands()} == KNOWN


def test_make_test_is_what_ci_runs() -> None:
    assert "make test" in (REPO / ".ci/run").read_text()
    assert "bash scripts/test.sh" in (REPO / "Makefile").read_text()


def test_make_test_fast_is_the_fast_lane_of_the_same_script() -> None:
    makefile = (REPO / "Makefile").read_text()
    assert re.search(r"^test-fast:.*\n\tbash scripts/test\.sh --fast$", makefile, re.M)
    assert '"${1:-}" = "--fast"' in (REPO / "scripts/test.sh").read_text()


def test_the_readme_is_a_short_walk() -> None:
    lines = README.read_text().splitlines()
    assert len(lines) < README_MAX_LINES, f"README.md has {len(lines)} lines"


def test_every_docs_page_is_linked_from_the_readme_and_exists() -> None:
    linked = {t.split("#")[0] for t in links(README) if t.startswith("docs/") and ".md" in t}
    assert linked, "README.md links no page of docs/"
    for target in linked:
        assert (REPO / target).is_file(), f"README.md links {target}, which does not exist"
    pages = {p.relative_to(REPO).as_posix() for p in DOCS.glob("*.md")}
    assert pages - linked == set(), "pages of docs/ the README does not link"


@pytest.mark.parametrize("path", doc_files(), ids=lambda p: p.relative_to(REPO).as_posix())
def test_every_relative_link_resolves_inside_the_repository(path: Path) -> None:
    name = path.relative_to(REPO)
    for target in links(path):
        if re.match(r"[a-z]+:", target):
            continue
        file, _, fragment = target.partition("#")
        resolved = (path.parent / file).resolve() if file else path
        assert resolved.is_relative_to(REPO), f"{name}: {target} leaves the repository"
        assert resolved.exists(), f"{name}: {target} does not exist"
        if fragment and resolved.suffix == ".md":
            assert fragment in anchors(resolved), f"{name}: {target}: no such heading"


def test_the_readme_cites_nothing_outside_the_repository() -> None:
    text = README.read_text()
    assert "../" not in text
    external = [t for t in links(README) if re.match(r"[a-z]+:", t)]
    assert external == [], "README.md links outside the repository"


def test_every_setting_is_in_the_configuration_reference() -> None:
    text = (DOCS / "configuration.md").read_text()

    def documented_variable(name: str) -> bool:
        # A row may shorten a family after its first member: `SNOWFLAKE_ACCOUNT` / `_USER`.
        parts = name.split("_")
        families = [("_".join(parts[:i]), "_".join(parts[i:])) for i in range(1, len(parts))]
        return f"`{name}`" in text or any(
            f"`{family}_" in line and f"`_{tail}`" in line
            for line in text.splitlines()
            for family, tail in families
        )

    missing = sorted(n for n in settings_variables() if not documented_variable(n))
    assert missing == [], "variables docs/configuration.md does not list"


@pytest.mark.parametrize("name", list(DATASETS))
def test_the_data_dictionary_is_the_dataset_catalog(name: str) -> None:
    expected = dataset_reference(DATASETS[name])
    text = (DOCS / "data-dictionary.md").read_text()
    assert expected in text, (
        f"docs/data-dictionary.md: replace the entry of {name} with\n\n{expected}"
    )


@pytest.mark.slow
def test_the_cli_backfill_and_the_lake_query_run_as_written(tmp_path: Path) -> None:
    (tmp_path / ".venv").symlink_to(REPO / ".venv")
    commands = readme_commands()
    first = commands.index(next(c for c in commands if c.startswith("export CRYPTO_SOURCE")))
    backfill = commands[first : first + 3]
    done = _bash("\n".join(backfill), tmp_path, _scratch_env(tmp_path))
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stderr.count("RUN_SUCCESS") == 1  # a whole day is one run
    lake = tmp_path / ".crypto_assets" / "lake" / "mention_counts"
    assert len(list(lake.glob("timestamp=2025-10-20T*/part-0.parquet"))) == 144

    query = next(c for c in commands if "crypto_assets.analytics" in c)
    out = _bash(query, tmp_path, _scratch_env(tmp_path))
    assert out.returncode == 0, out.stderr[-3000:]
    assert "symbol" in out.stdout and "BTC" in out.stdout


@pytest.mark.slow
def test_the_history_commands_run_as_written(tmp_path: Path) -> None:
    (tmp_path / ".venv").symlink_to(REPO / ".venv")
    commands = readme_commands()
    setup = commands[commands.index(next(c for c in commands if c.startswith("export CRYPTO_")))]
    report = [documented(REPORT_DAY), documented(REPORT_INDEX)]
    script = "\n".join([setup, "mkdir -p $DAGSTER_HOME", HISTORY_DAY, *report, HISTORY_BACKFILL])
    assert HISTORY_DAY in commands and HISTORY_BACKFILL in commands
    headless = {k: v for k, v in _scratch_env(tmp_path).items() if "DISPLAY" not in k}
    done = _bash(script, tmp_path, headless)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stderr.count("RUN_SUCCESS") == 2  # the day, then its report, in this process
    lake = tmp_path / ".crypto_assets" / "lake"
    assert len(list((lake / "mention_counts").glob("timestamp=2022-05-08T*/*.parquet"))) == 144
    assert (lake / "reports/day=2022-05-08/report.png").is_file()
    assert f"1 reported days; index: {lake / 'reports/index.html'}" in done.stdout
    assert "no display to open a browser on" in done.stdout  # printed, never waiting
    # The backfill queued one run per day for the daemon, tagged with its day.
    check = (
        "from dagster import DagsterInstance; i = DagsterInstance.get(); "
        "print(sorted((r.tags['dagster/partition'], r.status.value) for r in i.get_runs() "
        "if r.job_name == 'history_days'))"
    )
    env = _scratch_env(tmp_path) | {"DAGSTER_HOME": str(tmp_path / ".crypto_assets/dagster")}
    runs = _bash(f'.venv/bin/python -c "{check}"', tmp_path, env)
    assert "('2022-05-13', 'QUEUED'), ('2022-05-14', 'QUEUED')" in runs.stdout, runs.stderr


def test_the_reddit_credentials_line_is_accepted_by_the_configuration(tmp_path: Path) -> None:
    line = documented("export REDDIT_CLIENT_ID")
    out = _bash(
        f"{line}\n.venv/bin/python -m crypto_assets.environment", REPO, _scratch_env(tmp_path)
    )
    assert out.returncode == 0, out.stderr


@pytest.mark.slow
@pytest.mark.parametrize("command", list(DG_COMMANDS))
def test_the_dg_commands_load_the_code_location(tmp_path: Path, command: str) -> None:
    done = _bash(documented(command), REPO, _scratch_env(tmp_path) | {"CRYPTO_SOURCE": "replay"})
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    assert DG_COMMANDS[command] in done.stdout + done.stderr


@pytest.mark.e2e
@pytest.mark.parametrize("command", ["make dev", "CRYPTO_SOURCE=replay make dev"])
def test_make_dev_starts_the_ui(tmp_path: Path, command: str) -> None:
    port = _free_port()
    log = tmp_path / "dev.log"
    env = _scratch_env(tmp_path) | {"DAGSTER_PORT": str(port)}
    with log.open("wb") as out:
        proc = subprocess.Popen(
            ["bash", "-c", command],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            # As a script's background job starts it: SIGINT ignored. It must stop on SIGTERM.
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_IGN),
        )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            assert proc.poll() is None, log.read_text()[-3000:]
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"http://127.0.0.1:{port}/server_info", timeout=2).ok:
                    break
            time.sleep(1)
        else:
            pytest.fail(f"no UI on port {port}: {log.read_text()[-3000:]}")
        text = log.read_text()
        assert f"UI on http://127.0.0.1:{port}; alert links to http://127.0.0.1:{port}" in text
        assert ("source replay" in text) == ("replay" in command)
        assert "is not being used" not in text  # no misleading dagster.yaml warning
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=60)
            stopped = True
        except subprocess.TimeoutExpired:
            stopped = False
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
    # As `docker stop` or a supervisor stops it (SIGTERM), not only by SIGKILL.
    assert stopped, f"make dev still ran 60 s after SIGTERM: {log.read_text()[-3000:]}"
