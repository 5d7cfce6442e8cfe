# The whole platform of one environment, composed once: the lake bucket with its log bucket
# (data_lake), the alert topic (alerts), the Dagster runtime role (dagster_runtime_iam) and
# Snowflake with the AWS role it reads the lake through (snowflake); data_lake and alerts
# bring their own rotating KMS keys (kms_key). terraform/environments/<env> configure the
# providers and the state backend and call this module once with the environment's
# settings; its UPPER_SNAKE outputs are the configuration contract (the environment variables).

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

locals {
  # Naming convention: kebab-case AWS names project-env-resource, UPPER_SNAKE Snowflake names.
  name_prefix      = "${var.project}-${var.environment}"
  snowflake_prefix = upper(replace(local.name_prefix, "-", "_"))
}

module "data_lake" {
  source = "../data_lake"

  name_prefix                        = local.name_prefix
  lake_prefix                        = var.lake_prefix
  raw_expiration_days                = var.raw_expiration_days
  noncurrent_version_expiration_days = var.noncurrent_version_expiration_days
  noncurrent_versions_to_keep        = var.noncurrent_versions_to_keep
  access_log_retention_days          = var.access_log_retention_days
  kms_deletion_window_days           = var.kms_deletion_window_days
  force_destroy                      = var.force_destroy
}

module "alerts" {
  source = "../alerts"

  name_prefix              = local.name_prefix
  display_name             = var.alerts_display_name
  publisher_role_arns      = [module.dagster_runtime_iam.role_arn]
  email_addresses          = var.alert_email_addresses
  kms_deletion_window_days = var.kms_deletion_window_days
}

module "dagster_runtime_iam" {
  source = "../dagster_runtime_iam"

  name_prefix            = local.name_prefix
  lake_bucket_arn        = module.data_lake.bucket_arn
  lake_prefix            = module.data_lake.lake_prefix
  lake_kms_key_arn       = module.data_lake.kms_key_arn
  alerts_topic_arn       = module.alerts.topic_arn
  alerts_kms_key_arn     = module.alerts.kms_key_arn
  trusted_services       = var.dagster_trusted_services
  trusted_principal_arns = var.dagster_trusted_principal_arns
}

module "snowflake" {
  source = "../snowflake"

  environment                    = var.environment
  name_prefix                    = local.name_prefix
  object_prefix                  = local.snowflake_prefix
  lake_bucket_name               = module.data_lake.bucket_name
  lake_bucket_arn                = module.data_lake.bucket_arn
  lake_prefix                    = module.data_lake.lake_prefix
  lake_kms_key_arn               = module.data_lake.kms_key_arn
  dagster_public_key             = var.snowflake_dagster_public_key
  warehouse_auto_suspend_seconds = var.snowflake_warehouse_auto_suspend_seconds
  monthly_credit_quota           = var.snowflake_monthly_credit_quota
  data_retention_time_in_days    = var.snowflake_data_retention_days
}
