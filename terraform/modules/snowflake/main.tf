# Snowflake for the platform: the database with exactly the schemas the Python code
# writes to (crypto_assets/storage/layout.py: LOADING, STAGING, WORKING), an X-SMALL
# warehouse that suspends after at most 60 s, a role with the least grants the Dagster
# IO managers need, a key-pair service user, and a storage integration + external
# stage on the lake with the AWS role Snowflake assumes (trust bound to an external id).

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 6.0"
    }
    snowflake = {
      source  = "snowflakedb/snowflake"
      version = ">= 2.10"
    }
  }
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  # The schemas the platform writes to; keep in step with WAREHOUSE_SCHEMAS in
  # crypto_assets/storage/layout.py (crypto_assets_tests/terraform checks it).
  schema_names = ["LOADING", "STAGING", "WORKING"]

  database_name    = var.object_prefix
  warehouse_name   = "${var.object_prefix}_WH"
  role_name        = "${var.object_prefix}_DAGSTER"
  user_name        = "${var.object_prefix}_DAGSTER"
  integration_name = "${var.object_prefix}_LAKE"
  monitor_name     = "${var.object_prefix}_MONITOR"
  stage_name       = "LAKE"

  lake_url = "s3://${var.lake_bucket_name}/${var.lake_prefix}/"

  # Built from its name so the integration can name the role before it exists
  # (the role's trust policy needs the integration's IAM user in turn).
  snowflake_aws_role_name = "${var.name_prefix}-snowflake-lake"
  snowflake_aws_role_arn  = "arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:role/${local.snowflake_aws_role_name}"

  # Snowflake wants the public key body on one line, without the PEM armour.
  dagster_public_key = join("", regexall("[A-Za-z0-9+/=]+", replace(replace(var.dagster_public_key, "-----BEGIN PUBLIC KEY-----", ""), "-----END PUBLIC KEY-----", "")))
}

# ---------------------------------------------------------------------------
# Database, schemas, warehouse
# ---------------------------------------------------------------------------

resource "snowflake_database" "this" {
  name                        = local.database_name
  comment                     = "crypto_assets ${var.environment}: per-coin mention counts and sentiment. Managed by Terraform."
  data_retention_time_in_days = var.data_retention_time_in_days
}

resource "snowflake_schema" "this" {
  for_each = toset(local.schema_names)

  database            = snowflake_database.this.name
  name                = each.value
  with_managed_access = "true"
  comment             = "crypto_assets ${each.value} layer. Managed by Terraform."
}

resource "snowflake_resource_monitor" "this" {
  count = var.monthly_credit_quota > 0 ? 1 : 0

  # Without frequency/start_timestamp Snowflake resets the quota monthly from creation.
  name         = local.monitor_name
  credit_quota = var.monthly_credit_quota

  notify_triggers           = [75, 90]
  suspend_trigger           = 100
  suspend_immediate_trigger = 110
}

resource "snowflake_warehouse" "this" {
  name                         = local.warehouse_name
  comment                      = "crypto_assets ${var.environment} loads and queries. Managed by Terraform."
  warehouse_size               = "XSMALL"
  auto_suspend                 = var.warehouse_auto_suspend_seconds
  auto_resume                  = "true"
  initially_suspended          = true
  statement_timeout_in_seconds = var.statement_timeout_in_seconds
  resource_monitor             = var.monthly_credit_quota > 0 ? snowflake_resource_monitor.this[0].fully_qualified_name : null
}

# ---------------------------------------------------------------------------
# Role, grants, service user
# ---------------------------------------------------------------------------

resource "snowflake_account_role" "dagster" {
  name    = local.role_name
  comment = "crypto_assets ${var.environment} Dagster runtime. Managed by Terraform."
}

# Role hierarchy: SYSADMIN can manage what the Dagster role creates.
resource "snowflake_grant_account_role" "dagster_to_sysadmin" {
  role_name        = snowflake_account_role.dagster.name
  parent_role_name = "SYSADMIN"
}

resource "snowflake_grant_privileges_to_account_role" "database_usage" {
  account_role_name = snowflake_account_role.dagster.name
  privileges        = ["USAGE"]

  on_account_object {
    object_type = "DATABASE"
    object_name = snowflake_database.this.name
  }
}

# The warehouse writer creates one table per asset (the role owns it) and loads it with
# COPY INTO from the lake stage below (inline file format): it needs no CREATE STAGE or
# CREATE FILE FORMAT, and as the tables' owner it may INSERT and DELETE.
resource "snowflake_grant_privileges_to_account_role" "schema" {
  for_each = snowflake_schema.this

  account_role_name = snowflake_account_role.dagster.name
  privileges        = ["USAGE", "CREATE TABLE"]

  on_schema {
    schema_name = each.value.fully_qualified_name
  }
}

resource "snowflake_grant_privileges_to_account_role" "warehouse_usage" {
  account_role_name = snowflake_account_role.dagster.name
  privileges        = ["USAGE"]

  on_account_object {
    object_type = "WAREHOUSE"
    object_name = snowflake_warehouse.this.name
  }
}

# COPY from an external stage needs USAGE on the stage (and on its schema and database,
# granted above), not on the storage integration: that is needed only to create the stage.
# Reading the files is the integration's AWS role's business (aws_iam_role.snowflake).
resource "snowflake_grant_privileges_to_account_role" "lake_stage_usage" {
  account_role_name = snowflake_account_role.dagster.name
  privileges        = ["USAGE"]

  on_schema_object {
    object_type = "STAGE"
    object_name = snowflake_stage.lake.fully_qualified_name
  }
}

resource "snowflake_service_user" "dagster" {
  name    = local.user_name
  comment = "crypto_assets ${var.environment} Dagster runtime (key-pair auth only). Managed by Terraform."

  default_role                   = snowflake_account_role.dagster.name
  default_warehouse              = snowflake_warehouse.this.name
  default_namespace              = snowflake_database.this.name
  default_secondary_roles_option = "NONE"
  timezone                       = "UTC"

  # Generated outside Terraform; the private key never enters Terraform state.
  rsa_public_key = local.dagster_public_key
}

resource "snowflake_grant_account_role" "dagster_to_user" {
  role_name = snowflake_account_role.dagster.name
  user_name = snowflake_service_user.dagster.name
}

# ---------------------------------------------------------------------------
# Storage integration, the AWS role Snowflake assumes, external stage
# ---------------------------------------------------------------------------

resource "snowflake_storage_integration" "lake" {
  name    = local.integration_name
  comment = "Read access to ${local.lake_url}. Managed by Terraform."
  type    = "EXTERNAL_STAGE"
  enabled = true

  storage_provider          = "S3"
  storage_allowed_locations = [local.lake_url]
  storage_aws_role_arn      = local.snowflake_aws_role_arn
}

# Only this Snowflake account's IAM user may assume the role, and only while presenting
# this integration's external id (confused-deputy protection).
data "aws_iam_policy_document" "snowflake_trust" {
  statement {
    sid     = "SnowflakeStorageIntegration"
    effect  = "Allow"
    actions = ["sts:AssumeRole"]

    principals {
      type        = "AWS"
      identifiers = [snowflake_storage_integration.lake.storage_aws_iam_user_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "sts:ExternalId"
      values   = [snowflake_storage_integration.lake.storage_aws_external_id]
    }
  }
}

resource "aws_iam_role" "snowflake" {
  name                 = local.snowflake_aws_role_name
  description          = "Assumed by Snowflake storage integration ${local.integration_name}: read-only on the lake prefix."
  assume_role_policy   = data.aws_iam_policy_document.snowflake_trust.json
  max_session_duration = 3600
}

# Read-only on the lake prefix: the same lake statements the Dagster runtime role gets,
# at the read level (modules/lake_access_policy).
module "lake_read" {
  source = "../lake_access_policy"

  access           = "read"
  lake_bucket_arn  = var.lake_bucket_arn
  lake_prefix      = var.lake_prefix
  lake_kms_key_arn = var.lake_kms_key_arn
}

resource "aws_iam_policy" "snowflake_lake_read" {
  name        = "${var.name_prefix}-snowflake-lake-read"
  description = "Snowflake storage integration ${local.integration_name}: read-only on the lake prefix."
  policy      = module.lake_read.json
}

resource "aws_iam_role_policy_attachment" "snowflake_lake_read" {
  role       = aws_iam_role.snowflake.name
  policy_arn = aws_iam_policy.snowflake_lake_read.arn
}

resource "snowflake_stage" "lake" {
  name                = local.stage_name
  database            = snowflake_database.this.name
  schema              = snowflake_schema.this[var.lake_stage_schema].name
  url                 = local.lake_url
  storage_integration = snowflake_storage_integration.lake.name
  file_format         = "TYPE = PARQUET"
  comment             = "The Parquet lake (hive-style <asset>/timestamp=.../part-0.parquet). Managed by Terraform."

  depends_on = [aws_iam_role_policy_attachment.snowflake_lake_read]
}
