variable "aws_region" {
  description = "AWS region of the lake bucket, the alert topic and the Dagster runtime (AWS_REGION)."
  type        = string
  default     = "us-east-1"

  validation {
    condition     = can(regex("^[a-z]{2}(-gov)?-[a-z]+-[0-9]$", var.aws_region))
    error_message = "aws_region must be an AWS region name such as us-east-1."
  }
}

variable "aws_account_id" {
  description = "The AWS account this environment lives in; the provider refuses to touch any other."
  type        = string

  validation {
    condition     = can(regex("^[0-9]{12}$", var.aws_account_id))
    error_message = "aws_account_id must be a 12-digit AWS account id."
  }
}

variable "lake_prefix" {
  description = "Key prefix of the lake inside the bucket (CRYPTO_LAKE_ROOT = s3://<bucket>/<lake_prefix>)."
  type        = string
  default     = "lake"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9_-]*$", var.lake_prefix))
    error_message = "lake_prefix must be a single path segment of lower-case letters, digits, _ or -."
  }
}

variable "raw_expiration_days" {
  description = "Days after which raw (LOADING-layer) lake objects expire; 0 keeps them forever."
  type        = number
  default     = 90

  validation {
    condition     = var.raw_expiration_days == 0 || var.raw_expiration_days > 30
    error_message = "raw_expiration_days must be 0 (never) or more than 30."
  }
}

variable "alert_email_addresses" {
  description = "E-mail addresses subscribed to the alert topic (each confirms by e-mail); empty for none."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for e in var.alert_email_addresses : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", e))])
    error_message = "alert_email_addresses must be e-mail addresses."
  }
}

variable "dagster_trusted_services" {
  description = "AWS service principals allowed to assume the Dagster runtime role (where Dagster runs)."
  type        = list(string)
  default     = ["ecs-tasks.amazonaws.com"]

  validation {
    condition     = alltrue([for s in var.dagster_trusted_services : can(regex("^[a-z0-9.-]+\\.amazonaws\\.com$", s))])
    error_message = "dagster_trusted_services must be AWS service principals (*.amazonaws.com)."
  }
}

variable "dagster_trusted_principal_arns" {
  description = "IAM role/user ARNs allowed to assume the Dagster runtime role (e.g. an SSO role to run Dagster locally against dev)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.dagster_trusted_principal_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/", a))])
    error_message = "dagster_trusted_principal_arns must be IAM role or user ARNs."
  }
}

variable "snowflake_organization_name" {
  description = "Snowflake organization name (the first half of <org>-<account>)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z][A-Za-z0-9_]*$", var.snowflake_organization_name))
    error_message = "snowflake_organization_name must be letters, digits and underscores."
  }
}

variable "snowflake_account_name" {
  description = "Snowflake account name within the organization (the second half of <org>-<account>)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z][A-Za-z0-9_]*$", var.snowflake_account_name))
    error_message = "snowflake_account_name must be letters, digits and underscores."
  }
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

  validation {
    condition     = length(trimspace(var.snowflake_dagster_public_key)) > 200 && !strcontains(var.snowflake_dagster_public_key, "PRIVATE KEY")
    error_message = "snowflake_dagster_public_key must be an RSA public key, never a private key."
  }
}

variable "snowflake_monthly_credit_quota" {
  description = "Snowflake credits per month before the warehouse is suspended (a 10-minute schedule uses about 3 X-SMALL credits a day); 0 disables the resource monitor."
  type        = number
  default     = 30

  validation {
    condition     = var.snowflake_monthly_credit_quota >= 0 && var.snowflake_monthly_credit_quota <= 200
    error_message = "snowflake_monthly_credit_quota must be between 0 and 200 in dev."
  }
}
