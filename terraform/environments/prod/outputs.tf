# The platform module's outputs, passed through under the same names (what each holds:
# terraform/modules/platform/outputs.tf). The UPPER_SNAKE ones are the configuration
# contract (README, Configuration): scripts/terraform_outputs_to_env.py writes them into
# the .env the runtime reads. Secrets (SNOWFLAKE_PRIVATE_KEY) are never outputs.

output "CRYPTO_LAKE_ROOT" {
  description = "Lake root of the platform: s3://bucket/prefix."
  value       = module.platform.CRYPTO_LAKE_ROOT
}

output "CRYPTO_WAREHOUSE" {
  description = "Warehouse backend of the platform in the cloud."
  value       = module.platform.CRYPTO_WAREHOUSE
}

output "CRYPTO_ALERTS_SNS_TOPIC_ARN" {
  description = "SNS topic the platform publishes alerts to."
  value       = module.platform.CRYPTO_ALERTS_SNS_TOPIC_ARN
}

output "SNOWFLAKE_ACCOUNT" {
  description = "Snowflake account identifier <org>-<account> for the Python connector."
  value       = module.platform.SNOWFLAKE_ACCOUNT
}

output "SNOWFLAKE_USER" {
  description = "Snowflake service user of the Dagster runtime (key-pair auth)."
  value       = module.platform.SNOWFLAKE_USER
}

output "SNOWFLAKE_ROLE" {
  description = "Snowflake role of the Dagster runtime."
  value       = module.platform.SNOWFLAKE_ROLE
}

output "SNOWFLAKE_WAREHOUSE" {
  description = "Snowflake warehouse of the Dagster runtime."
  value       = module.platform.SNOWFLAKE_WAREHOUSE
}

output "SNOWFLAKE_DATABASE" {
  description = "Snowflake database holding the LOADING, STAGING and WORKING schemas."
  value       = module.platform.SNOWFLAKE_DATABASE
}

output "SNOWFLAKE_LAKE_STAGE" {
  description = "External stage on the lake root (DATABASE.SCHEMA.STAGE); the warehouse COPYs lake files from it."
  value       = module.platform.SNOWFLAKE_LAKE_STAGE
}

output "AWS_REGION" {
  description = "AWS region of the lake and the alert topic."
  value       = module.platform.AWS_REGION
}

output "AWS_DEFAULT_REGION" {
  description = "The same region under the name boto3/botocore read."
  value       = module.platform.AWS_DEFAULT_REGION
}

# Informational outputs (not written to .env).

output "dagster_runtime_role_arn" {
  description = "IAM role the Dagster runtime must run as (ECS task role, or assumed via AWS_PROFILE)."
  value       = module.platform.dagster_runtime_role_arn
}

output "lake_bucket_name" {
  description = "Name of the lake bucket."
  value       = module.platform.lake_bucket_name
}

output "snowflake_schemas" {
  description = "Schemas created in the Snowflake database."
  value       = module.platform.snowflake_schemas
}

output "snowflake_storage_integration" {
  description = "Storage integration the lake stage uses."
  value       = module.platform.snowflake_storage_integration
}
