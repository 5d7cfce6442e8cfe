# crypto_assets dev: the platform (terraform/modules/platform) with dev's settings.
# versions.tf pins Terraform and the providers and holds the state backend, providers.tf
# configures the providers, variables.tf is what the operator supplies, outputs.tf passes
# the platform's outputs (the configuration contract) through.

locals {
  project     = "crypto-assets"
  environment = "dev"
}

module "platform" {
  source = "../../modules/platform"

  project     = local.project
  environment = local.environment

  # dev is disposable: short retention, a small credit quota, and `terraform destroy` takes
  # the buckets' data with it.
  raw_expiration_days                = 90
  noncurrent_version_expiration_days = 7
  noncurrent_versions_to_keep        = 1
  access_log_retention_days          = 30
  kms_deletion_window_days           = 7
  force_destroy                      = true
  alerts_display_name                = "crypto_assets dev alerts"
  snowflake_monthly_credit_quota     = 30
  snowflake_data_retention_days      = 1

  aws_region                     = var.aws_region
  alert_email_addresses          = var.alert_email_addresses
  dagster_trusted_principal_arns = var.dagster_trusted_principal_arns
  snowflake_organization_name    = var.snowflake_organization_name
  snowflake_account_name         = var.snowflake_account_name
  snowflake_dagster_public_key   = var.snowflake_dagster_public_key
}
