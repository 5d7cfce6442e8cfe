output "database_name" {
  description = "Name of the database (SNOWFLAKE_DATABASE)."
  value       = snowflake_database.this.name
}

output "schema_names" {
  description = "Names of the schemas the platform writes to."
  value       = sort([for s in snowflake_schema.this : s.name])
}

output "warehouse_name" {
  description = "Name of the warehouse (SNOWFLAKE_WAREHOUSE)."
  value       = snowflake_warehouse.this.name
}

output "role_name" {
  description = "Name of the Dagster role (SNOWFLAKE_ROLE)."
  value       = snowflake_account_role.dagster.name
}

output "user_name" {
  description = "Name of the Dagster service user (SNOWFLAKE_USER)."
  value       = snowflake_service_user.dagster.name
}

output "storage_integration_name" {
  description = "Name of the storage integration on the lake."
  value       = snowflake_storage_integration.lake.name
}

output "lake_stage" {
  description = "Fully qualified name of the external stage on the lake root, DATABASE.SCHEMA.STAGE (plain upper-case names, so unquoted)."
  value       = "${snowflake_stage.lake.database}.${snowflake_stage.lake.schema}.${snowflake_stage.lake.name}"
}

output "snowflake_aws_role_arn" {
  description = "ARN of the AWS role Snowflake assumes to read the lake."
  value       = aws_iam_role.snowflake.arn
}
