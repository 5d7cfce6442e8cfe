variable "name_prefix" {
  description = "Kebab-case project-env prefix of every AWS name, e.g. crypto-assets-dev."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9]*(-[a-z0-9]+)*$", var.name_prefix))
    error_message = "name_prefix must be kebab-case (lower-case words joined by single hyphens)."
  }
}

variable "display_name" {
  description = "Display name of the topic (shown as the sender of e-mail alerts)."
  type        = string
  default     = "crypto_assets alerts"
}

variable "publisher_role_arns" {
  description = "IAM role ARNs allowed to publish to the topic (the Dagster runtime role); everyone else is denied."
  type        = list(string)

  validation {
    condition     = length(var.publisher_role_arns) > 0 && alltrue([for a in var.publisher_role_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/", a))])
    error_message = "publisher_role_arns must list at least one IAM role ARN."
  }
}

variable "email_addresses" {
  description = "E-mail addresses subscribed to the alerts (each must confirm); empty for none."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for e in var.email_addresses : can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", e))])
    error_message = "email_addresses must be e-mail addresses."
  }
}

variable "kms_deletion_window_days" {
  description = "Waiting period before a scheduled deletion of the topic's KMS key completes."
  type        = number
  default     = 30
}
