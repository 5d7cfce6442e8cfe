# Each value is validated once, where it is used: the ones this module uses itself (names,
# the contract outputs) here, the ones it only passes on by the child module that uses
# them (data_lake, alerts, dagster_runtime_iam, snowflake, kms_key), so those are plain here.

variable "project" {
  description = "Kebab-case project part of every AWS name (project-env-resource), e.g. crypto-assets."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9]*(-[a-z0-9]+)*$", var.project))
    error_message = "project must be kebab-case (lower-case words joined by single hyphens)."
  }
}

variable "environment" {
  description = "Environment name, the env part of every name: dev or prod."
  type        = string

  validation {
    condition     = contains(["dev", "prod"], var.environment)
    error_message = "environment must be dev or prod."
  }
}

# ---------------------------------------------------------------------------
# Settings each environment chooses (no defaults: every environment states them)
# ---------------------------------------------------------------------------

variable "raw_expiration_days" {
  description = "Days after which raw (LOADING-layer) lake objects expire; 0 keeps them forever."
  type        = number
}

variable "noncurrent_version_expiration_days" {
  description = "Days a replaced (noncurrent) lake object version is kept before it expires."
  type        = number
}

variable "noncurrent_versions_to_keep" {
  description = "Newest noncurrent versions of a lake object kept regardless of age."
  type        = number
}

variable "access_log_retention_days" {
  description = "Days the lake bucket's server access logs are kept."
  type        = number
}

variable "kms_deletion_window_days" {
  description = "Waiting period (7-30 days) before a scheduled deletion of the lake or alert KMS key completes."
  type        = number
}

variable "force_destroy" {
  description = "Let terraform destroy delete the non-empty lake and log buckets (dev only)."
  type        = bool
}

variable "alerts_display_name" {
  description = "Display name of the alert topic (the sender of e-mail alerts)."
  type        = string
}

variable "snowflake_monthly_credit_quota" {
  description = "Snowflake credits per month before the resource monitor suspends the warehouse (about 3 X-SMALL credits a day on the 10-minute schedule); 0 creates no monitor."
  type        = number
}

variable "snowflake_data_retention_days" {
  description = "Time Travel retention of the Snowflake database in days."
  type        = number
}

# ---------------------------------------------------------------------------
# Settings with a platform-wide default
# ---------------------------------------------------------------------------

variable "lake_prefix" {
  description = "Key prefix of the lake inside the bucket (CRYPTO_LAKE_ROOT = s3://<bucket>/<lake_prefix>)."
  type        = string
  default     = "lake"
}

variable "dagster_trusted_services" {
  description = "AWS service principals allowed to assume the Dagster runtime role (where Dagster runs)."
  type        = list(string)
  default     = ["ecs-tasks.amazonaws.com"]
}

variable "snowflake_warehouse_auto_suspend_seconds" {
  description = "Seconds of inactivity before the X-SMALL warehouse suspends (at most 60)."
  type        = number
  default     = 60
}

# ---------------------------------------------------------------------------
# What the operator supplies (the environment roots' variables)
# ---------------------------------------------------------------------------

variable "aws_region" {
  description = "AWS region the providers work in (AWS_REGION); the environments configure the AWS provider with the same value."
  type        = string

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.aws_region))
    error_message = "aws_region must be an AWS region name such as us-east-1."
  }
}

variable "alert_email_addresses" {
  description = "E-mail addresses subscribed to the alert topic (each confirms by e-mail); empty for none."
  type        = list(string)
  default     = []
}

variable "dagster_trusted_principal_arns" {
  description = "IAM role/user ARNs allowed to assume the Dagster runtime role."
  type        = list(string)
  default     = []
}

variable "snowflake_organization_name" {
  description = "Snowflake organization name (the first half of SNOWFLAKE_ACCOUNT <org>-<account>)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z][A-Za-z0-9_]*$", var.snowflake_organization_name))
    error_message = "snowflake_organization_name must be letters, digits and underscores."
  }
}

variable "snowflake_account_name" {
  description = "Snowflake account name within the organization (the second half of SNOWFLAKE_ACCOUNT)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z][A-Za-z0-9_]*$", var.snowflake_account_name))
    error_message = "snowflake_account_name must be letters, digits and underscores."
  }
}

variable "snowflake_dagster_public_key" {
  description = "RSA public key of the Dagster service user; its private key never enters Terraform."
  type        = string
}
