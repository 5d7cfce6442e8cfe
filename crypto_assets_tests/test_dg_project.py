"""The project as `dg` sees it: `dg check defs` and `dg list defs` load the defs folder."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from crypto_assets_tests.e2e.support import REPO
from crypto_assets_tests.support.subprocess_env import clean_env

DG = REPO / ".venv/bin/dg"
DOMAINS = ("ingestion", "enrichment", "publication", "alerts", "operations", "report")


def dg(*args: str, home: Path) -> subprocess.CompletedProcess:
    env = clean_env()
    env |= {"CRYPTO_ASSETS_HOME": str(home), "CRYPTO_SOURCE": "replay"}
    return subprocess.run(
        [str(DG), *args], cwd=REPO, env=env, capture_output=True, text=True, timeout=300
    )


def test_dg_check_defs_passes(tmp_path: Path) -> None:
    done = dg("check", "defs", home=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "All definitions loaded successfully" in done.stdout + done.stderr


@pytest.mark.slow
def test_dg_list_defs_shows_every_asset_job_schedule_and_sensor(tmp_path: Path) -> None:
    done = dg("list", "defs", "--json", home=tmp_path)
    assert done.returncode == 0, done.stderr
    listed = json.loads(done.stdout)
    assets = {a["asset_key"]: a for a in listed["assets"]}
    live = {"coin_listings", "reddit_posts", "sentiment_scores", "coin_mentions", "mention_counts"}
    assert set(assets) == live | {f"history/{name}" for name in live} | {"market_report"}
    groups = {"ingestion", "enrichment", "publication", "history", "report"}
    assert {a["group_name"] for a in assets.values()} == groups
    jobs = ["crypto_pipeline", "history_days", "market_report_job"]
    assert sorted(j["name"] for j in listed["jobs"]) == jobs
    schedules = ["crypto_pipeline_every_10_minutes", "market_report_daily"]
    assert sorted(s["name"] for s in listed["schedules"]) == schedules
    assert "fail_runs_with_dead_workers" in {s["name"] for s in listed["sensors"]}


@pytest.mark.slow
def test_a_bad_setting_fails_dg_check_naming_the_variable(tmp_path: Path) -> None:
    env_home = tmp_path
    done = subprocess.run(
        [str(DG), "check", "defs"],
        cwd=REPO,
        env={
            **clean_env(),
            "CRYPTO_ASSETS_HOME": str(env_home),
            "CRYPTO_WAREHOUSE": "bogus",
        },
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode != 0
    assert "CRYPTO_WAREHOUSE" in done.stdout + done.stderr


@pytest.mark.parametrize("domain", DOMAINS)
def test_each_domain_is_a_package_of_the_defs_folder(domain: str) -> None:
    assert (REPO / "crypto_assets" / "defs" / domain / "__init__.py").is_file()
