# crypto_assets prod: the platform (terraform/modules/platform) with prod's settings.
# versions.tf pins Terraform and the providers and holds the state backend, providers.tf
# configures the providers, variables.tf is what the operator supplies, outputs.tf passes
# the platform's outputs (the configuration contract) through.

locals {
  project     = "crypto-assets"
  environment = "prod"
}

module "platform" {
  source = "../../modules/platform"

  project     = local.project
  environment = local.environment

  # prod keeps raw data and more history, and its buckets survive a stray destroy
  # (force_destroy = false; see terraform/README.md, "Teardown").
  raw_expiration_days                = 0
  noncurrent_version_expiration_days = 30
  noncurrent_versions_to_keep        = 3
  access_log_retention_days          = 365
  kms_deletion_window_days           = 30
  force_destroy                      = false
  alerts_display_name                = "crypto_assets alerts"
  snowflake_monthly_credit_quota     = 120
  snowflake_data_retention_days      = 7

  aws_region                     = var.aws_region
  alert_email_addresses          = var.alert_email_addresses
  dagster_trusted_principal_arns = var.dagster_trusted_principal_arns
  snowflake_organization_name    = var.snowflake_organization_name
  snowflake_account_name         = var.snowflake_account_name
  snowflake_dagster_public_key   = var.snowflake_dagster_public_key
}
