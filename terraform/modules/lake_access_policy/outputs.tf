output "json" {
  description = "The policy document (JSON) to merge into the role's policy, e.g. through source_policy_documents."
  value       = data.aws_iam_policy_document.this.json
}
