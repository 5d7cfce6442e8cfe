variable "access" {
  description = "What the role may do under the lake prefix: read (Snowflake) or read_write (the Dagster runtime)."
  type        = string

  validation {
    condition     = contains(["read", "read_write"], var.access)
    error_message = "access must be read or read_write."
  }
}

variable "lake_bucket_arn" {
  description = "ARN of the lake bucket."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:s3:::[a-z0-9.-]+$", var.lake_bucket_arn))
    error_message = "lake_bucket_arn must be an S3 bucket ARN."
  }
}

variable "lake_prefix" {
  description = "Key prefix of the lake inside the bucket; the statements reach nothing outside it."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9_-]*$", var.lake_prefix))
    error_message = "lake_prefix must be a non-empty single path segment (an empty prefix would open the whole bucket)."
  }
}

variable "lake_kms_key_arn" {
  description = "ARN of the KMS key encrypting the lake bucket (usable only through S3)."
  type        = string
}
