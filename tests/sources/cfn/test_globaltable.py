"""AWS::DynamoDB::GlobalTable: each replica held to the spec in its own region."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from checker.cli import main
from checker.sources.cfn.parameters import Pseudo
from checker.sources.cfn.source import Options, read_template
from checker.sources.cfn.template import load_template
from checker.unknown import Unknown
from tests.support.paths import REPO

GLOBAL = """AWSTemplateFormatVersion: "2010-09-09"
Resources:
  Key:
    Type: AWS::KMS::Key
    Properties:
      KeyPolicy: {{Version: "2012-10-17", Statement: []}}
  Sessions:
    Type: AWS::DynamoDB::GlobalTable
    Properties:
      TableName: hypermage-vr-player-sessions-prod
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions:
        - {{AttributeName: playerId, AttributeType: S}}
        - {{AttributeName: sessionId, AttributeType: S}}
      KeySchema:
        - {{AttributeName: playerId, KeyType: HASH}}
        - {{AttributeName: sessionId, KeyType: RANGE}}
      StreamSpecification: {{StreamViewType: NEW_AND_OLD_IMAGES}}
      TimeToLiveSpecification: {{AttributeName: ttl, Enabled: true}}
      SSESpecification: {{SSEEnabled: true, SSEType: KMS}}
      Replicas:
        - Region: eu-west-1
          PointInTimeRecoverySpecification: {{PointInTimeRecoveryEnabled: true}}
{west}
        - Region: us-east-1
          PointInTimeRecoverySpecification: {{PointInTimeRecoveryEnabled: {east_pitr}}}
{east}
"""
KEY = "          SSESpecification: {KMSMasterKeyId: !GetAtt Key.Arn}"


def findings(tmp_path: Path, *args: str, east_pitr: str = "true", west: str = "",
             east: str = "", spec: str | None = None) -> list[dict[str, Any]]:
    """`tablespec cfn` on the global table: its findings for the sessions table."""
    (tmp_path / "stack.yaml").write_text(GLOBAL.format(east_pitr=east_pitr, west=west,
                                                       east=east))
    out = tmp_path / "r.json"
    code = main(["cfn", str(tmp_path / "stack.yaml"), "--spec",
                 spec or str(REPO / "specs" / "tables.yaml"), "--env", "prod", "--format",
                 "json", "-o", str(out), *args])
    assert code in (0, 1)
    return [f for f in json.loads(out.read_text())["findings"]
            if f["table"] == "player-sessions"]


def by_region(found: list[dict[str, Any]], rule: str) -> dict[str | None, str]:
    return {f["region"]: f["status"] for f in found if f["rule_id"] == rule}


def test_a_replica_without_pitr_fails_in_its_region(tmp_path: Path) -> None:
    found = findings(tmp_path, "--region", "eu-west-1", east_pitr="false")
    assert by_region(found, "TS-PITR-001") == {"eu-west-1": "pass", "us-east-1": "fail"}
    failing = next(f for f in found if f["rule_id"] == "TS-PITR-001" and f["status"] == "fail")
    assert failing["location"]["file"].endswith("stack.yaml")


def test_without_the_stacks_region_every_replica_is_still_judged(tmp_path: Path) -> None:
    found = findings(tmp_path, east_pitr="false")
    pitr = by_region(found, "TS-PITR-001")
    assert pitr["us-east-1"] == "fail" and pitr["eu-west-1"] == "pass"
    assert pitr[None] == "unknown"  # the table itself: the replicas differ


@pytest.mark.parametrize(("west", "east", "expected"), [
    ("", "", "fail"),  # the AWS managed key in every region
    (KEY, KEY, "pass"),
])
def test_the_aws_managed_key_fails_a_customer_managed_spec_in_every_region(
        tmp_path: Path, west: str, east: str, expected: str) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text((REPO / "specs" / "tables.yaml").read_text().replace(
        "encryption: aws_managed", "encryption: customer_managed"))
    found = findings(tmp_path, "--region", "eu-west-1", west=west, east=east,
                     spec=str(spec))
    assert by_region(found, "TS-SSE-001") == {"eu-west-1": expected, "us-east-1": expected}


def test_the_replica_regions_meet_the_replicas_key(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text((REPO / "specs" / "tables.yaml").read_text().replace(
        "\ndefaults:\n", "\ndefaults:\n  replicas: {required_in: [prod], regions: "
        "[eu-west-1, us-east-1, ap-south-1]}\n"))
    found = findings(tmp_path, "--region", "eu-west-1", spec=str(spec))
    repl = [f for f in found if f["rule_id"] == "TS-REPL-001"]
    assert [(f["status"], f["region"]) for f in repl] == [("fail", "eu-west-1")]
    assert "ap-south-1" in repl[0]["message"]


UNNAMED = """Resources:
  Sessions:
    Type: AWS::DynamoDB::GlobalTable
    Properties:
      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]
      KeySchema: [{AttributeName: id, KeyType: HASH}]
      StreamSpecification: {StreamViewType: NEW_AND_OLD_IMAGES}
      Replicas: [{Region: eu-west-1}, {Region: us-east-1}]
  Throttles:
    Type: AWS::CloudWatch::Alarm
    Properties:
      Namespace: AWS/DynamoDB
      MetricName: ReadThrottleEvents
      Dimensions: [{Name: TableName, Value: !Ref Sessions}]
"""


def test_an_alarm_ties_to_a_global_table_by_ref_in_its_region_only() -> None:
    """A global table CloudFormation names: the alarm's Ref ties it to the replica of the
    stack's region, and not to the other (alarms are per region)."""
    read = read_template(load_template("t.yaml", UNNAMED),
                         Options(pseudo=Pseudo(region="eu-west-1")))
    alarmed = {s.region: [a.resource for a in s.alarms] for s in read.states}
    assert alarmed == {"eu-west-1": ["Throttles"], "us-east-1": []}
    assert all(s.alarms_incomplete is None for s in read.states)


SCALED = """
      WriteProvisionedThroughputSettings:
        WriteCapacityAutoScalingSettings:
          MinCapacity: 5
          MaxCapacity: {high}
          TargetTrackingScalingPolicyConfiguration: {{TargetValue: 70}}
      Replicas:"""
READ_SCALED = """          ReadProvisionedThroughputSettings:
            ReadCapacityAutoScalingSettings:
              MinCapacity: 5
              MaxCapacity: 100
              TargetTrackingScalingPolicyConfiguration: {TargetValue: 70}"""


@pytest.mark.parametrize(("high", "expected"), [(100, "pass"), (500, "fail")])
def test_a_global_tables_own_autoscaling_meets_the_spec(tmp_path: Path, high: int,
                                                       expected: str) -> None:
    """CloudFormation registers the scalable targets a global table declares: they count
    (no AWS::ApplicationAutoScaling::ScalableTarget is written for them)."""
    spec = tmp_path / "spec.yaml"
    spec.write_text((REPO / "specs" / "tables.yaml").read_text().replace(
        "\ndefaults:\n", "\ndefaults:\n  capacity: {autoscaling: {required_in: [prod], "
        "min: 5, max: 100}}\n"))
    text = GLOBAL.format(east_pitr="true", west=READ_SCALED, east=READ_SCALED)
    (tmp_path / "stack.yaml").write_text(text.replace(
        "BillingMode: PAY_PER_REQUEST", "BillingMode: PROVISIONED").replace(
        "\n      Replicas:", SCALED.format(high=high)))
    out = tmp_path / "r.json"
    main(["cfn", str(tmp_path / "stack.yaml"), "--spec", str(spec), "--env", "prod",
          "--region", "eu-west-1", "--format", "json", "-o", str(out)])
    found = [f for f in json.loads(out.read_text())["findings"]
             if f["table"] == "player-sessions"]
    assert set(by_region(found, "TS-CAP-002").values()) == {expected}


def test_a_replica_in_ref_aws_region_is_the_table_itself_without_the_region() -> None:
    """What the CDK writes for a TableV2 of an environment-agnostic stack: one replica, in
    `Ref AWS::Region`: the stack's own region, not known, and the table itself."""
    text = UNNAMED.replace("Replicas: [{Region: eu-west-1}, {Region: us-east-1}]",
                           "Replicas: [{Region: !Ref AWS::Region}]")
    read = read_template(load_template("t.yaml", text), Options(pseudo=Pseudo()))
    assert [(s.replica, s.region, [a.resource for a in s.alarms]) for s in read.states] == [
        (None, None, ["Throttles"])]


CDK_V1 = """Resources:
  Sessions:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: hypermage-vr-player-sessions-prod
      AttributeDefinitions: [{AttributeName: playerId, AttributeType: S},
                             {AttributeName: sessionId, AttributeType: S}]
      KeySchema: [{AttributeName: playerId, KeyType: HASH},
                  {AttributeName: sessionId, KeyType: RANGE}]
      BillingMode: PAY_PER_REQUEST
      StreamSpecification: {StreamViewType: NEW_AND_OLD_IMAGES}
    Metadata: {aws:cdk:path: Prod/Sessions/Resource}
  SessionsReplicauseast1:
    Type: Custom::DynamoDBReplica
    Properties:
      ServiceToken: arn:aws:lambda:eu-west-1:123456789012:function:replica-handler
      TableName: !Ref Sessions
      Region: @REGION@
"""


@pytest.mark.parametrize(("region", "regions"), [
    ("us-east-1", ("us-east-1",)),
    ("!Ref Chosen", None),  # a region only deploy knows: which regions is not known
])
def test_the_cdk_tables_custom_resource_replicas_are_replicas(
        region: str, regions: tuple[str, ...] | None) -> None:
    """The CDK's Table with replicationRegions: each Custom::DynamoDBReplica a replica in
    its region, whose own settings the template does not say."""
    text = CDK_V1.replace("@REGION@", region)
    if "Chosen" in region:
        text = "Parameters:\n  Chosen: {Type: String}\n" + text
    read = read_template(load_template("t.yaml", text),
                         Options(pseudo=Pseudo(region="eu-west-1")))
    table = next(s for s in read.states if s.replica is None)
    assert table.resource == "Prod/Sessions"
    if regions is None:
        assert isinstance(table.replica_regions, Unknown)
        assert [s.replica for s in read.states] == [None]
        return
    assert table.replica_regions == regions
    (replica,) = [s for s in read.states if s.replica is not None]
    assert (replica.region, replica.resource, replica.hash_key) == (
        "us-east-1", "Prod/Sessions", table.hash_key)
    assert isinstance(replica.pitr, Unknown) and "Custom::DynamoDBReplica" in replica.pitr.reason
