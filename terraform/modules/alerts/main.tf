# The alert topic: SNS encrypted with a customer-managed KMS key, optional e-mail
# subscriptions, and a topic policy that lets only the Dagster runtime role publish.

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 6.0"
    }
  }
}

module "kms_key" {
  source = "../kms_key"

  alias                   = "${var.name_prefix}-alerts"
  description             = "SNS encryption for the ${var.name_prefix}-alerts topic"
  deletion_window_in_days = var.kms_deletion_window_days
}

resource "aws_sns_topic" "this" {
  name              = "${var.name_prefix}-alerts"
  display_name      = var.display_name
  kms_master_key_id = module.kms_key.key_arn
}

data "aws_iam_policy_document" "topic" {
  statement {
    sid       = "AllowPublishFromDagsterRuntime"
    effect    = "Allow"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.this.arn]

    principals {
      type        = "AWS"
      identifiers = var.publisher_role_arns
    }
  }

  # Same-account principals could otherwise publish through their own IAM policies.
  statement {
    sid       = "DenyPublishFromAnyoneElse"
    effect    = "Deny"
    actions   = ["sns:Publish"]
    resources = [aws_sns_topic.this.arn]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "ArnNotEquals"
      variable = "aws:PrincipalArn"
      values   = var.publisher_role_arns
    }
  }
}

resource "aws_sns_topic_policy" "this" {
  arn    = aws_sns_topic.this.arn
  policy = data.aws_iam_policy_document.topic.json
}

# E-mail endpoints must confirm the subscription from the message AWS sends them.
resource "aws_sns_topic_subscription" "email" {
  for_each = toset(var.email_addresses)

  topic_arn = aws_sns_topic.this.arn
  protocol  = "email"
  endpoint  = each.value
}
