"""Terraform building blocks of the conformance cases: a compliant table, and its parts.

Every case is a module whose table is named `@NAME@` (the case's own name in the spec's
naming, e.g. `conf-kms-direct-prod`); `@ID@` is the case id, for names of other resources.
"""

from __future__ import annotations

TTL_ON = """  ttl {
    enabled        = true
    attribute_name = "ttl"
  }"""
PITR_ON = """  point_in_time_recovery {
    enabled = true
  }"""
SSE_ON = """  server_side_encryption {
    enabled = true
  }"""
TOPIC = """resource "aws_sns_topic" "t" {
  name = "@ID@-alerts"
}
"""
# Whether it is true is known only after apply: the topic is created by the same apply.
AFTER_APPLY = "length(aws_sns_topic.t.arn) > 0"


def sse(key: str) -> str:
    """A server_side_encryption block naming *key* (an expression)."""
    return f"""  server_side_encryption {{
    enabled     = true
    kms_key_arn = {key}
  }}"""


def table(*, ttl: str | None = TTL_ON, pitr: str | None = PITR_ON, sse: str | None = SSE_ON,
          extra: str = "", billing: str = '"PAY_PER_REQUEST"') -> str:
    """A table that meets the conformance spec, with the parts a case changes."""
    parts = [p for p in (ttl, pitr, sse, extra) if p]
    body = "\n\n".join(parts)
    return f"""resource "aws_dynamodb_table" "t" {{
  name         = "@NAME@"
  billing_mode = {billing}
  hash_key     = "id"

  attribute {{
    name = "id"
    type = "S"
  }}

{body}
}}
"""


def alarm(*, dimensions: str = "{ TableName = aws_dynamodb_table.t.name }",
          actions: str = "[aws_sns_topic.t.arn]", extra: str = "", period: str = "300",
          label: str = "a") -> str:
    """A ReadThrottleEvents alarm on the case's table (the spec's settings)."""
    return f"""resource "aws_cloudwatch_metric_alarm" "{label}" {{
  alarm_name          = "@ID@-{label}"
  namespace           = "AWS/DynamoDB"
  metric_name         = "ReadThrottleEvents"
  statistic           = "Sum"
  comparison_operator = "GreaterThanThreshold"
  threshold           = 10
  period              = {period}
  evaluation_periods  = 1
  alarm_actions       = {actions}
  dimensions          = {dimensions}
{extra}}}
"""


MATH_ALARM = """resource "aws_cloudwatch_metric_alarm" "math" {
  alarm_name          = "@ID@-math"
  comparison_operator = "GreaterThanThreshold"
  threshold           = 10
  evaluation_periods  = 1
  alarm_actions       = [aws_sns_topic.t.arn]

  metric_query {
    id          = "e"
    expression  = "r * 1"
    return_data = true
  }

  metric_query {
    id = "r"
    metric {
      namespace   = "AWS/DynamoDB"
      metric_name = "ReadThrottleEvents"
      period      = 300
      stat        = "Sum"
      dimensions  = { TableName = aws_dynamodb_table.t.name }
    }
  }
}
"""


REPLICA_REGION = "us-east-1"  # the region of every replica (the root's provider `aws.replica`)
# A module that uses the root's `aws.replica` provider configuration declares it.
REPLICA_PROVIDER = """terraform {
  required_providers {
    aws = {
      source                = "hashicorp/aws"
      configuration_aliases = [aws.replica]
    }
  }
}
"""
REPLICA_CALL = "providers = {\n    aws         = aws\n    aws.replica = aws.replica\n  }"


def replica(*, pitr: str | None = "true", key: str | None = None,
            propagate: str | None = "true") -> str:
    """A replica block in REPLICA_REGION."""
    lines = [f'    region_name            = "{REPLICA_REGION}"']
    lines += [f"    point_in_time_recovery = {pitr}"] if pitr else []
    lines += [f"    kms_key_arn            = {key}"] if key else []
    lines += [f"    propagate_tags         = {propagate}"] if propagate else []
    return "  replica {\n" + "\n".join(lines) + "\n  }"


def replica_resource(*, pitr: str = "true", protection: str | None = None) -> str:
    """An aws_dynamodb_table_replica of the case's table, in REPLICA_REGION."""
    extra = f"  deletion_protection_enabled = {protection}\n" if protection else ""
    return f"""resource "aws_dynamodb_table_replica" "r" {{
  provider               = aws.replica
  global_table_arn       = aws_dynamodb_table.t.arn
  point_in_time_recovery = {pitr}
{extra}}}
"""
