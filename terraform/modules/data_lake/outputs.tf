output "bucket_name" {
  description = "Name of the lake bucket."
  value       = aws_s3_bucket.this.id
}

output "bucket_arn" {
  description = "ARN of the lake bucket."
  value       = aws_s3_bucket.this.arn
}

output "lake_prefix" {
  description = "Key prefix of the lake inside the bucket."
  value       = var.lake_prefix
}

output "lake_root" {
  description = "The lake root as the platform reads it (CRYPTO_LAKE_ROOT): s3://bucket/prefix."
  value       = "s3://${aws_s3_bucket.this.id}/${var.lake_prefix}"
}

output "kms_key_arn" {
  description = "ARN of the KMS key encrypting the bucket."
  value       = module.kms_key.key_arn
}

output "access_log_bucket_name" {
  description = "Name of the server access log bucket."
  value       = aws_s3_bucket.logs.id
}
