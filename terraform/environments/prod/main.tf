locals {
  project     = "crypto-assets"
  environment = "prod"

  # Naming convention: kebab-case AWS names project-env-resource, UPPER_SNAKE Snowflake names.
  name_prefix      = "${local.project}-${local.environment}"
  snowflake_prefix = upper(replace(local.name_prefix, "-", "_"))
}

module "data_lake" {
  source = "../../modules/data_lake"

  name_prefix                        = local.name_prefix
  lake_prefix                        = var.lake_prefix
  raw_transition_days                = 30
  raw_expiration_days                = var.raw_expiration_days
  noncurrent_version_expiration_days = 30
  noncurrent_versions_to_keep        = 3
  access_log_retention_days          = 365
  kms_deletion_window_days           = 30
  force_destroy                      = false # prod data survives a stray destroy
}

module "alerts" {
  source = "../../modules/alerts"

  name_prefix              = local.name_prefix
  display_name             = "crypto_assets alerts"
  publisher_role_arns      = [module.dagster_runtime_iam.role_arn]
  email_addresses          = var.alert_email_addresses
  kms_deletion_window_days = 30
}

module "dagster_runtime_iam" {
  source = "../../modules/dagster_runtime_iam"

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
  source = "../../modules/snowflake"

  environment                    = local.environment
  name_prefix                    = local.name_prefix
  object_prefix                  = local.snowflake_prefix
  lake_bucket_name               = module.data_lake.bucket_name
  lake_bucket_arn                = module.data_lake.bucket_arn
  lake_prefix                    = module.data_lake.lake_prefix
  lake_kms_key_arn               = module.data_lake.kms_key_arn
  dagster_public_key             = var.snowflake_dagster_public_key
  warehouse_auto_suspend_seconds = 60
  monthly_credit_quota           = var.snowflake_monthly_credit_quota
  data_retention_time_in_days    = 7
}
