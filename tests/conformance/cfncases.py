"""The CloudFormation shape of the conformance cases that have one: the same setting written
in a template, held to the same verdict (`tablespec cfn` is the `cfn` mode).

Each shape is the Resources of one case: `@ID@` is the case's own prefix for its logical ids
(its table is `@ID@Table`), `@NAME@` the table's name. `AfterApply` is a template condition
on a parameter with no value: what only deploy decides.
"""

from __future__ import annotations

import json

from tests.conformance.cases import ALL, Case
from tests.conformance.roots import PROJECT, table_name

CFN = "cfn"
BASE = {"TimeToLiveSpecification": "{AttributeName: ttl, Enabled: true}",
        "PointInTimeRecoverySpecification": "{PointInTimeRecoveryEnabled: true}",
        "SSESpecification": "{SSEEnabled: true}"}
KEY = ("  @ID@Key:\n    Type: AWS::KMS::Key\n    Properties:\n      KeyPolicy:\n"
       "        Version: \"2012-10-17\"\n        Statement:\n"
       "          - {Effect: Allow, Principal: {AWS: !Sub \"arn:${AWS::Partition}:iam::"
       "${AWS::AccountId}:root\"}, Action: \"kms:*\", Resource: \"*\"}\n")
# the table's own ARN, written as CloudFormation allows in its policy (not a GetAtt of itself)
ARN = '!Sub "arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/@NAME@"'
OUTSIDERS = {"AWS": ["arn:aws:iam::999999999999:root", "888888888888"]}


def table(billing: str = "PAY_PER_REQUEST", **props: str) -> str:
    """The case's table: the base settings, with *props* changed (an empty one left out)."""
    lines = [f"      {k}: {v}" for k, v in {**BASE, **props}.items() if v]
    return ("  @ID@Table:\n    Type: AWS::DynamoDB::Table\n    Properties:\n"
            "      TableName: @NAME@\n"
            f"      BillingMode: {billing}\n"
            "      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]\n"
            "      KeySchema: [{AttributeName: id, KeyType: HASH}]\n" + "\n".join(lines) + "\n")


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


PROVISIONED = {"ProvisionedThroughput": "{ReadCapacityUnits: 5, WriteCapacityUnits: 5}"}
SHAPES: dict[str, str] = {
    "kms-direct": KEY + table(SSESpecification="{SSEEnabled: true, SSEType: KMS, "
                                               "KMSMasterKeyId: !GetAtt @ID@Key.Arn}"),
    "kms-variable-null": table(SSESpecification="{SSEEnabled: true}"),
    "kms-aws-alias-lookup": table(SSESpecification="{SSEEnabled: true, SSEType: KMS, "
                                                   "KMSMasterKeyId: alias/aws/dynamodb}"),
    "ttl-left-out": table(TimeToLiveSpecification=""),
    "ttl-enabled-at-apply": table(TimeToLiveSpecification="{AttributeName: ttl, Enabled: "
                                                          "!If [AfterApply, true, false]}"),
    "pitr-enabled-string": table(PointInTimeRecoverySpecification="{"
                                 "PointInTimeRecoveryEnabled: \"true\"}"),
    "pitr-left-out": table(PointInTimeRecoverySpecification=""),
    "stream-on": table(StreamSpecification="{StreamViewType: NEW_AND_OLD_IMAGES}"),
    "stream-other-view": table(StreamSpecification="{StreamViewType: KEYS_ONLY}"),
    "stream-forbidden": table(StreamSpecification="{StreamViewType: NEW_IMAGE}"),
    "class-explicit-standard": table(TableClass="STANDARD"),
    "class-infrequent": table(TableClass="STANDARD_INFREQUENT_ACCESS"),
    "pitr-period-short": table(PointInTimeRecoverySpecification="{"
                               "PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 7}"),
    "pitr-period-unset": table(),
    "on-demand-capped": table(OnDemandThroughput="{MaxReadRequestUnits: 100, "
                                                 "MaxWriteRequestUnits: 100}"),
    "on-demand-uncapped": table(),
    "insights-on": table(ContributorInsightsSpecification="{Enabled: true}"),
    "policy-outside": table(ResourcePolicy=policy(OUTSIDERS)),
    "policy-org-pinned": table(ResourcePolicy=policy(
        "*", {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}})),
    "policy-public-document": table(ResourcePolicy=policy("*")),
    "policy-literal": table(ResourcePolicy=policy(OUTSIDERS, resource='"*"')),
    "policy-none": table(),
    "scaling-bounded": table("PROVISIONED", **PROVISIONED) + target("Read") + target("Write"),
    "scaling-write-missing": table("PROVISIONED", **PROVISIONED) + target("Read"),
    "billing-either": table("!If [AfterApply, PAY_PER_REQUEST, PROVISIONED]",
                            ProvisionedThroughput="!If [AfterApply, !Ref AWS::NoValue, "
                                                  "{ReadCapacityUnits: 5, WriteCapacityUnits: 5}]"),
}


def prefix(case: Case) -> str:
    """The case's id as a prefix of logical ids (letters and digits only)."""
    return "".join(part.capitalize() for part in case.id.split("-"))


def template() -> str:
    """Every shape in one template."""
    cases = [c for c in ALL if c.id in SHAPES]
    resources = "".join(SHAPES[c.id].replace("@ID@", prefix(c)).replace(
        "@NAME@", table_name(c)) for c in cases)
    return ('AWSTemplateFormatVersion: "2010-09-09"\nDescription: tablespec conformance '
            f"({PROJECT})\nParameters:\n  Decided:\n    Type: String\n"
            "Conditions:\n  AfterApply: !Equals [!Ref Decided, \"yes\"]\n"
            f"Resources:\n{resources}")
