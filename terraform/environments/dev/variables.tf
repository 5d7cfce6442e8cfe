# What the operator supplies (terraform.tfvars or TF_VAR_<name>; nothing here is secret).
# Each value is validated where it is used: the ones only the providers use (the account,
# Terraform's Snowflake user and role) here; the ones passed to modules/platform there, or
# in the module it hands them to.

variable "aws_region" {
  description = "AWS region of the lake bucket, the alert topic and the Dagster runtime (AWS_REGION)."
  type        = string
  default     = "us-east-1"
}

variable "aws_account_id" {
  description = "The AWS account this environment lives in; the provider refuses to touch any other."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.aws_account_id))
    error_message = "aws_account_id must be a 12-digit AWS account id."
  }
}

variable "alert_email_addresses" {
  description = "E-mail addresses subscribed to the alert topic (each confirms by e-mail); empty for none."
  type        = list(string)
  default     = []
}

variable "dagster_trusted_principal_arns" {
  description = "IAM role/user ARNs allowed to assume the Dagster runtime role (e.g. an SSO role to run Dagster locally against dev)."
  type        = list(string)
  default     = []
}

variable "snowflake_organization_name" {
  description = "Snowflake organization name (the first half of <org>-<account>)."
  type        = string
}

variable "snowflake_account_name" {
  description = "Snowflake account name within the organization (the second half of <org>-<account>)."
  type        = string
}

variable "snowflake_admin_user" {
  description = "Snowflake user Terraform connects as (key-pair auth; private key in SNOWFLAKE_PRIVATE_KEY)."
  type        = string

  validation {
    condition     = length(trimspace(var.snowflake_admin_user)) > 0
    error_message = "snowflake_admin_user must not be empty."
  }
}

variable "snowflake_admin_role" {
  description = "Role Terraform uses in Snowflake; creating storage integrations and resource monitors needs ACCOUNTADMIN."
  type        = string
  default     = "ACCOUNTADMIN"

  validation {
    condition     = can(regex("^[A-Z][A-Z0-9_]*$", var.snowflake_admin_role))
    error_message = "snowflake_admin_role must be an UPPER_SNAKE role name."
  }
}

variable "snowflake_dagster_public_key" {
  description = "RSA public key of the Dagster service user (generated outside Terraform; its private key is the SNOWFLAKE_PRIVATE_KEY secret of the runtime)."
  type        = string
}
