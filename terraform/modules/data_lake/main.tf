# The data lake bucket (also reused by terraform/bootstrap for the state bucket):
# SSE-KMS with a customer-managed key, versioning, no public access, ACLs disabled,
# TLS-only bucket policy, server access logs to a separate bucket, and lifecycle rules
# for old object versions and the raw (ingested) asset prefixes.

terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 6.0"
    }
  }
}

data "aws_caller_identity" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  # S3 names are global: the account id keeps project-env-resource unique.
  bucket_name     = "${var.name_prefix}-${var.bucket_suffix}-${local.account_id}"
  log_bucket_name = "${var.name_prefix}-${var.bucket_suffix}-logs-${local.account_id}"
  log_folder      = "s3-access/${local.bucket_name}"

  # Both buckets, for the settings they share: ACLs disabled, public access blocked,
  # versioning on. Keys are fixed, so for_each is known at plan time.
  bucket_ids = {
    main = aws_s3_bucket.this.id
    logs = aws_s3_bucket.logs.id
  }
}

module "kms_key" {
  source = "../kms_key"

  alias                   = "${var.name_prefix}-${var.bucket_suffix}"
  description             = "SSE-KMS for s3://${local.bucket_name}"
  deletion_window_in_days = var.kms_deletion_window_days
}

# ---------------------------------------------------------------------------
# Main bucket
# ---------------------------------------------------------------------------

resource "aws_s3_bucket" "this" {
  #checkov:skip=CKV_AWS_144:Single-region by design; versioning + KMS cover accidental loss. Cross-region replication doubles storage cost and is a DR decision left to prod operators (add an aws_s3_bucket_replication_configuration).
  #checkov:skip=CKV2_AWS_62:No consumer of S3 event notifications: Dagster schedules drive processing and Snowflake reads through the external stage on demand.
  bucket        = local.bucket_name
  force_destroy = var.force_destroy
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = module.kms_key.key_arn
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_logging" "this" {
  bucket        = aws_s3_bucket.this.id
  target_bucket = aws_s3_bucket.logs.id
  target_prefix = "${local.log_folder}/"
}

data "aws_iam_policy_document" "bucket" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"] # a Deny: the wildcard only widens what is refused
    resources = [aws_s3_bucket.this.arn, "${aws_s3_bucket.this.arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }

  statement {
    sid       = "DenyOutdatedTls"
    effect    = "Deny"
    actions   = ["s3:*"] # a Deny: the wildcard only widens what is refused
    resources = [aws_s3_bucket.this.arn, "${aws_s3_bucket.this.arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "NumericLessThan"
      variable = "s3:TlsVersion"
      values   = ["1.2"]
    }
  }
}

resource "aws_s3_bucket_policy" "this" {
  bucket = aws_s3_bucket.this.id
  policy = data.aws_iam_policy_document.bucket.json

  depends_on = [aws_s3_bucket_public_access_block.this]
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  # Re-materializing a window overwrites its Parquet file: keep a few old versions
  # for recovery, then let them go.
  rule {
    id     = "old-versions"
    status = "Enabled"

    filter {}

    noncurrent_version_expiration {
      noncurrent_days           = var.noncurrent_version_expiration_days
      newer_noncurrent_versions = var.noncurrent_versions_to_keep
    }

    expiration {
      expired_object_delete_marker = true
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  # Raw ingested data (the assets loaded as-is from the APIs) cools off quickly.
  dynamic "rule" {
    for_each = toset(var.raw_asset_prefixes)

    content {
      id     = "raw-${replace(rule.value, "_", "-")}"
      status = "Enabled"

      filter {
        prefix = "${var.lake_prefix}/${rule.value}/"
      }

      transition {
        days          = var.raw_transition_days
        storage_class = var.raw_transition_storage_class
      }

      dynamic "expiration" {
        for_each = var.raw_expiration_days > 0 ? [var.raw_expiration_days] : []

        content {
          days = expiration.value
        }
      }
    }
  }

  depends_on = [aws_s3_bucket_versioning.this]
}

# ---------------------------------------------------------------------------
# Server access log bucket
# ---------------------------------------------------------------------------

resource "aws_s3_bucket" "logs" {
  #checkov:skip=CKV_AWS_18:This is the access-log target; logging it into itself would recurse and another log bucket would only move the problem.
  #checkov:skip=CKV_AWS_144:Access logs are an audit aid, not primary data; replicating them across regions is not worth the cost here.
  #checkov:skip=CKV2_AWS_62:Nothing consumes events for log objects.
  #checkov:skip=CKV_AWS_145:S3 server access log delivery supports only SSE-S3 (AES256) on the target bucket, not SSE-KMS.
  bucket        = local.log_bucket_name
  force_destroy = var.force_destroy
}

resource "aws_s3_bucket_server_side_encryption_configuration" "logs" {
  bucket = aws_s3_bucket.logs.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256" # the only encryption server access logging supports
    }
  }
}

data "aws_iam_policy_document" "logs" {
  statement {
    sid       = "AllowServerAccessLogDelivery"
    effect    = "Allow"
    actions   = ["s3:PutObject"]
    resources = ["${aws_s3_bucket.logs.arn}/${local.log_folder}/*"]

    principals {
      type        = "Service"
      identifiers = ["logging.s3.amazonaws.com"]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = [aws_s3_bucket.this.arn]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"] # a Deny: the wildcard only widens what is refused
    resources = [aws_s3_bucket.logs.arn, "${aws_s3_bucket.logs.arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "logs" {
  bucket = aws_s3_bucket.logs.id
  policy = data.aws_iam_policy_document.logs.json

  depends_on = [aws_s3_bucket_public_access_block.this]
}

resource "aws_s3_bucket_lifecycle_configuration" "logs" {
  bucket = aws_s3_bucket.logs.id

  rule {
    id     = "expire-access-logs"
    status = "Enabled"

    filter {}

    expiration {
      days = var.access_log_retention_days
    }

    noncurrent_version_expiration {
      noncurrent_days = 1
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }

  depends_on = [aws_s3_bucket_versioning.this]
}

# ---------------------------------------------------------------------------
# Settings both buckets share
# ---------------------------------------------------------------------------

resource "aws_s3_bucket_ownership_controls" "this" {
  for_each = local.bucket_ids

  bucket = each.value

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  for_each = local.bucket_ids

  bucket = each.value

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_versioning" "this" {
  for_each = local.bucket_ids

  bucket = each.value

  versioning_configuration {
    status = "Enabled"
  }
}
