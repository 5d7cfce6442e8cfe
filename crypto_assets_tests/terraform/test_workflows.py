"""The GitHub workflows: CI runs the README's test command and validates Terraform where the
provider registry is reachable; deploy plans, waits for approval, then applies that plan."""

from __future__ import annotations

from typing import Any

import yaml

from crypto_assets_tests.terraform import hcl

WORKFLOWS = hcl.PROJECT_ROOT / ".github" / "workflows"


def _load(name: str) -> dict[str, Any]:
    workflow = yaml.safe_load((WORKFLOWS / name).read_text())
    workflow["on"] = workflow.pop(True)  # YAML 1.1 reads the bare key `on` as a boolean
    return workflow


def _runs(job: dict[str, Any]) -> str:
    return "\n".join(step.get("run", "") for step in job.get("steps", []))


def _uses(job: dict[str, Any]) -> list[str]:
    return [step["uses"].split("@")[0] for step in job.get("steps", []) if "uses" in step]


def test_ci_runs_the_test_command_and_validates_every_root_config() -> None:
    ci = _load("ci.yml")
    assert "pull_request" in ci["on"]
    assert "make test" in _runs(ci["jobs"]["test"])
    validate = ci["jobs"]["terraform-validate"]
    assert set(validate["strategy"]["matrix"]["dir"]) == {
        "environments/dev",
        "environments/prod",
        "bootstrap",
    }
    runs = _runs(validate)
    assert "terraform init -backend=false" in runs
    assert "terraform validate" in runs
    assert "terraform fmt -check" in runs


def test_deploy_plans_then_waits_for_approval_then_applies_that_plan() -> None:
    deploy = _load("deploy.yml")
    choice = deploy["on"]["workflow_dispatch"]["inputs"]["environment"]
    assert choice["options"] == list(hcl.ENVIRONMENTS)
    plan, apply = deploy["jobs"]["plan"], deploy["jobs"]["apply"]
    assert plan["uses"] == "./.github/workflows/terraform-plan.yml"
    assert apply["needs"] == "plan"
    # The GitHub environment's required reviewers are the manual approval.
    assert apply["environment"] == "${{ inputs.environment }}"
    assert "terraform apply -no-color -lock-timeout=5m tfplan" in _runs(apply)
    assert "actions/download-artifact" in _uses(apply)
    assert deploy["concurrency"]["cancel-in-progress"] is False


def test_cloud_access_is_oidc_without_stored_aws_keys() -> None:
    for name in ("terraform-plan.yml", "deploy.yml"):
        text = (WORKFLOWS / name).read_text()
        assert "aws-access-key-id" not in text and "AWS_SECRET_ACCESS_KEY" not in text
        workflow = _load(name)
        for job in workflow["jobs"].values():
            if "steps" not in job:
                continue
            assert job.get("permissions", workflow["permissions"])["id-token"] == "write"
            (configure,) = [s for s in job["steps"] if s.get("uses", "").startswith("aws-actions/")]
            assert configure["with"]["role-to-assume"].startswith("${{ vars.")


def test_snowflake_key_comes_from_a_secret_and_the_wrapper_is_off() -> None:
    plan = _load("terraform-plan.yml")["jobs"]["plan"]
    assert plan["env"]["SNOWFLAKE_PRIVATE_KEY"] == "${{ secrets.SNOWFLAKE_TERRAFORM_PRIVATE_KEY }}"
    assert plan["environment"] == "${{ inputs.environment }}-plan"
    for name in ("ci.yml", "terraform-plan.yml", "deploy.yml"):
        for job in _load(name)["jobs"].values():
            for step in job.get("steps", []):
                if step.get("uses", "").startswith("hashicorp/setup-terraform"):
                    # The wrapper would mangle `terraform output -json` piped into the script.
                    assert step["with"]["terraform_wrapper"] is False
