"""What a table takes from elsewhere: provider default_tags, alarms tied to it, KMS keys
through variables and modules, module arguments with their defaults."""

from __future__ import annotations

from pathlib import Path

from checker.model import NO_MAXIMUM, EncLevel, Gsi, Key
from checker.unknown import Unknown
from tests.sources.hcl.util import one, states


def test_tags_merge_provider_default_tags_of_the_resource_provider(tmp_path: Path) -> None:
    found = states(tmp_path, {
        "main.tf": '''
            provider "aws" {
              default_tags {
                tags = { Team = "core", Env = "default" }
              }
            }
            provider "aws" {
              alias = "west"
              default_tags {
                tags = { Region = "west" }
              }
            }
            resource "aws_dynamodb_table" "t" {
              name     = "t"
              hash_key = "id"
              tags     = { Env = "prod" }
            }
            module "m" {
              source    = "./m"
              providers = { aws = aws.west }
            }
            variable "u" {}
            resource "aws_dynamodb_table" "u" {
              name     = "u"
              hash_key = "id"
              tags     = { Owner = var.u }
            }
        ''',
        "m/main.tf": '''
            resource "aws_dynamodb_table" "t" {
              name     = "m"
              hash_key = "id"
            }
        ''',
    })
    tags = {s.resource: s.tags for s in found}
    assert tags["aws_dynamodb_table.t"] == {"Team": "core", "Env": "prod"}
    assert tags["module.m.aws_dynamodb_table.t"] == {"Region": "west"}
    unknown = tags["aws_dynamodb_table.u"]
    assert isinstance(unknown, dict) and unknown["Team"] == "core"
    owner = unknown["Owner"]  # the one value not known; the others are
    assert isinstance(owner, Unknown) and "var.u (" in owner.reason


ALARM = '''
resource "aws_cloudwatch_metric_alarm" "{name}" {{
  {meta}
  alarm_name          = "{name}"
  namespace           = "AWS/DynamoDB"
  metric_name         = "ReadThrottleEvents"
  statistic           = "Sum"
  comparison_operator = "GreaterThanThreshold"
  threshold           = 10
  period              = 300
  evaluation_periods  = 1
  alarm_actions       = {actions}
  dimensions = {dimensions}
}}
'''


def alarm(name: str, dimensions: str, actions: str = "[]", meta: str = "") -> str:
    """An alarm resource named *name*."""
    return ALARM.format(name=name, dimensions=dimensions, actions=actions, meta=meta)


def test_alarms_are_tied_by_name_or_by_reference(tmp_path: Path) -> None:
    found = states(tmp_path, {"main.tf": "\n".join([
        'variable "p" {}',
        'resource "aws_sns_topic" "t" {\n  name = "alerts"\n}',
        'resource "aws_dynamodb_table" "a" {\n  name = "a-tbl"\n  hash_key = "id"\n}',
        'resource "aws_dynamodb_table" "b" {\n  name = "${var.p}-b"\n  hash_key = "id"\n}',
        'locals {\n  names = { b = aws_dynamodb_table.b.name }\n}',
        alarm("by_name", '{ TableName = "a-tbl" }', '[aws_sns_topic.t.arn, "arn:aws:sns:x"]'),
        alarm("by_ref", "{ TableName = each.value }", meta="for_each = local.names"),
        alarm("not_a_table", '{ QueueName = "q" }'),
        alarm("other_table", '{ TableName = "elsewhere" }'),
    ])})
    by = {s.resource: s for s in found}
    a, b = by["aws_dynamodb_table.a"], by["aws_dynamodb_table.b"]
    assert isinstance(b.name, Unknown) and b.name.parts == (None, "-b")
    assert [x.resource for x in a.alarms] == ["aws_cloudwatch_metric_alarm.by_name"]
    assert [x.resource for x in b.alarms] == ['aws_cloudwatch_metric_alarm.by_ref["b"]']
    assert a.alarms_incomplete is None and b.alarms_incomplete is None
    first = a.alarms[0]
    assert (first.threshold, first.period, first.evaluation_periods) == (10.0, 300, 1)
    assert first.actions_enabled is True and first.dimensions == {"TableName": "a-tbl"}
    assert isinstance(first.actions, tuple) and len(first.actions) == 2
    assert isinstance(first.actions[0], Unknown) and first.actions[1] == "arn:aws:sns:x"
    assert "aws_sns_topic.t.arn (" in first.actions[0].reason
    assert first.field_locations["threshold"].line is not None


def test_an_alarm_whose_table_cannot_be_told_marks_alarms_incomplete(tmp_path: Path) -> None:
    found = states(tmp_path, {"main.tf": "\n".join([
        'variable "n" {}',
        'resource "aws_dynamodb_table" "a" {\n  name = "a-tbl"\n  hash_key = "id"\n}',
        alarm("loose", "{ TableName = var.n }"),
    ])})
    incomplete = found[0].alarms_incomplete
    assert isinstance(incomplete, Unknown)
    assert "aws_cloudwatch_metric_alarm.loose" in incomplete.reason
    assert "var.n (" in incomplete.reason
    assert found[0].alarms == []


def test_a_kms_key_resource_through_variables_locals_and_modules_is_customer_managed(
        tmp_path: Path) -> None:
    found = states(tmp_path, {
        "main.tf": '''
            resource "aws_kms_key" "k" {}
            data "aws_kms_alias" "aws" {
              name = "alias/aws/dynamodb"
            }
            locals {
              key = aws_kms_key.k.arn
            }
            module "cmk" {
              source = "./table"
              name   = "cmk"
              key    = local.key
            }
            module "managed" {
              source = "./table"
              name   = "managed"
              key    = data.aws_kms_alias.aws.target_key_arn
            }
        ''',
        "table/main.tf": '''
            variable "name" {}
            variable "key" {}
            resource "aws_dynamodb_table" "t" {
              name     = var.name
              hash_key = "id"
              server_side_encryption {
                enabled     = true
                kms_key_arn = try(var.key, null)
              }
            }
        ''',
    })
    levels = {s.name: (s.encryption.low, s.encryption.high) for s in found}
    assert levels == {"cmk": (EncLevel.CUSTOMER_MANAGED,) * 2,
                      "managed": (EncLevel.AWS_MANAGED,) * 2}


def test_module_arguments_with_optional_defaults_and_non_nullable_variables(
        tmp_path: Path) -> None:
    state = one(tmp_path, {
        "main.tf": '''
            module "t" {
              source  = "./t"
              billing = null
              gsis    = [{ name = "G", hash_key = "id" }]
            }
        ''',
        "t/main.tf": '''
            variable "billing" {
              type     = string
              default  = "PAY_PER_REQUEST"
              nullable = false
            }
            variable "gsis" {
              type = list(object({
                name            = string
                hash_key        = string
                projection_type = optional(string, "KEYS_ONLY")
              }))
            }
            resource "aws_dynamodb_table" "t" {
              name         = "t"
              hash_key     = "id"
              billing_mode = var.billing
              dynamic "global_secondary_index" {
                for_each = var.gsis
                content {
                  name            = global_secondary_index.value.name
                  hash_key        = global_secondary_index.value.hash_key
                  projection_type = global_secondary_index.value.projection_type
                }
              }
            }
        ''',
    })
    assert state.billing_mode == "PAY_PER_REQUEST"
    assert state.gsis == (Gsi("G", Key("id", None), None, "KEYS_ONLY", (), None, None, NO_MAXIMUM),)
