variable "name_prefix" {
  description = "Kebab-case project-env prefix of every AWS name, e.g. crypto-assets-dev."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9]*(-[a-z0-9]+)*$", var.name_prefix))
    error_message = "name_prefix must be kebab-case (lower-case words joined by single hyphens)."
  }
}

# The lake_* inputs go to modules/lake_access_policy, which validates them (an S3 bucket
# ARN; a non-empty single-segment prefix, since an empty one would open the whole bucket).

variable "lake_bucket_arn" {
  description = "ARN of the lake bucket."
  type        = string
}

variable "lake_prefix" {
  description = "Key prefix of the lake inside the bucket; the role can touch nothing outside it."
  type        = string
}

variable "lake_kms_key_arn" {
  description = "ARN of the KMS key encrypting the lake bucket."
  type        = string
}

variable "alerts_topic_arn" {
  description = "ARN of the alert SNS topic the runtime publishes to."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:sns:", var.alerts_topic_arn))
    error_message = "alerts_topic_arn must be an SNS topic ARN."
  }
}

variable "alerts_kms_key_arn" {
  description = "ARN of the KMS key encrypting the alert topic."
  type        = string
}

variable "trusted_services" {
  description = "AWS service principals that may assume the role (the compute running Dagster), e.g. ecs-tasks.amazonaws.com."
  type        = list(string)
  default     = ["ecs-tasks.amazonaws.com"]

  validation {
    condition     = alltrue([for s in var.trusted_services : can(regex("^[a-z0-9.-]+\\.amazonaws\\.com$", s))])
    error_message = "trusted_services must be AWS service principals (*.amazonaws.com)."
  }
}

variable "trusted_principal_arns" {
  description = "IAM principal ARNs that may assume the role (e.g. an EC2 instance role or an SSO role for local runs against the cloud)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for a in var.trusted_principal_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/", a))])
    error_message = "trusted_principal_arns must be IAM role or user ARNs (no account-wide root principals)."
  }
}

variable "max_session_duration" {
  description = "Maximum session length of the role in seconds (3600-43200)."
  type        = number
  default     = 3600

  validation {
    condition     = var.max_session_duration >= 3600 && var.max_session_duration <= 43200
    error_message = "max_session_duration must be between 3600 and 43200."
  }
}
