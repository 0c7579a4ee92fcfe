"""Replicas of a global table read from Terraform source: each one the table in its region."""

from __future__ import annotations

from pathlib import Path

from checker.model import EncLevel, TableState
from checker.unknown import Unknown
from tests.sources.hcl.util import states

PROVIDERS = """
provider "aws" {
  region = "eu-west-1"
}

provider "aws" {
  alias  = "east"
  region = "us-east-1"
}

variable "far" {
  type = string
}

provider "aws" {
  alias  = "far"
  region = var.far
}
"""


def _table(body: str, name: str = "events-prod") -> str:
    return f"""
resource "aws_kms_key" "k" {{
  multi_region = true
}}

resource "aws_dynamodb_table" "t" {{
  name         = "{name}"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"

  attribute {{
    name = "id"
    type = "S"
  }}

  point_in_time_recovery {{
    enabled = true
  }}

  server_side_encryption {{
    enabled     = true
    kms_key_arn = aws_kms_key.k.arn
  }}

  tags = {{
    Owner = "platform"
  }}
{body}
}}
"""


def _by_region(found: list[TableState]) -> dict[str | None, TableState]:
    return {s.replica: s for s in found}


def test_a_replica_block_is_the_table_in_its_region_with_its_own_settings(
        tmp_path: Path) -> None:
    found = _by_region(states(tmp_path, {"main.tf": PROVIDERS + _table("""
  replica {
    region_name = "us-east-1"
  }

  replica {
    region_name            = "ap-south-1"
    point_in_time_recovery = true
    propagate_tags         = true
    kms_key_arn            = aws_kms_replica_key.r.arn
  }
""") + 'resource "aws_kms_replica_key" "r" {\n  provider        = aws.east\n'
        '  primary_key_arn = aws_kms_key.k.arn\n}\n'}))
    table, east, south = found[None], found["us-east-1"], found["ap-south-1"]
    assert table.region == "eu-west-1" and table.pitr is True
    assert (east.region, east.name, east.resource) == ("us-east-1", "events-prod",
                                                       "aws_dynamodb_table.t")
    assert east.pitr is False and east.deletion_protection is False
    assert east.encryption.known and east.encryption.low is EncLevel.AWS_MANAGED
    assert isinstance(east.tags, Unknown) and "propagate_tags" in east.tags.reason
    assert east.hash_key == table.hash_key and east.ttl == table.ttl
    assert south.pitr is True and south.tags == {"Owner": "platform"}
    assert south.encryption.low is EncLevel.CUSTOMER_MANAGED
    assert east.location.line is not None and south.location.line is not None
    assert east.location.line < south.location.line  # each points at its own block


def test_a_replica_of_a_table_whose_encryption_is_off_uses_the_aws_owned_key(
        tmp_path: Path) -> None:
    text = _table('  replica {\n    region_name = "us-east-1"\n'
                  '    kms_key_arn = aws_kms_key.k.arn\n  }\n').replace(
        "enabled     = true\n    kms_key_arn = aws_kms_key.k.arn", "enabled = false")
    replica = _by_region(states(tmp_path, {"main.tf": PROVIDERS + text}))["us-east-1"]
    assert replica.encryption.known and replica.encryption.low is EncLevel.AWS_OWNED


def test_replicas_decided_at_apply_stand_as_one_replica_whose_settings_are_not_known(
        tmp_path: Path) -> None:
    text = _table("""
  dynamic "replica" {
    for_each = var.regions
    content {
      region_name = replica.value
    }
  }
""") + 'variable "regions" {\n  type = list(string)\n}\n'
    found = _by_region(states(tmp_path, {"main.tf": PROVIDERS + text}))
    assert set(found) == {None, "replica[?]"}
    assert isinstance(found["replica[?]"].pitr, Unknown)
    assert found["replica[?]"].region is None


def test_a_replica_resource_takes_its_region_from_its_provider_and_the_rest_from_its_table(
        tmp_path: Path) -> None:
    found = _by_region(states(tmp_path, {"main.tf": PROVIDERS + _table("") + """
resource "aws_dynamodb_table_replica" "r" {
  provider                    = aws.east
  global_table_arn            = aws_dynamodb_table.t.arn
  deletion_protection_enabled = true
  tags = {
    Owner = "replica-team"
  }
}
"""}))
    replica = found["us-east-1"]
    assert (replica.name, replica.resource) == ("events-prod",
                                                "aws_dynamodb_table_replica.r")
    assert replica.pitr is False and replica.deletion_protection is True
    assert replica.tags == {"Owner": "replica-team"}
    assert replica.encryption.low is EncLevel.AWS_MANAGED  # no key of its own: aws/dynamodb
    assert replica.hash_key == found[None].hash_key


def test_a_replica_of_a_table_declared_elsewhere_knows_its_name_not_its_table(
        tmp_path: Path) -> None:
    replica = states(tmp_path, {"main.tf": PROVIDERS + """
resource "aws_dynamodb_table_replica" "r" {
  provider         = aws.east
  global_table_arn = "arn:aws:dynamodb:eu-west-1:111122223333:table/events-prod"
}
"""})[0]
    assert (replica.name, replica.region) == ("events-prod", "us-east-1")
    assert isinstance(replica.hash_key, Unknown)
    assert "not declared in this source" in replica.hash_key.reason
    assert replica.pitr is False


ALARM = """
resource "aws_cloudwatch_metric_alarm" "{label}" {{
  {provider}
  alarm_name          = "{label}"
  namespace           = "AWS/DynamoDB"
  metric_name         = "ReadThrottleEvents"
  statistic           = "Sum"
  comparison_operator = "GreaterThanThreshold"
  threshold           = 10
  period              = 300
  evaluation_periods  = 1
  dimensions          = {{ TableName = aws_dynamodb_table.t.name }}
}}
"""


def test_an_alarm_watches_the_table_of_its_own_region_only(tmp_path: Path) -> None:
    alarms = (ALARM.format(label="home", provider="")
              + ALARM.format(label="east", provider="provider = aws.east"))
    found = _by_region(states(tmp_path, {"main.tf": PROVIDERS + _table(
        '  replica {\n    region_name = "us-east-1"\n  }\n'
        '  replica {\n    region_name = "ap-south-1"\n  }\n') + alarms}))
    assert [a.name for a in found[None].alarms] == ["home"]
    assert [a.name for a in found["us-east-1"].alarms] == ["east"]
    assert found["ap-south-1"].alarms == [] and found["ap-south-1"].alarms_incomplete is None


def test_an_alarm_whose_region_is_not_known_leaves_the_alarms_unknown_not_counted(
        tmp_path: Path) -> None:
    found = _by_region(states(tmp_path, {"main.tf": PROVIDERS + _table(
        '  replica {\n    region_name = "us-east-1"\n  }\n')
        + ALARM.format(label="far", provider="provider = aws.far")}))
    for state in found.values():
        assert state.alarms == []
        assert state.alarms_incomplete is not None
        assert "alarm aws_cloudwatch_metric_alarm.far" in state.alarms_incomplete.reason


def test_an_inline_skip_may_name_the_region_of_one_replica(tmp_path: Path) -> None:
    found = _by_region(states(tmp_path, {"main.tf": PROVIDERS + _table("""
  # tablespec:skip=TS-PITR-001@us-east-1:replica PITR comes with TICKET-9
  # tablespec:skip=TS-TAG-001:tags are set by the account baseline
  replica {
    region_name = "us-east-1"
  }
""")}))
    assert [(s.id, s.region) for s in found[None].skips] == [("TS-PITR-001", "us-east-1"),
                                                              ("TS-TAG-001", None)]
    assert found["us-east-1"].skips == ()  # the resource's skips are collected once


def test_a_tables_replica_regions_are_its_blocks_and_the_replica_resources_of_its_name(
        tmp_path: Path) -> None:
    """A replica block in us-east-1, a replica resource in a region nothing tells, and
    another table's replicas, which are not this one's."""
    block = '  replica {\n    region_name = "us-east-1"\n  }\n'
    other = _table(block, "other-prod").replace('"t"', '"o"').replace('"k"', '"ok"').replace(
        "aws_kms_key.k", "aws_kms_key.ok")
    found = states(tmp_path, {"main.tf": PROVIDERS + _table(block) + other})
    tables = {s.name: s.replica_regions for s in found if s.replica is None}
    assert tables == {"events-prod": ("us-east-1",), "other-prod": ("us-east-1",)}
    far = states(tmp_path / "far", {"main.tf": PROVIDERS + _table(block) + """
resource "aws_dynamodb_table_replica" "r" {
  provider         = aws.far
  global_table_arn = aws_dynamodb_table.t.arn
}
"""})
    (table,) = [s for s in far if s.replica is None]
    assert isinstance(table.replica_regions, Unknown)
    assert "aws_dynamodb_table_replica.r" in table.replica_regions.reason
