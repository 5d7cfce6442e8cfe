variable "environment" {
  description = "Environment name (dev or prod), used in comments."
  type        = string

  validation {
    condition     = contains(["dev", "prod"], var.environment)
    error_message = "environment must be dev or prod."
  }
}

variable "name_prefix" {
  description = "Kebab-case project-env prefix of the AWS names this module creates, e.g. crypto-assets-dev."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9]*(-[a-z0-9]+)*$", var.name_prefix))
    error_message = "name_prefix must be kebab-case (lower-case words joined by single hyphens)."
  }
}

variable "object_prefix" {
  description = "UPPER_SNAKE prefix of every Snowflake object name, e.g. CRYPTO_ASSETS_DEV (also the database name)."
  type        = string

  validation {
    condition     = can(regex("^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$", var.object_prefix))
    error_message = "object_prefix must be UPPER_SNAKE_CASE."
  }
}

variable "lake_bucket_name" {
  description = "Name of the lake bucket the external stage reads."
  type        = string
}

# lake_bucket_arn, lake_prefix and lake_kms_key_arn also go to modules/lake_access_policy,
# which validates them (an empty prefix would open the whole bucket to Snowflake's role).

variable "lake_bucket_arn" {
  description = "ARN of the lake bucket."
  type        = string
}

variable "lake_prefix" {
  description = "Key prefix of the lake inside the bucket; the stage URL and Snowflake's AWS role are limited to it."
  type        = string
}

variable "lake_kms_key_arn" {
  description = "ARN of the KMS key encrypting the lake (Snowflake's role may decrypt through S3 only)."
  type        = string
}

variable "lake_stage_schema" {
  description = "Schema holding the external stage on the lake."
  type        = string
  default     = "LOADING"

  validation {
    condition     = contains(["LOADING", "STAGING", "WORKING"], var.lake_stage_schema)
    error_message = "lake_stage_schema must be one of LOADING, STAGING, WORKING."
  }
}

variable "dagster_public_key" {
  description = "RSA public key (PEM, with or without the BEGIN/END lines) of the Dagster service user; the private key stays outside Terraform."
  type        = string

  validation {
    condition     = length(trimspace(var.dagster_public_key)) > 200 && !strcontains(var.dagster_public_key, "PRIVATE KEY")
    error_message = "dagster_public_key must be an RSA public key (2048 bits or more), never a private key."
  }
}

variable "warehouse_auto_suspend_seconds" {
  description = "Seconds of inactivity before the warehouse suspends (billing is per second after the first minute)."
  type        = number
  default     = 60

  validation {
    condition     = var.warehouse_auto_suspend_seconds >= 30 && var.warehouse_auto_suspend_seconds <= 60
    error_message = "warehouse_auto_suspend_seconds must be between 30 and 60."
  }
}

variable "statement_timeout_in_seconds" {
  description = "Statements running longer than this on the warehouse are cancelled (guards against runaway credits)."
  type        = number
  default     = 3600

  validation {
    condition     = var.statement_timeout_in_seconds >= 60 && var.statement_timeout_in_seconds <= 86400
    error_message = "statement_timeout_in_seconds must be between 60 and 86400."
  }
}

variable "monthly_credit_quota" {
  description = "Credits per month before the resource monitor suspends the warehouse; 0 creates no monitor."
  type        = number
  default     = 100

  validation {
    condition     = var.monthly_credit_quota >= 0
    error_message = "monthly_credit_quota must be 0 or more."
  }
}

variable "data_retention_time_in_days" {
  description = "Time Travel retention of the database in days (storage cost grows with it)."
  type        = number
  default     = 1

  validation {
    condition     = var.data_retention_time_in_days >= 0 && var.data_retention_time_in_days <= 90
    error_message = "data_retention_time_in_days must be between 0 and 90."
  }
}
