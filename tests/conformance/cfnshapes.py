"""CloudFormation building blocks of the conformance cases' template shapes (`cfncases`):
the case's table, as AWS::DynamoDB::Table or AWS::DynamoDB::GlobalTable, and its parts.

`@ID@` is the case's prefix for its logical ids (its table is `@ID@Table`), `@NAME@` the
table's name. Every YAML snippet is the text of one or more Resources entries.
"""

from __future__ import annotations

import json

from tests.conformance.roots import ACCOUNT, REGION
from tests.conformance.shapes import REPLICA_REGION

BASE = {"TimeToLiveSpecification": "{AttributeName: ttl, Enabled: true}",
        "PointInTimeRecoverySpecification": "{PointInTimeRecoveryEnabled: true}",
        "SSESpecification": "{SSEEnabled: true}"}
KEY = ("  @ID@Key:\n    Type: AWS::KMS::Key\n    Properties:\n      KeyPolicy:\n"
       "        Version: \"2012-10-17\"\n        Statement:\n"
       "          - {Effect: Allow, Principal: {AWS: !Sub \"arn:${AWS::Partition}:iam::"
       "${AWS::AccountId}:root\"}, Action: \"kms:*\", Resource: \"*\"}\n")
MULTI_REGION_KEY = KEY.replace("    Properties:\n", "    Properties:\n      MultiRegion: true\n")
# A key in the replica's region: a stack makes resources in its own region only.
REPLICA_KEY = f"arn:aws:kms:{REPLICA_REGION}:{ACCOUNT}:key/mrk-0b8e1b2c1f114a1a9d3c2f5c6a7b8c9d"
TOPIC = "  @ID@Topic:\n    Type: AWS::SNS::Topic\n"
ON = "{PointInTimeRecoveryEnabled: true}"
# the table's own ARN, written as CloudFormation allows in its policy (not a GetAtt of itself)
ARN = '!Sub "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/@NAME@"'
KEYS = ("      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]\n"
        "      KeySchema: [{AttributeName: id, KeyType: HASH}]\n")


def _lines(props: dict[str, str], indent: str = "      ") -> str:
    return "".join(f"{indent}{k}: {v}\n" for k, v in props.items() if v)


def table(billing: str = "PAY_PER_REQUEST", **props: str) -> str:
    """The case's table: the base settings, with *props* changed (an empty one left out)."""
    return ("  @ID@Table:\n    Type: AWS::DynamoDB::Table\n    Properties:\n"
            f"      TableName: @NAME@\n      BillingMode: {billing}\n" + KEYS
            + _lines({**BASE, **props}))


def replica(region: str, **props: str) -> str:
    """One entry of a global table's Replicas: point-in-time recovery on, *props* changed."""
    own = {"PointInTimeRecoverySpecification": ON, **props}
    return f"        - Region: {region}\n" + _lines(own, "          ")


def global_table(*replicas: str, sse: str = "{SSEEnabled: true}") -> str:
    """The case's table as a global table of *replicas* (each `replica()`'s; by default one
    in the stack's region and one in REPLICA_REGION, both with point-in-time recovery)."""
    chosen = replicas or (replica(REGION), replica(REPLICA_REGION))
    return ("  @ID@Table:\n    Type: AWS::DynamoDB::GlobalTable\n    Properties:\n"
            "      TableName: @NAME@\n      BillingMode: PAY_PER_REQUEST\n" + KEYS
            + "      StreamSpecification: {StreamViewType: NEW_AND_OLD_IMAGES}\n"
            + _lines({"TimeToLiveSpecification": BASE["TimeToLiveSpecification"],
                      "SSESpecification": sse})
            + "      Replicas:\n" + "".join(chosen))


def policy(principal: object, condition: object = None, resource: str = ARN) -> str:
    """A ResourcePolicy granting GetItem to *principal* (under *condition*)."""
    statement: dict[str, object] = {"Effect": "Allow", "Principal": principal,
                                    "Action": "dynamodb:GetItem", "Resource": "RESOURCE"}
    if condition is not None:
        statement["Condition"] = condition
    text = json.dumps({"Version": "2012-10-17", "Statement": [statement]})
    return "{PolicyDocument: " + text.replace('"RESOURCE"', resource) + "}"


def target(dimension: str, low: int = 5, high: int = 100) -> str:
    """A scalable target of the case's table."""
    return (f"  @ID@{dimension}:\n    Type: AWS::ApplicationAutoScaling::ScalableTarget\n"
            "    Properties:\n      ServiceNamespace: dynamodb\n"
            '      ResourceId: !Sub "table/${@ID@Table}"\n'
            f"      ScalableDimension: dynamodb:table:{dimension}CapacityUnits\n"
            f"      MinCapacity: {low}\n      MaxCapacity: {high}\n"
            "      RoleARN: arn:aws:iam::123456789012:role/scaling\n")


TABLE_DIMENSION = "[{Name: TableName, Value: !Ref @ID@Table}]"


def alarm(dimensions: str = TABLE_DIMENSION, actions: str = "[!Ref @ID@Topic]",
          **props: str) -> str:
    """A ReadThrottleEvents alarm on the case's table (the spec's settings), *props* changed."""
    settings = {"AlarmName": "@ID@-a", "Namespace": "AWS/DynamoDB",
                "MetricName": "ReadThrottleEvents", "Statistic": "Sum",
                "ComparisonOperator": "GreaterThanThreshold", "Threshold": "10",
                "Period": "300", "EvaluationPeriods": "1", "AlarmActions": actions,
                "Dimensions": dimensions, **props}
    return "  @ID@Alarm:\n    Type: AWS::CloudWatch::Alarm\n    Properties:\n" + _lines(
        settings)


MATH_ALARM = """  @ID@Math:
    Type: AWS::CloudWatch::Alarm
    Properties:
      AlarmName: @ID@-math
      ComparisonOperator: GreaterThanThreshold
      Threshold: 10
      EvaluationPeriods: 1
      AlarmActions: [!Ref @ID@Topic]
      Metrics:
        - {Id: e, Expression: r * 1, ReturnData: true}
        - Id: r
          ReturnData: false
          MetricStat:
            Period: 300
            Stat: Sum
            Metric:
              Namespace: AWS/DynamoDB
              MetricName: ReadThrottleEvents
              Dimensions: [{Name: TableName, Value: !Ref @ID@Table}]
"""
COMPOSITE_ALARM = """  @ID@Composite:
    Type: AWS::CloudWatch::CompositeAlarm
    Properties:
      AlarmName: @ID@-composite
      AlarmRule: !Sub 'ALARM("${@ID@Math}")'
      AlarmActions: [!Ref @ID@Topic]
"""
