variable "name_prefix" {
  description = "Kebab-case project-env prefix of every AWS name, e.g. crypto-assets-dev."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9]*(-[a-z0-9]+)*$", var.name_prefix)) && length(var.name_prefix) <= 30
    error_message = "name_prefix must be kebab-case (lower-case words joined by single hyphens), at most 30 characters."
  }
}

variable "bucket_suffix" {
  description = "Resource part of the bucket name: <name_prefix>-<bucket_suffix>-<account id>."
  type        = string
  default     = "lake"

  validation {
    condition     = can(regex("^[a-z][a-z0-9]*(-[a-z0-9]+)*$", var.bucket_suffix)) && length(var.bucket_suffix) <= 12
    error_message = "bucket_suffix must be kebab-case, at most 12 characters."
  }
}

variable "lake_prefix" {
  description = "Key prefix of the lake inside the bucket; CRYPTO_LAKE_ROOT is s3://<bucket>/<lake_prefix>."
  type        = string
  default     = "lake"

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9_-]*$", var.lake_prefix))
    error_message = "lake_prefix must be a single path segment of lower-case letters, digits, _ or - (no slashes)."
  }
}

variable "raw_asset_prefixes" {
  description = "Assets under the lake prefix holding raw API data (the LOADING schema assets); they get the raw lifecycle rule."
  type        = list(string)
  default     = ["coin_listings", "reddit_posts"]

  validation {
    condition     = alltrue([for p in var.raw_asset_prefixes : can(regex("^[a-z][a-z0-9_]*$", p))])
    error_message = "raw_asset_prefixes must be snake_case asset names."
  }
}

variable "raw_transition_days" {
  description = "Days after which raw asset objects move to raw_transition_storage_class (S3 requires >= 30 for STANDARD_IA)."
  type        = number
  default     = 30

  validation {
    condition     = var.raw_transition_days >= 30
    error_message = "raw_transition_days must be at least 30."
  }
}

variable "raw_transition_storage_class" {
  description = "Storage class raw asset objects transition to."
  type        = string
  default     = "STANDARD_IA"

  validation {
    condition     = contains(["STANDARD_IA", "INTELLIGENT_TIERING", "GLACIER_IR"], var.raw_transition_storage_class)
    error_message = "raw_transition_storage_class must be STANDARD_IA, INTELLIGENT_TIERING or GLACIER_IR (instantly readable classes only)."
  }
}

variable "raw_expiration_days" {
  description = "Days after which raw asset objects expire; 0 keeps them forever (Reddit cannot be re-fetched for old windows)."
  type        = number
  default     = 0

  validation {
    condition     = var.raw_expiration_days == 0 || var.raw_expiration_days > 30
    error_message = "raw_expiration_days must be 0 (never) or more than 30 (after the transition)."
  }
}

variable "noncurrent_version_expiration_days" {
  description = "Days a replaced (noncurrent) object version is kept before it expires."
  type        = number
  default     = 30

  validation {
    condition     = var.noncurrent_version_expiration_days >= 1
    error_message = "noncurrent_version_expiration_days must be at least 1."
  }
}

variable "noncurrent_versions_to_keep" {
  description = "Newest noncurrent versions kept regardless of age."
  type        = number
  default     = 3

  validation {
    condition     = var.noncurrent_versions_to_keep >= 0 && var.noncurrent_versions_to_keep <= 100
    error_message = "noncurrent_versions_to_keep must be between 0 and 100."
  }
}

variable "access_log_retention_days" {
  description = "Days server access logs are kept."
  type        = number
  default     = 90

  validation {
    condition     = var.access_log_retention_days >= 1
    error_message = "access_log_retention_days must be at least 1."
  }
}

variable "kms_deletion_window_days" {
  description = "Waiting period before a scheduled deletion of the bucket's KMS key completes."
  type        = number
  default     = 30
}

variable "force_destroy" {
  description = "Allow terraform destroy to delete non-empty buckets (dev only; keep false in prod)."
  type        = bool
  default     = false
}
