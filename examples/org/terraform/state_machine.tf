# The state machine, rendered from definition.asl.json.tftpl, and the schedule that starts it.

locals {
  definition = templatefile("${path.module}/definition.asl.json.tftpl", {
    list_shards_arn              = aws_lambda_function.fn["list-shards"].arn
    shard_arn                    = aws_lambda_function.fn["shard"].arn
    merge_arn                    = aws_lambda_function.fn["merge"].arn
    shard_task_timeout           = var.shard_timeout_seconds + 60
    max_concurrency              = var.max_concurrency
    tolerated_failure_percentage = var.tolerated_failure_percentage
    results_bucket               = aws_s3_bucket.reports.id
    results_prefix               = local.results_prefix
  })
}

resource "aws_sfn_state_machine" "audit" {
  name       = var.name
  role_arn   = aws_iam_role.state_machine.arn
  type       = "STANDARD"
  definition = local.definition
  tags       = var.tags

  # The role must allow the invocations before the first run.
  depends_on = [aws_iam_role_policy.state_machine]
}

resource "aws_cloudwatch_event_rule" "schedule" {
  name                = "${var.name}-schedule"
  description         = "Start the tablespec organization audit"
  schedule_expression = var.schedule_expression
  tags                = var.tags
}

resource "aws_cloudwatch_event_target" "audit" {
  rule     = aws_cloudwatch_event_rule.schedule.name
  arn      = aws_sfn_state_machine.audit.arn
  role_arn = aws_iam_role.schedule.arn
  input    = jsonencode({})
}
