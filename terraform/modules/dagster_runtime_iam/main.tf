# The identity the Dagster runtime (webserver, daemon, run workers) uses in AWS: a role
# that may read and write only the lake prefix and publish only to the alert topic.
# Every action is named explicitly; every resource is a specific ARN (object ARNs end
# in "<lake prefix>/*", the only way to address the objects under a prefix).

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 6.0"
    }
  }
}

data "aws_caller_identity" "current" {}

data "aws_region" "current" {}

data "aws_iam_policy_document" "assume_role" {
  dynamic "statement" {
    for_each = length(var.trusted_services) > 0 ? [1] : []

    content {
      sid     = "AssumeFromComputeService"
      effect  = "Allow"
      actions = ["sts:AssumeRole"]

      principals {
        type        = "Service"
        identifiers = var.trusted_services
      }

      # Confused-deputy protection: only this account's tasks/instances.
      condition {
        test     = "StringEquals"
        variable = "aws:SourceAccount"
        values   = [data.aws_caller_identity.current.account_id]
      }
    }
  }

  dynamic "statement" {
    for_each = length(var.trusted_principal_arns) > 0 ? [1] : []

    content {
      sid     = "AssumeFromPrincipals"
      effect  = "Allow"
      actions = ["sts:AssumeRole"]

      principals {
        type        = "AWS"
        identifiers = var.trusted_principal_arns
      }
    }
  }
}

resource "aws_iam_role" "this" {
  name                 = "${var.name_prefix}-dagster-runtime"
  description          = "Dagster runtime of ${var.name_prefix}: lake prefix read/write, alert topic publish."
  assume_role_policy   = data.aws_iam_policy_document.assume_role.json
  max_session_duration = var.max_session_duration

  lifecycle {
    precondition {
      condition     = length(var.trusted_services) + length(var.trusted_principal_arns) > 0
      error_message = "Give at least one of trusted_services or trusted_principal_arns, or nothing can assume the role."
    }
  }
}

# The lake statements (list/read/write/delete under the prefix, the lake key through S3)
# are the same ones Snowflake's role gets read-only: see modules/lake_access_policy.
module "lake_access" {
  source = "../lake_access_policy"

  access           = "read_write"
  lake_bucket_arn  = var.lake_bucket_arn
  lake_prefix      = var.lake_prefix
  lake_kms_key_arn = var.lake_kms_key_arn
}

data "aws_iam_policy_document" "runtime" {
  source_policy_documents = [module.lake_access.json]

  statement {
    sid       = "PublishAlerts"
    effect    = "Allow"
    actions   = ["sns:Publish"]
    resources = [var.alerts_topic_arn]
  }

  statement {
    sid       = "UseAlertsKeyThroughSns"
    effect    = "Allow"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [var.alerts_kms_key_arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["sns.${data.aws_region.current.region}.amazonaws.com"]
    }
  }
}

resource "aws_iam_policy" "this" {
  name        = "${var.name_prefix}-dagster-runtime"
  description = "Least privilege of the ${var.name_prefix} Dagster runtime."
  policy      = data.aws_iam_policy_document.runtime.json
}

resource "aws_iam_role_policy_attachment" "this" {
  role       = aws_iam_role.this.name
  policy_arn = aws_iam_policy.this.arn
}
