# Drift for `tablespec demo`: dropped into a copy of modules/dynamodb.

# Someone turned backups off on the events table.
resource "aws_dynamodb_table" "interaction_events" {
  point_in_time_recovery {
    enabled = false
  }
}

# Someone "cleaned up" rewards with a TTL: rewards must persist.
resource "aws_dynamodb_table" "player_rewards" {
  ttl {
    enabled        = true
    attribute_name = "ttl"
  }
}

# Someone silenced a noisy alarm.
resource "aws_cloudwatch_metric_alarm" "throttle" {
  threshold = each.key == "player_sessions_read" ? 500 : 10
}
