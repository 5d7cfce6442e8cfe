# A customer-managed KMS key with rotation and an explicit key policy.
#
# The key policy delegates to IAM (the account root principal), so each workload is
# granted the key in its own least-privilege IAM policy. The root statement lists its
# actions explicitly instead of "kms:*". In a key policy the Resource "*" means "this
# key" (a key policy cannot name its own ARN before the key exists).

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 6.0"
    }
  }
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  # Administration and use of a symmetric encryption key, without "kms:*".
  account_key_actions = [
    "kms:CancelKeyDeletion",
    "kms:CreateAlias",
    "kms:CreateGrant",
    "kms:Decrypt",
    "kms:DeleteAlias",
    "kms:DescribeKey",
    "kms:DisableKey",
    "kms:DisableKeyRotation",
    "kms:EnableKey",
    "kms:EnableKeyRotation",
    "kms:Encrypt",
    "kms:GenerateDataKey",
    "kms:GenerateDataKeyWithoutPlaintext",
    "kms:GetKeyPolicy",
    "kms:GetKeyRotationStatus",
    "kms:ListGrants",
    "kms:ListKeyRotations",
    "kms:ListResourceTags",
    "kms:PutKeyPolicy",
    "kms:ReEncryptFrom",
    "kms:ReEncryptTo",
    "kms:RetireGrant",
    "kms:RevokeGrant",
    "kms:RotateKeyOnDemand",
    "kms:ScheduleKeyDeletion",
    "kms:TagResource",
    "kms:UntagResource",
    "kms:UpdateAlias",
    "kms:UpdateKeyDescription",
  ]
}

data "aws_iam_policy_document" "key_policy" {
  #checkov:skip=CKV_AWS_356:This is a KMS key policy, where Resource "*" means "this key only" (a key policy cannot name its own ARN before the key exists); workloads get the key by ARN in their own IAM policies.
  #checkov:skip=CKV_AWS_111:Key policy of a single key whose only principal is this account's IAM (delegation); the write actions reach nothing but this key, and the runtime roles are constrained by kms:ViaService in their IAM policies.
  statement {
    sid       = "AccountIamDelegation"
    effect    = "Allow"
    actions   = local.account_key_actions
    resources = ["*"] # "this key" in a key policy

    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }
}

resource "aws_kms_key" "this" {
  description             = var.description
  enable_key_rotation     = true
  rotation_period_in_days = var.rotation_period_in_days
  deletion_window_in_days = var.deletion_window_in_days
  policy                  = data.aws_iam_policy_document.key_policy.json
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.alias}"
  target_key_id = aws_kms_key.this.key_id
}
