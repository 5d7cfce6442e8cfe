"""scripts/terraform_outputs_to_env.py: `terraform output -json` -> the .env the platform reads."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from crypto_assets_tests.terraform import hcl

SCRIPT = hcl.PROJECT_ROOT / "scripts" / "terraform_outputs_to_env.py"
SAMPLE = Path(__file__).with_name("terraform_output_sample.json")

EXPECTED_ENV = {
    "CRYPTO_LAKE_ROOT": "s3://crypto-assets-dev-lake-123456789012/lake",
    "CRYPTO_WAREHOUSE": "snowflake",
    "CRYPTO_ALERTS_SNS_TOPIC_ARN": "arn:aws:sns:eu-west-1:123456789012:crypto-assets-dev-alerts",
    "SNOWFLAKE_ACCOUNT": "MYORG-MYACCOUNT",
    "SNOWFLAKE_USER": "CRYPTO_ASSETS_DEV_DAGSTER",
    "SNOWFLAKE_ROLE": "CRYPTO_ASSETS_DEV_DAGSTER",
    "SNOWFLAKE_WAREHOUSE": "CRYPTO_ASSETS_DEV_WH",
    "SNOWFLAKE_DATABASE": "CRYPTO_ASSETS_DEV",
    "SNOWFLAKE_LAKE_STAGE": "CRYPTO_ASSETS_DEV.LOADING.LAKE",
    "AWS_REGION": "eu-west-1",
    "AWS_DEFAULT_REGION": "eu-west-1",
}


load_script = hcl.load_outputs_script


def _sample() -> dict:
    return json.loads(SAMPLE.read_text())


def _parse_env(text: str) -> dict[str, str]:
    pairs = {}
    for line in text.splitlines():
        if line.strip() and not line.lstrip().startswith("#"):
            key, _, value = line.partition("=")
            pairs[key] = value
    return pairs


def test_sample_has_the_outputs_the_environments_declare() -> None:
    for env in hcl.ENVIRONMENTS:
        assert set(_sample()) == set(hcl.labelled(hcl.environment(env), "output"))


def test_writes_exactly_the_contract_variables(tmp_path: Path) -> None:
    target = tmp_path / ".env"
    assert load_script().main([str(SAMPLE), "--output", str(target)]) == 0
    assert _parse_env(target.read_text()) == EXPECTED_ENV
    assert target.stat().st_mode & 0o077 == 0, "a new .env is owner-only"


def test_reads_stdin_and_prints_to_stdout() -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "-o", "-"],
        input=SAMPLE.read_text(),
        capture_output=True,
        text=True,
        timeout=30,
        check=True,
    )
    assert _parse_env(result.stdout) == EXPECTED_ENV
    assert "missing" not in result.stderr


def test_sensitive_and_secret_outputs_are_never_written(tmp_path: Path) -> None:
    outputs = _sample()
    outputs["SNOWFLAKE_USER"]["sensitive"] = True
    outputs["SNOWFLAKE_PRIVATE_KEY"] = {"sensitive": False, "type": "string", "value": "MIIE..."}
    script = load_script()
    script.CONTRACT_VARIABLES = (*script.CONTRACT_VARIABLES, "SNOWFLAKE_PRIVATE_KEY")
    try:
        variables, warnings = script.select_variables(outputs)
    finally:
        script.CONTRACT_VARIABLES = script.CONTRACT_VARIABLES[:-1]
    assert "SNOWFLAKE_USER" not in variables
    assert "SNOWFLAKE_PRIVATE_KEY" not in variables
    assert any("SNOWFLAKE_PRIVATE_KEY" in w for w in warnings)


def test_updates_an_existing_env_file_in_place(tmp_path: Path) -> None:
    target = tmp_path / ".env"
    target.write_text(
        "# my settings\n"
        "REDDIT_CLIENT_ID=abc\n"
        "CRYPTO_WAREHOUSE=duckdb\n"
        "export AWS_REGION=us-east-1\n"
        "CRYPTO_WAREHOUSE=duckdb\n"
    )
    assert load_script().main([str(SAMPLE), "-o", str(target)]) == 0
    lines = target.read_text().splitlines()
    assert lines[:4] == [
        "# my settings",
        "REDDIT_CLIENT_ID=abc",
        "CRYPTO_WAREHOUSE=snowflake",
        "AWS_REGION=eu-west-1",
    ]
    env = _parse_env(target.read_text())
    assert env == {"REDDIT_CLIENT_ID": "abc", **EXPECTED_ENV}
    assert sum(line.startswith("CRYPTO_WAREHOUSE=") for line in lines) == 1


def test_reports_missing_contract_outputs(capsys: pytest.CaptureFixture[str]) -> None:
    outputs = _sample()
    del outputs["CRYPTO_ALERTS_SNS_TOPIC_ARN"]
    variables, warnings = load_script().select_variables(outputs)
    assert "CRYPTO_ALERTS_SNS_TOPIC_ARN" not in variables
    assert any("CRYPTO_ALERTS_SNS_TOPIC_ARN" in w for w in warnings)


def test_values_that_need_quoting_are_quoted() -> None:
    format_line = load_script().format_line
    assert format_line("A", "s3://b/p") == "A=s3://b/p"
    assert format_line("A", "has space ${HOME}") == "A='has space ${HOME}'"
    assert format_line("A", "it's") == 'A="it\'s"'


@pytest.mark.parametrize("text", ["not json", "[]", '{"CRYPTO_WAREHOUSE": "snowflake"}'])
def test_rejects_input_that_is_not_terraform_output(tmp_path: Path, text: str) -> None:
    source = tmp_path / "outputs.json"
    source.write_text(text)
    assert load_script().main([str(source), "-o", str(tmp_path / ".env")]) == 1
    assert not (tmp_path / ".env").exists()
