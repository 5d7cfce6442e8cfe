output "state_bucket" {
  description = "Pass as -backend-config=bucket=... to terraform init in terraform/environments/<env>."
  value       = module.state_bucket.bucket_name
}

output "state_kms_key_arn" {
  description = "KMS key of the state bucket; the deploy roles need kms:Decrypt and kms:GenerateDataKey on it."
  value       = module.state_bucket.kms_key_arn
}

output "backend_init_command" {
  description = "The init command for an environment directory."
  value       = "terraform init -backend-config=bucket=${module.state_bucket.bucket_name} -backend-config=region=${var.aws_region}"
}
