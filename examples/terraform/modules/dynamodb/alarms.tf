# Throttle alarms: read and write throttle events > 10 in 5 minutes, per table.

locals {
  table_names = {
    player_sessions    = aws_dynamodb_table.player_sessions.name
    interaction_events = aws_dynamodb_table.interaction_events.name
    player_rewards     = aws_dynamodb_table.player_rewards.name
  }

  throttle_alarms = var.enable_cloudwatch_alarms ? {
    for pair in setproduct(keys(local.table_names), ["Read", "Write"]) :
    "${pair[0]}_${lower(pair[1])}" => {
      table  = local.table_names[pair[0]]
      metric = "${pair[1]}ThrottleEvents"
    }
  } : {}
}

resource "aws_cloudwatch_metric_alarm" "throttle" {
  for_each = local.throttle_alarms

  alarm_name          = "${each.value.table}-${lower(each.value.metric)}"
  alarm_description   = "${each.value.metric} > 10 in 5 minutes on ${each.value.table}"
  namespace           = "AWS/DynamoDB"
  metric_name         = each.value.metric
  statistic           = "Sum"
  period              = 300
  evaluation_periods  = 1
  threshold           = 10
  comparison_operator = "GreaterThanThreshold"
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_sns_topic_arns
  ok_actions          = var.alarm_sns_topic_arns

  dimensions = {
    TableName = each.value.table
  }

  tags = local.common_tags
}
