"""The analysts' path: DuckDB views over the lake (the README test runs its command)."""

from __future__ import annotations

from pathlib import Path

import pytest
from dagster import DagsterInstance, materialize

from crypto_assets.analytics import lake_connection, main
from crypto_assets.deployment import build_resources
from crypto_assets.environment import Settings
from crypto_assets_tests.e2e.support import REPO
from crypto_assets_tests.support.definitions import live_assets, replay_definitions

defs = replay_definitions()

README_COMMAND = ".venv/bin/python -m crypto_assets.analytics "


def readme_query_command() -> str:
    """The one analytics command line the README shows."""
    lines = [
        line
        for line in (REPO / "README.md").read_text().splitlines()
        if line.startswith(README_COMMAND)
    ]
    assert len(lines) == 1, lines
    return lines[0]


def test_views_cover_every_asset_with_data_and_hide_the_folder_column(tmp_path: Path) -> None:
    settings = Settings.from_env({"CRYPTO_ASSETS_HOME": str(tmp_path), "CRYPTO_SOURCE": "replay"})
    assert lake_connection(settings).sql("SHOW TABLES").fetchall() == []  # nothing written yet
    with DagsterInstance.ephemeral() as instance:
        materialize(
            live_assets(defs),
            resources=build_resources(settings),
            instance=instance,
            partition_key="2025-10-19-12:40",
        )
    con = lake_connection(settings)
    assert sorted(t for (t,) in con.sql("SHOW TABLES").fetchall()) == sorted(
        ["coin_listings", "reddit_posts", "sentiment_scores", "coin_mentions", "mention_counts"]
    )
    assert con.sql("SELECT count(*) FROM reddit_posts").fetchall() == [(5,)]
    assert "timestamp" not in con.sql("SELECT * FROM reddit_posts").columns


def test_usage_without_a_query(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main([])
    assert exited.value.code == 2
    assert "usage: python -m crypto_assets.analytics" in capsys.readouterr().err


def test_help_names_the_views_and_shows_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--help"])
    out = capsys.readouterr().out
    assert exited.value.code == 0
    assert "mention_counts" in out and "example:" in out


def test_a_query_before_anything_is_materialized_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("CRYPTO_ASSETS_HOME", str(tmp_path))
    assert main(["SELECT * FROM mention_counts"]) == 1
    err = capsys.readouterr().err
    assert "nothing materialized yet for mention_counts" in err
    assert "Catalog Error" not in err
