# The S3 part of a role's policy that confines the role to one prefix of the lake bucket:
# list only under the prefix, act only on the objects under it, and use the lake's KMS key
# only through S3. The Dagster runtime role (read_write) and the role Snowflake's storage
# integration assumes (read) both take their lake statements from here, so the two are
# scoped by the same statements; the object and key statements' Sids say which level a
# policy has. Renders a policy document only; it creates nothing.

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 6.0"
    }
  }
}

data "aws_region" "current" {}

locals {
  # What each access level may do with the objects under the prefix and with the lake key.
  # Every action is named: no wildcard action, and the object resource ends in <prefix>/*.
  # The statements pick a list with a conditional, not a map lookup: checkov evaluates the
  # conditional (so its IAM checks see these actions) but not a lookup by variable.
  read_object_actions = ["s3:GetObject", "s3:GetObjectVersion"]
  read_write_object_actions = [
    "s3:AbortMultipartUpload",
    "s3:DeleteObject",
    "s3:GetObject",
    "s3:ListMultipartUploadParts",
    "s3:PutObject",
  ]
  read_kms_actions       = ["kms:Decrypt"]
  read_write_kms_actions = ["kms:Decrypt", "kms:GenerateDataKey"]
}

data "aws_iam_policy_document" "this" {
  statement {
    sid       = "ListLakePrefix"
    effect    = "Allow"
    actions   = ["s3:ListBucket"]
    resources = [var.lake_bucket_arn]

    condition {
      test     = "StringLike"
      variable = "s3:prefix"
      values   = [var.lake_prefix, "${var.lake_prefix}/", "${var.lake_prefix}/*"]
    }
  }

  statement {
    sid       = "LocateLakeBucket"
    effect    = "Allow"
    actions   = ["s3:GetBucketLocation"]
    resources = [var.lake_bucket_arn]
  }

  statement {
    sid       = var.access == "read_write" ? "ReadWriteLakeObjects" : "ReadLakeObjects"
    effect    = "Allow"
    actions   = var.access == "read_write" ? local.read_write_object_actions : local.read_object_actions
    resources = ["${var.lake_bucket_arn}/${var.lake_prefix}/*"]
  }

  statement {
    sid       = var.access == "read_write" ? "UseLakeKeyThroughS3" : "DecryptLakeThroughS3"
    effect    = "Allow"
    actions   = var.access == "read_write" ? local.read_write_kms_actions : local.read_kms_actions
    resources = [var.lake_kms_key_arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${data.aws_region.current.region}.amazonaws.com"]
    }
  }
}
