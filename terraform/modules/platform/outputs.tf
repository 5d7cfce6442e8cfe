# Outputs in UPPER_SNAKE_CASE are the platform's configuration contract (README,
# Configuration), named after the environment variables the runtime reads; the environment
# roots pass every output through under the same name, and
# scripts/terraform_outputs_to_env.py writes the contract into .env. Secrets
# (SNOWFLAKE_PRIVATE_KEY) are never outputs: the key pair lives outside Terraform.

output "CRYPTO_LAKE_ROOT" {
  description = "Lake root of the platform: s3://bucket/prefix."
  value       = module.data_lake.lake_root
}

output "CRYPTO_WAREHOUSE" {
  description = "Warehouse backend of the platform in the cloud."
  value       = "snowflake"
}

output "CRYPTO_ALERTS_SNS_TOPIC_ARN" {
  description = "SNS topic the platform publishes alerts to."
  value       = module.alerts.topic_arn
}

output "SNOWFLAKE_ACCOUNT" {
  description = "Snowflake account identifier <org>-<account> for the Python connector."
  value       = "${var.snowflake_organization_name}-${var.snowflake_account_name}"
}

output "SNOWFLAKE_USER" {
  description = "Snowflake service user of the Dagster runtime (key-pair auth)."
  value       = module.snowflake.user_name
}

output "SNOWFLAKE_ROLE" {
  description = "Snowflake role of the Dagster runtime."
  value       = module.snowflake.role_name
}

output "SNOWFLAKE_WAREHOUSE" {
  description = "Snowflake warehouse of the Dagster runtime."
  value       = module.snowflake.warehouse_name
}

output "SNOWFLAKE_DATABASE" {
  description = "Snowflake database holding the LOADING, STAGING and WORKING schemas."
  value       = module.snowflake.database_name
}

output "SNOWFLAKE_LAKE_STAGE" {
  description = "External stage on the lake root (DATABASE.SCHEMA.STAGE); the warehouse COPYs lake files from it."
  value       = module.snowflake.lake_stage
}

output "AWS_REGION" {
  description = "AWS region of the lake and the alert topic."
  value       = var.aws_region
}

output "AWS_DEFAULT_REGION" {
  description = "The same region under the name boto3/botocore read."
  value       = var.aws_region
}

# Informational outputs (not written to .env).

output "dagster_runtime_role_arn" {
  description = "IAM role the Dagster runtime must run as (ECS task role, or assumed via AWS_PROFILE)."
  value       = module.dagster_runtime_iam.role_arn
}

output "lake_bucket_name" {
  description = "Name of the lake bucket."
  value       = module.data_lake.bucket_name
}

output "snowflake_schemas" {
  description = "Schemas created in the Snowflake database."
  value       = module.snowflake.schema_names
}

output "snowflake_storage_integration" {
  description = "Storage integration the lake stage uses."
  value       = module.snowflake.storage_integration_name
}
