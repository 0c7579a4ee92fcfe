output "state_machine_arn" {
  description = "The audit's state machine: start it by hand with aws stepfunctions start-execution"
  value       = aws_sfn_state_machine.audit.arn
}

output "state_machine_definition" {
  description = "The rendered Amazon States Language definition"
  value       = local.definition
}

output "shard_role_arn" {
  description = "The role the shard function runs as: every member role trusts it (member-role's trusted_role_arn)"
  value       = aws_iam_role.fn["shard"].arn
}

output "function_names" {
  description = "The three functions: list-shards, shard and merge"
  value       = { for k, f in aws_lambda_function.fn : k => f.function_name }
}

output "report_bucket" {
  description = "Bucket with tablespec/latest.json, and tablespec/<run>/ for every run"
  value       = aws_s3_bucket.reports.id
}

output "alert_topic_arn" {
  description = "Topic that hears about failing audits"
  value       = aws_sns_topic.alerts.arn
}
