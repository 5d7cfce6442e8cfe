output "role_arn" {
  description = "ARN of the Dagster runtime role."
  value       = aws_iam_role.this.arn
}

output "role_name" {
  description = "Name of the Dagster runtime role."
  value       = aws_iam_role.this.name
}

output "policy_arn" {
  description = "ARN of the runtime's least-privilege policy."
  value       = aws_iam_policy.this.arn
}
