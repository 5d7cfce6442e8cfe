output "topic_arn" {
  description = "ARN of the alert topic (CRYPTO_ALERTS_SNS_TOPIC_ARN)."
  value       = aws_sns_topic.this.arn
}

output "topic_name" {
  description = "Name of the alert topic."
  value       = aws_sns_topic.this.name
}

output "kms_key_arn" {
  description = "ARN of the KMS key encrypting the topic."
  value       = module.kms_key.key_arn
}
