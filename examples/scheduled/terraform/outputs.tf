output "function_name" {
  description = "The audit function"
  value       = aws_lambda_function.audit.function_name
}

output "report_bucket" {
  description = "Bucket with tablespec/latest.json and the dated reports"
  value       = aws_s3_bucket.reports.id
}

output "alert_topic_arn" {
  description = "Topic that hears about failing audits"
  value       = aws_sns_topic.alerts.arn
}

output "audit_role_arn" {
  description = "The function's role: trust it from the roles in audit_role_arns"
  value       = aws_iam_role.audit.arn
}

output "github_role_arn" {
  description = "Role for the GitHub Actions workflow (TABLESPEC_AUDIT_ROLE_ARN), if enabled"
  value       = local.github_enabled ? aws_iam_role.github[0].arn : null
}
