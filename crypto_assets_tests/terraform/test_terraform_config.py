"""Structural checks of terraform/, offline: python-hcl2 parses every configuration.

What these guard: the outputs the platform reads (the configuration contract) exist
in both environments; no Allow statement grants a wildcard action or resource; buckets and
the alert topic are encrypted; the Snowflake schemas are exactly the ones the Python code
writes to; the warehouse stays X-SMALL with a short auto-suspend; state is remote and locked.
Provider schemas are not checked here (no registry access): CI runs `terraform validate`.

Layout: modules/platform composes the other modules once; environments/<env> are thin roots
(backend, providers, one `module "platform"` call, pass-through outputs). Where a property
crosses a module boundary, the checks follow the module call (see hcl.call_target).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from crypto_assets.datasets import WAREHOUSE_SCHEMAS, warehouse_schema_names
from crypto_assets_tests.terraform import hcl

# The configuration contract variables Terraform provides; SNOWFLAKE_PRIVATE_KEY
# is a secret generated outside Terraform and must never be an output.
CONTRACT_OUTPUTS = {
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
}

# Where each contract output of modules/platform must come from (its value expression); the
# environments pass each one through unchanged (value = module.platform.<same name>).
CONTRACT_WIRING = {
    "CRYPTO_LAKE_ROOT": "${module.data_lake.lake_root}",
    "CRYPTO_WAREHOUSE": "snowflake",
    "CRYPTO_ALERTS_SNS_TOPIC_ARN": "${module.alerts.topic_arn}",
    "SNOWFLAKE_ACCOUNT": "${var.snowflake_organization_name}-${var.snowflake_account_name}",
    "SNOWFLAKE_USER": "${module.snowflake.user_name}",
    "SNOWFLAKE_ROLE": "${module.snowflake.role_name}",
    "SNOWFLAKE_WAREHOUSE": "${module.snowflake.warehouse_name}",
    "SNOWFLAKE_DATABASE": "${module.snowflake.database_name}",
    "SNOWFLAKE_LAKE_STAGE": "${module.snowflake.lake_stage}",
    "AWS_REGION": "${var.aws_region}",
    "AWS_DEFAULT_REGION": "${var.aws_region}",
}

# Resources whose policy documents must come from aws_iam_policy_document data sources, so
# that the wildcard checks below see every statement.
POLICY_ATTRIBUTES = {
    "aws_iam_policy": "policy",
    "aws_iam_role": "assume_role_policy",
    "aws_iam_role_policy": "policy",
    "aws_iam_user_policy": "policy",
    "aws_s3_bucket_policy": "policy",
    "aws_sns_topic_policy": "policy",
    "aws_kms_key": "policy",
}

# An object ARN under a named key prefix: ${bucket_arn}/<at least one segment>/*
_PREFIXED_OBJECT_ARN = re.compile(r"^\$\{[^}]+\}/[^*]+/\*$")

# `cond ? local.a : local.b` (either branch may be chosen, so both are checked).
_CONDITIONAL = re.compile(r"(?P<condition>.+?) \? (?P<then>local\.\w+) : (?P<else>local\.\w+)")

_POLICY_DOCUMENT_JSON = re.compile(r"data\.aws_iam_policy_document\.(\w+)\.json")


def _outputs(env: str) -> dict[str, Any]:
    return hcl.labelled(hcl.environment(env), "output")


def _platform_outputs() -> dict[str, Any]:
    return hcl.labelled(hcl.module("platform"), "output")


def _platform_call(env: str) -> dict[str, Any]:
    """The environment's one call of modules/platform."""
    modules = hcl.labelled(hcl.environment(env), "module")
    assert set(modules) == {"platform"}, (
        f"{env}: expected only module.platform, got {sorted(modules)}"
    )
    call = modules["platform"]
    assert call["source"] == "../../modules/platform"
    return call


def _validated(directory: Path, name: str) -> bool:
    """var.<name> of a configuration has a validation block, or it is passed (as exactly
    var.<name>) to at least one module call and every such module validates it in turn."""
    config = hcl.load_config(directory)
    if hcl.labelled(config, "variable")[name].get("validation"):
        return True
    uses = [
        (call, argument)
        for call in hcl.labelled(config, "module").values()
        for argument, value in call.items()
        if value == f"${{var.{name}}}"
    ]
    return bool(uses) and all(
        _validated(hcl.call_target(directory, call), argument) for call, argument in uses
    )


def _is_policy_document(directory: Path, config: dict[str, list[Any]], expression: Any) -> bool:
    """An aws_iam_policy_document's JSON, directly or as the `json` output of a module call
    (e.g. modules/lake_access_policy) that is itself one."""
    ref = hcl.reference(expression)
    if _POLICY_DOCUMENT_JSON.fullmatch(ref):
        return True
    match = re.fullmatch(r"module\.(\w+)\.json", ref)
    if not match:
        return False
    target = hcl.call_target(directory, hcl.labelled(config, "module")[match.group(1)])
    target_config = hcl.load_config(target)
    output = hcl.labelled(target_config, "output")["json"]
    return _is_policy_document(target, target_config, output["value"])


def _lake_access_statements(module_name: str, call_name: str, access: str) -> list[dict[str, Any]]:
    """The statements modules/lake_access_policy renders for a call in module_name, after
    checking that the call passes its own lake_* variables under the same names (so the
    statements' ${var.lake_*} mean the caller's values) at the given access level."""
    call = hcl.labelled(hcl.module(module_name), "module")[call_name]
    assert call["source"] == "../lake_access_policy"
    assert call["access"] == access
    for argument in ("lake_bucket_arn", "lake_prefix", "lake_kms_key_arn"):
        assert call[argument] == f"${{var.{argument}}}", f"{module_name}: {argument} miswired"
    policy = hcl.module("lake_access_policy")
    document = hcl.labelled(policy, "data", "aws_iam_policy_document")["this"]
    return list(hcl.statements(document))


def _resolve_list(
    value: Any, config: dict[str, list[Any]], what: str, *, validated_var_ok: bool = False
) -> list[str]:
    """A list attribute, following ${local.x} / ${var.x} (default) within the same config.

    With validated_var_ok, a variable without a default is accepted (as no values) when it
    has a validation block, e.g. principal ARNs checked by a regex at plan time.
    """
    if isinstance(value, list):
        return [str(v) for v in value]
    ref = hcl.reference(value)
    conditional = _CONDITIONAL.fullmatch(ref)
    if conditional:
        return [
            *_resolve_list(f"${{{conditional['then']}}}", config, what),
            *_resolve_list(f"${{{conditional['else']}}}", config, what),
        ]
    if ref.startswith("local."):
        locals_ = hcl.locals_of(config)
        name = ref.removeprefix("local.")
        assert name in locals_, f"{what}: unknown {ref}"
        return _resolve_list(locals_[name], config, what)
    if ref.startswith("var."):
        variables = hcl.labelled(config, "variable")
        name = ref.removeprefix("var.")
        assert name in variables, f"{what}: unknown {ref}"
        if "default" not in variables[name] and validated_var_ok:
            assert variables[name].get("validation"), f"{what}: {ref} is not validated"
            return []
        assert "default" in variables[name], f"{what}: {ref} has no default to check"
        return _resolve_list(variables[name]["default"], config, what)
    raise AssertionError(f"{what}: cannot check the expression {value!r} statically")


def _policy_documents() -> list[tuple[Path, str, dict[str, list[Any]], dict[str, Any]]]:
    documents = []
    for directory in hcl.config_dirs():
        config = hcl.load_config(directory)
        for name, body in hcl.labelled(config, "data", "aws_iam_policy_document").items():
            documents.append((directory, name, config, body))
    return documents


def _key_policy_documents(config: dict[str, list[Any]]) -> set[str]:
    """Names of the policy documents used as KMS key policies in a config."""
    names = set()
    for body in hcl.labelled(config, "resource", "aws_kms_key").values():
        ref = hcl.reference(body.get("policy", ""))
        match = re.fullmatch(r"data\.aws_iam_policy_document\.(\w+)\.json", ref)
        if match:
            names.add(match.group(1))
    return names


# ---------------------------------------------------------------------------
# Outputs: the configuration contract
# ---------------------------------------------------------------------------


def test_both_environments_define_the_same_outputs() -> None:
    assert set(_outputs("dev")) == set(_outputs("prod")) == set(_platform_outputs())
    for env in hcl.ENVIRONMENTS:
        for name, output in _outputs(env).items():
            # Each environment passes the platform's output through under the same name.
            assert output["value"] == f"${{module.platform.{name}}}", f"{env}: {name} is miswired"


@pytest.mark.parametrize("env", hcl.ENVIRONMENTS)
def test_every_contract_output_exists_and_is_wired(env: str) -> None:
    outputs, platform = _outputs(env), _platform_outputs()
    missing = CONTRACT_OUTPUTS - set(outputs)
    assert not missing, f"{env}: contract outputs missing: {sorted(missing)}"
    for name in CONTRACT_OUTPUTS:
        assert outputs[name]["value"] == f"${{module.platform.{name}}}", (
            f"{env}: {name} is miswired"
        )
        assert platform[name]["value"] == CONTRACT_WIRING[name], f"platform: {name} is miswired"
        for where, output in ((env, outputs[name]), ("platform", platform[name])):
            assert output.get("description"), f"{where}: {name} has no description"
            assert not output.get("sensitive", False), f"{where}: {name} must be readable"
    # The platform builds SNOWFLAKE_ACCOUNT and AWS_REGION from the same values the
    # environment configures its providers with.
    config, call = hcl.environment(env), _platform_call(env)
    providers = {name: body for block in config["provider"] for name, body in block.items()}
    for name in ("snowflake_organization_name", "snowflake_account_name", "aws_region"):
        assert call[name] == f"${{var.{name}}}", f"{env}: {name} is miswired"
    assert providers["snowflake"]["organization_name"] == "${var.snowflake_organization_name}"
    assert providers["snowflake"]["account_name"] == "${var.snowflake_account_name}"
    assert providers["aws"]["region"] == "${var.aws_region}"


@pytest.mark.parametrize("env", hcl.ENVIRONMENTS)
def test_no_secret_is_a_terraform_output(env: str) -> None:
    secret = re.compile(r"PRIVATE_KEY|PASSWORD|SECRET|PASSPHRASE", re.IGNORECASE)
    leaking = [name for name in [*_outputs(env), *_platform_outputs()] if secret.search(name)]
    assert not leaking, f"{env}: secrets must not be outputs: {leaking}"
    variables = [
        *hcl.labelled(hcl.environment(env), "variable"),
        *hcl.labelled(hcl.module("platform"), "variable"),
    ]
    private = [v for v in variables if "private" in v]
    assert not private, f"{env}: private keys stay outside Terraform, found variables {private}"


def test_outputs_script_writes_exactly_the_contract() -> None:
    assert set(hcl.load_outputs_script().CONTRACT_VARIABLES) == CONTRACT_OUTPUTS


def test_lake_root_is_bucket_and_prefix() -> None:
    lake_root = hcl.labelled(hcl.module("data_lake"), "output")["lake_root"]["value"]
    assert lake_root == "s3://${aws_s3_bucket.this.id}/${var.lake_prefix}"


# ---------------------------------------------------------------------------
# IAM: no wildcards
# ---------------------------------------------------------------------------


def test_every_policy_comes_from_a_policy_document() -> None:
    checked = 0
    for directory in hcl.config_dirs():
        config = hcl.load_config(directory)
        for type_, attribute in POLICY_ATTRIBUTES.items():
            for name, body in hcl.labelled(config, "resource", type_).items():
                assert attribute in body, f"{directory}: {type_}.{name} has no {attribute}"
                assert _is_policy_document(directory, config, body[attribute]), (
                    f"{directory.name}: {type_}.{name}.{attribute} must reference an "
                    f"aws_iam_policy_document, got {body[attribute]!r}"
                )
                checked += 1
    assert checked >= 8, f"only {checked} policies found; is the walk broken?"


def test_allow_statements_have_no_wildcard_action_or_resource() -> None:
    statements = 0
    for directory, name, config, document in _policy_documents():
        where = f"{directory.relative_to(hcl.TERRAFORM_DIR)}: {name}"
        key_policy = name in _key_policy_documents(config)
        for statement in hcl.statements(document):
            statements += 1
            assert "not_actions" not in statement, f"{where}: NotAction grants by omission"
            assert "not_resources" not in statement, f"{where}: NotResource grants by omission"
            if statement.get("effect", "Allow") != "Allow":
                continue  # a Deny with a wildcard only widens what is refused
            actions = _resolve_list(statement.get("actions", []), config, where)
            assert actions, f"{where}: Allow statement without actions"
            for action in actions:
                assert "*" not in action, f"{where}: wildcard action {action!r}"
            for principal in statement.get("principals", []):
                identifiers = _resolve_list(
                    principal["identifiers"], config, where, validated_var_ok=True
                )
                assert "*" not in identifiers, f"{where}: Allow to any principal"
            if "resources" not in statement:
                continue  # trust policies have no Resource
            for resource in _resolve_list(statement["resources"], config, where):
                if resource == "*" and key_policy:
                    continue  # in a KMS key policy "*" means "this key"
                if "*" in resource:
                    assert _PREFIXED_OBJECT_ARN.match(resource), (
                        f"{where}: wildcard resource {resource!r}; only objects under a "
                        "named prefix (<bucket arn>/<prefix>/*) may end in /*"
                    )
    assert statements >= 15, f"only {statements} statements found; is the walk broken?"


def test_key_policies_delegate_only_to_this_account() -> None:
    kms = hcl.module("kms_key")
    documents = hcl.labelled(kms, "data", "aws_iam_policy_document")
    for name in _key_policy_documents(kms):
        for statement in hcl.statements(documents[name]):
            for principal in statement["principals"]:
                assert principal["type"] == "AWS"
                for identifier in principal["identifiers"]:
                    assert identifier.endswith(":root"), identifier
                    assert "data.aws_caller_identity.current.account_id" in identifier


def test_runtime_role_reaches_only_the_lake_prefix_and_the_topic() -> None:
    config = hcl.module("dagster_runtime_iam")
    runtime = hcl.labelled(config, "data", "aws_iam_policy_document")["runtime"]
    # Its lake statements come from modules/lake_access_policy, merged in as a source document.
    assert runtime["source_policy_documents"] == ["${module.lake_access.json}"]
    statements = [
        *hcl.statements(runtime),
        *_lake_access_statements("dagster_runtime_iam", "lake_access", "read_write"),
    ]
    resources = set()
    for statement in statements:
        resources.update(statement["resources"])
        if "s3:ListBucket" in statement["actions"]:
            (condition,) = statement["condition"]
            assert condition["variable"] == "s3:prefix"
            assert all(v.startswith("${var.lake_prefix}") for v in condition["values"])
    assert resources == {
        "${var.lake_bucket_arn}",
        "${var.lake_bucket_arn}/${var.lake_prefix}/*",
        "${var.lake_kms_key_arn}",
        "${var.alerts_topic_arn}",
        "${var.alerts_kms_key_arn}",
    }


def test_alert_topic_policy_allows_only_the_runtime_role_to_publish() -> None:
    alerts = hcl.module("alerts")
    topic = hcl.labelled(alerts, "data", "aws_iam_policy_document")["topic"]
    by_effect = {s["effect"]: s for s in hcl.statements(topic)}
    assert by_effect["Allow"]["actions"] == ["sns:Publish"]
    assert by_effect["Allow"]["principals"][0]["identifiers"] == "${var.publisher_role_arns}"
    deny = by_effect["Deny"]
    assert deny["actions"] == ["sns:Publish"]
    assert deny["condition"][0]["test"] == "ArnNotEquals"
    assert deny["condition"][0]["values"] == "${var.publisher_role_arns}"
    call = hcl.labelled(hcl.module("platform"), "module")["alerts"]
    assert call["publisher_role_arns"] == ["${module.dagster_runtime_iam.role_arn}"]
    for env in hcl.ENVIRONMENTS:
        _platform_call(env)  # both environments get exactly this wiring


def test_snowflake_role_only_reads_the_lake_prefix() -> None:
    statements = _lake_access_statements("snowflake", "lake_read", "read")
    config = hcl.module("snowflake")
    policy = hcl.labelled(config, "resource", "aws_iam_policy")["snowflake_lake_read"]
    assert policy["policy"] == "${module.lake_read.json}"
    attachment = hcl.labelled(config, "resource", "aws_iam_role_policy_attachment")
    assert attachment["snowflake_lake_read"]["role"] == "${aws_iam_role.snowflake.name}"
    # At access = "read" every statement resolves to its read-only actions.
    locals_ = hcl.locals_of(hcl.module("lake_access_policy"))
    actions = []
    for statement in statements:
        conditional = _CONDITIONAL.fullmatch(hcl.reference(statement["actions"]))
        if conditional:
            assert conditional["condition"] == 'var.access == "read_write"'
            actions += locals_[conditional["else"].removeprefix("local.")]
        else:
            actions += statement["actions"]
    assert actions
    writes = [a for a in actions if not re.match(r"(s3|kms):(Get|List|Decrypt)", a)]
    assert not writes, f"Snowflake's role must only read the lake, got {writes}"


def test_snowflake_trust_is_bound_to_the_integration_and_external_id() -> None:
    config = hcl.module("snowflake")
    trust = hcl.labelled(config, "data", "aws_iam_policy_document")["snowflake_trust"]
    (statement,) = list(hcl.statements(trust))
    assert statement["principals"][0]["identifiers"] == [
        "${snowflake_storage_integration.lake.storage_aws_iam_user_arn}"
    ]
    (condition,) = statement["condition"]
    assert (condition["test"], condition["variable"]) == ("StringEquals", "sts:ExternalId")
    assert condition["values"] == ["${snowflake_storage_integration.lake.storage_aws_external_id}"]
    role = hcl.labelled(config, "resource", "aws_iam_role")["snowflake"]
    assert role["assume_role_policy"] == "${data.aws_iam_policy_document.snowflake_trust.json}"


# ---------------------------------------------------------------------------
# Encryption and bucket hardening
# ---------------------------------------------------------------------------


def _for_bucket(config: dict[str, list[Any]], type_: str, bucket: str) -> dict[str, Any]:
    """The one resource of type_ for aws_s3_bucket.<bucket>: bucket = its id, or a for_each
    over a local map of bucket ids that includes it (bucket = each.value)."""
    target = f"${{aws_s3_bucket.{bucket}.id}}"
    matches = []
    for body in hcl.labelled(config, "resource", type_).values():
        if body.get("bucket") == target:
            matches.append(body)
        elif body.get("bucket") == "${each.value}":
            ref = hcl.reference(body["for_each"])
            assert ref.startswith("local."), f"{type_}: cannot check for_each {ref!r} statically"
            if target in hcl.locals_of(config)[ref.removeprefix("local.")].values():
                matches.append(body)
    assert len(matches) == 1, f"aws_s3_bucket.{bucket}: expected one {type_}, got {len(matches)}"
    return matches[0]


def test_buckets_are_encrypted_versioned_private_and_tls_only() -> None:
    config = hcl.module("data_lake")
    buckets = hcl.labelled(config, "resource", "aws_s3_bucket")
    assert set(buckets) == {"this", "logs"}
    log_targets = {
        hcl.reference(b["target_bucket"])
        for b in hcl.labelled(config, "resource", "aws_s3_bucket_logging").values()
    }
    documents = hcl.labelled(config, "data", "aws_iam_policy_document")
    for bucket in buckets:
        sse = _for_bucket(config, "aws_s3_bucket_server_side_encryption_configuration", bucket)
        default = hcl.single(hcl.single(sse["rule"])["apply_server_side_encryption_by_default"])
        if f"aws_s3_bucket.{bucket}.id" in log_targets:
            # S3 server access log delivery supports only SSE-S3 on the target bucket.
            assert default["sse_algorithm"] == "AES256"
        else:
            assert default["sse_algorithm"] == "aws:kms"
            assert default["kms_master_key_id"] == "${module.kms_key.key_arn}"
            _for_bucket(config, "aws_s3_bucket_logging", bucket)

        versioning = _for_bucket(config, "aws_s3_bucket_versioning", bucket)
        assert hcl.single(versioning["versioning_configuration"])["status"] == "Enabled"

        block = _for_bucket(config, "aws_s3_bucket_public_access_block", bucket)
        for flag in (
            "block_public_acls",
            "block_public_policy",
            "ignore_public_acls",
            "restrict_public_buckets",
        ):
            assert block[flag] is True, f"aws_s3_bucket.{bucket}: {flag} is not true"

        ownership = _for_bucket(config, "aws_s3_bucket_ownership_controls", bucket)
        assert hcl.single(ownership["rule"])["object_ownership"] == "BucketOwnerEnforced"

        policy = _for_bucket(config, "aws_s3_bucket_policy", bucket)
        document = documents[hcl.reference(policy["policy"]).split(".")[2]]
        tls_denies = [
            s
            for s in hcl.statements(document)
            if s.get("effect") == "Deny"
            and any(
                c["variable"] == "aws:SecureTransport" and c["values"] == ["false"]
                for c in s.get("condition", [])
            )
        ]
        assert tls_denies, f"aws_s3_bucket.{bucket}: no TLS-only Deny"

        _for_bucket(config, "aws_s3_bucket_lifecycle_configuration", bucket)


def test_lake_lifecycle_expires_old_versions_and_cools_raw_assets() -> None:
    config = hcl.module("data_lake")
    lifecycle = _for_bucket(config, "aws_s3_bucket_lifecycle_configuration", "this")
    (old_versions,) = lifecycle["rule"]
    assert old_versions["noncurrent_version_expiration"]
    assert old_versions["abort_incomplete_multipart_upload"]
    (raw,) = [d["rule"] for d in lifecycle["dynamic"] if "rule" in d]
    assert raw["for_each"] == "${toset(var.raw_asset_prefixes)}"
    assert hcl.single(raw["content"])["filter"][0]["prefix"] == "${var.lake_prefix}/${rule.value}/"
    # "Raw" = the assets the warehouse loads as-is, i.e. the LOADING schema.
    loading_assets = {a for a, schema in WAREHOUSE_SCHEMAS.items() if schema == "LOADING"}
    default = hcl.labelled(config, "variable")["raw_asset_prefixes"]["default"]
    assert set(default) == loading_assets


def test_sns_topic_is_encrypted_with_a_customer_managed_key() -> None:
    alerts = hcl.module("alerts")
    (topic,) = hcl.labelled(alerts, "resource", "aws_sns_topic").values()
    assert topic["kms_master_key_id"] == "${module.kms_key.key_arn}"
    assert hcl.labelled(alerts, "module")["kms_key"]["source"] == "../kms_key"


def test_kms_keys_rotate() -> None:
    (key,) = hcl.labelled(hcl.module("kms_key"), "resource", "aws_kms_key").values()
    assert key["enable_key_rotation"] is True


# ---------------------------------------------------------------------------
# Snowflake
# ---------------------------------------------------------------------------


def test_snowflake_schemas_are_exactly_the_ones_the_python_code_writes_to() -> None:
    config = hcl.module("snowflake")
    names = hcl.locals_of(config)["schema_names"]
    assert len(names) == len(set(names))
    assert set(names) == set(warehouse_schema_names()) == {"LOADING", "STAGING", "WORKING"}
    schemas = hcl.labelled(config, "resource", "snowflake_schema")
    assert list(schemas) == ["this"]
    assert schemas["this"]["for_each"] == "${toset(local.schema_names)}"
    # No other configuration creates schemas of its own.
    for directory in hcl.config_dirs():
        if directory.name != "snowflake":
            found = hcl.labelled(hcl.load_config(directory), "resource", "snowflake_schema")
            assert not found, f"{directory}: unexpected snowflake_schema {sorted(found)}"


def test_warehouse_is_xsmall_and_suspends_within_a_minute() -> None:
    config = hcl.module("snowflake")
    (warehouse,) = hcl.labelled(config, "resource", "snowflake_warehouse").values()
    assert warehouse["warehouse_size"] == "XSMALL"
    assert warehouse["auto_resume"] == "true"
    assert warehouse["initially_suspended"] is True
    assert warehouse["auto_suspend"] == "${var.warehouse_auto_suspend_seconds}"
    variable = hcl.labelled(config, "variable")["warehouse_auto_suspend_seconds"]
    assert 0 < variable["default"] <= 60
    assert "var.warehouse_auto_suspend_seconds <= 60" in variable["validation"][0]["condition"]
    platform, setting = hcl.module("platform"), "snowflake_warehouse_auto_suspend_seconds"
    call = hcl.labelled(platform, "module")["snowflake"]
    assert call["warehouse_auto_suspend_seconds"] == f"${{var.{setting}}}"
    default = hcl.labelled(platform, "variable")[setting]["default"]
    assert 0 < default <= 60
    for env in hcl.ENVIRONMENTS:
        assert 0 < _platform_call(env).get(setting, default) <= 60


def test_dagster_user_is_key_pair_only_and_gets_the_role() -> None:
    config = hcl.module("snowflake")
    (user,) = hcl.labelled(config, "resource", "snowflake_service_user").values()
    assert "password" not in user
    assert user["rsa_public_key"] == "${local.dagster_public_key}"
    assert not hcl.labelled(config, "resource", "snowflake_user"), "use a service user"
    grants = hcl.labelled(config, "resource", "snowflake_grant_account_role")
    assert any(
        g.get("user_name") == "${snowflake_service_user.dagster.name}" for g in grants.values()
    )


def test_dagster_role_has_no_account_wide_or_ownership_grants() -> None:
    config = hcl.module("snowflake")
    grants = hcl.labelled(config, "resource", "snowflake_grant_privileges_to_account_role")
    assert grants
    for name, grant in grants.items():
        assert grant["account_role_name"] == "${snowflake_account_role.dagster.name}"
        assert "on_account" not in grant, f"{name}: account-level grant"
        assert "all_privileges" not in grant, f"{name}: ALL PRIVILEGES"
        assert not {"OWNERSHIP", "ALL"} & set(grant["privileges"]), name
    assert not hcl.labelled(config, "resource", "snowflake_grant_ownership")


def test_external_stage_points_at_the_lake_root_through_the_integration() -> None:
    config = hcl.module("snowflake")
    locals_ = hcl.locals_of(config)
    assert locals_["lake_url"] == "s3://${var.lake_bucket_name}/${var.lake_prefix}/"
    (stage,) = hcl.labelled(config, "resource", "snowflake_stage").values()
    assert stage["url"] == "${local.lake_url}"
    assert stage["storage_integration"] == "${snowflake_storage_integration.lake.name}"
    (integration,) = hcl.labelled(config, "resource", "snowflake_storage_integration").values()
    assert integration["storage_allowed_locations"] == ["${local.lake_url}"]


def test_runtime_role_may_copy_from_the_lake_stage_and_create_only_tables() -> None:
    config = hcl.module("snowflake")
    grants = hcl.labelled(config, "resource", "snowflake_grant_privileges_to_account_role")
    # COPY from an external stage: USAGE on the stage (its schema and database: USAGE too).
    assert grants["lake_stage_usage"]["privileges"] == ["USAGE"]
    assert grants["lake_stage_usage"]["on_schema_object"] == [
        {"object_type": "STAGE", "object_name": "${snowflake_stage.lake.fully_qualified_name}"}
    ]
    assert grants["schema"]["privileges"] == ["USAGE", "CREATE TABLE"]  # no CREATE STAGE
    # SNOWFLAKE_LAKE_STAGE names that stage as DATABASE.SCHEMA.STAGE.
    lake = "${snowflake_stage.lake"
    stage = f"{lake}.database}}.{lake}.schema}}.{lake}.name}}"
    assert hcl.labelled(config, "output")["lake_stage"]["value"] == stage


# ---------------------------------------------------------------------------
# Environments: state, pins, parity, naming
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("env", hcl.ENVIRONMENTS)
def test_state_is_remote_in_s3_with_locking(env: str) -> None:
    (terraform,) = hcl.environment(env)["terraform"]
    (backend,) = terraform["backend"]
    assert list(backend) == ["s3"]
    s3 = backend["s3"]
    assert s3.get("use_lockfile") is True or s3.get("dynamodb_table"), "no state locking"
    assert s3["encrypt"] is True
    assert s3["key"] == f"crypto-assets/{env}/terraform.tfstate"


def test_environments_pin_the_same_providers_and_terraform() -> None:
    (dev,) = hcl.environment("dev")["terraform"]
    (prod,) = hcl.environment("prod")["terraform"]
    assert dev["required_version"] == prod["required_version"]
    assert dev["required_providers"] == prod["required_providers"]
    providers = hcl.single(dev["required_providers"])
    assert providers["aws"]["source"] == "hashicorp/aws"
    assert providers["snowflake"]["source"] == "snowflakedb/snowflake"
    for name, provider in providers.items():
        assert re.fullmatch(r"~> \d+\.\d+", provider["version"]), f"{name}: pin with ~> X.Y"


def test_environments_have_the_same_shape() -> None:
    dev, prod = hcl.environment("dev"), hcl.environment("prod")
    assert set(hcl.labelled(dev, "variable")) == set(hcl.labelled(prod, "variable"))
    dev_modules, prod_modules = hcl.labelled(dev, "module"), hcl.labelled(prod, "module")
    assert {k: v["source"] for k, v in dev_modules.items()} == {
        k: v["source"] for k, v in prod_modules.items()
    }
    for name in dev_modules:
        assert set(dev_modules[name]) == set(prod_modules[name]), f"module {name} differs"


@pytest.mark.parametrize("env", hcl.ENVIRONMENTS)
def test_naming_follows_the_convention(env: str) -> None:
    config = hcl.environment(env)
    locals_ = hcl.locals_of(config)
    assert locals_["environment"] == env
    assert locals_["project"] == "crypto-assets"  # kebab-case AWS names: project-env-resource
    call = _platform_call(env)
    assert call["project"] == "${local.project}"
    assert call["environment"] == "${local.environment}"
    platform_locals = hcl.locals_of(hcl.module("platform"))
    assert platform_locals["name_prefix"] == "${var.project}-${var.environment}"
    assert platform_locals["snowflake_prefix"] == '${upper(replace(local.name_prefix, "-", "_"))}'
    variables = hcl.labelled(config, "variable")
    for name, variable in variables.items():
        assert re.fullmatch(r"[a-z][a-z0-9_]*", name), f"variable {name} is not snake_case"
        assert variable.get("description"), f"variable {name} has no description"
    # Validated in the root, or by the module(s) it is passed to (platform -> alerts, ...).
    directory = hcl.environment_dir(env)
    undefended = [n for n in variables if not _validated(directory, n)]
    assert not undefended, f"variables without validation: {undefended}"


@pytest.mark.parametrize("env", hcl.ENVIRONMENTS)
def test_environment_is_a_thin_root(env: str) -> None:
    config = hcl.environment(env)
    _platform_call(env)
    assert not config.get("resource"), f"{env}: resources belong in modules/platform"
    assert not config.get("data"), f"{env}: data sources belong in modules/platform"


def test_environment_settings_stay_within_their_guards() -> None:
    dev, prod = _platform_call("dev"), _platform_call("prod")
    # The credit caps the environments' quota variables used to enforce.
    assert 0 <= dev["snowflake_monthly_credit_quota"] <= 200
    assert 0 <= prod["snowflake_monthly_credit_quota"] <= 1000
    # prod data survives a stray destroy (terraform/README.md, "Teardown").
    assert prod["force_destroy"] is False
    # Every platform variable without a default is stated by both environments.
    required = {
        name
        for name, variable in hcl.labelled(hcl.module("platform"), "variable").items()
        if "default" not in variable
    }
    for env, call in (("dev", dev), ("prod", prod)):
        missing = required - set(call)
        assert not missing, f"{env}: platform settings missing: {sorted(missing)}"


def test_terraform_names_are_snake_case() -> None:
    snake = re.compile(r"[a-z][a-z0-9_]*")
    for directory in hcl.config_dirs():
        config = hcl.load_config(directory)
        names = [
            *hcl.labelled(config, "variable"),
            *hcl.labelled(config, "module"),
            *hcl.locals_of(config),
            *(n for block in config.get("resource", []) for b in block.values() for n in b),
            *(n for block in config.get("data", []) for b in block.values() for n in b),
        ]
        names += [n for n in hcl.labelled(config, "output") if n not in CONTRACT_OUTPUTS]
        bad = [n for n in names if not snake.fullmatch(n)]
        assert not bad, f"{directory}: not snake_case: {bad}"


# ---------------------------------------------------------------------------
# Formatting and scanner hygiene
# ---------------------------------------------------------------------------


def test_every_checkov_skip_gives_a_reason() -> None:
    skip = re.compile(r"checkov:skip=([A-Z0-9_]+)(?::(.*))?")
    found = 0
    for path in hcl.TERRAFORM_DIR.rglob("*.tf"):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            match = skip.search(line)
            if match:
                found += 1
                reason = (match.group(2) or "").strip()
                assert len(reason) >= 30, f"{path}:{number}: {match.group(1)} needs a real reason"
    assert found, "expected the documented skips (e.g. CKV_AWS_145 on the log bucket)"


def test_terraform_files_are_formatted() -> None:
    terraform = shutil.which("terraform")
    if terraform is None:
        pytest.skip("terraform binary not on PATH")
    result = subprocess.run(
        [terraform, "fmt", "-check", "-recursive", "-diff", str(hcl.TERRAFORM_DIR)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, f"run `terraform fmt -recursive terraform`:\n{result.stdout}"
