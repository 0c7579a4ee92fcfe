"""The CloudFormation shape of the conformance cases that have one: the same setting written
in a template, held to the same verdict (`tablespec cfn` is the `cfn` mode).

Each shape is the Resources of one case, built from `cfnshapes`. The template's parameters
give its conditions: `AfterApply` is on a parameter with no value (what only deploy
decides), `Made` on one whose default makes it true, `NotMade` its negation. A Terraform
shape with no template counterpart is in NO_SHAPE, with why.
"""

from __future__ import annotations

from tests.conformance.cases import ALL, Case
from tests.conformance.cfnshapes import (
    COMPOSITE_ALARM,
    KEY,
    MATH_ALARM,
    MULTI_REGION_KEY,
    REPLICA_KEY,
    TOPIC,
    alarm,
    global_table,
    policy,
    replica,
    table,
    target,
)
from tests.conformance.roots import ACCOUNT, PROJECT, REGION, table_name
from tests.conformance.shapes import REPLICA_REGION

CFN = "cfn"
CK_CFN = "checkov cfn"
OUTSIDERS = {"AWS": ["arn:aws:iam::999999999999:root", "888888888888"]}
PROVISIONED = {"ProvisionedThroughput": "{ReadCapacityUnits: 5, WriteCapacityUnits: 5}"}
KMS = "{SSEEnabled: true, SSEType: KMS}"


def kms(key: str) -> str:
    """An SSESpecification on *key*."""
    return "{SSEEnabled: true, SSEType: KMS, KMSMasterKeyId: " + key + "}"


def replica_key(key: str) -> str:
    """A replica's SSESpecification on *key*."""
    return "{KMSMasterKeyId: " + key + "}"


TTL = "{AttributeName: ttl, Enabled: true}"
INDEX = ("[{IndexName: ById, KeySchema: [{AttributeName: id, KeyType: HASH}], "
         "Projection: {ProjectionType: ALL}}]")
BY_G = ("[{IndexName: byG, KeySchema: [{AttributeName: g, KeyType: HASH}], "
        "Projection: {ProjectionType: KEYS_ONLY}, "
        "ContributorInsightsSpecification: {Enabled: true}}]")
G_KEYS = "[{AttributeName: id, AttributeType: S}, {AttributeName: g, AttributeType: S}]"

SHAPES: dict[str, str] = {
    # encryption
    "kms-conditional-none": KEY.replace("    Type:", "    Condition: NotMade\n    Type:")
    + table(SSESpecification=kms("!If [NotMade, !GetAtt @ID@Key.Arn, !Ref AWS::NoValue]")),
    "kms-conditional-one": KEY.replace("    Type:", "    Condition: Made\n    Type:")
    + table(SSESpecification=kms("!If [Made, !GetAtt @ID@Key.Arn, !Ref AWS::NoValue]")),
    "kms-direct": KEY + table(SSESpecification=kms("!GetAtt @ID@Key.Arn")),
    "kms-variable-null": table(SSESpecification="{SSEEnabled: true}"),
    "kms-aws-alias-lookup": table(SSESpecification=kms("alias/aws/dynamodb")),
    "kms-aws-alias-arn": table(SSESpecification=kms(
        f"arn:aws:kms:{REGION}:{ACCOUNT}:alias/aws/dynamodb")),
    "kms-literal-key": table(SSESpecification=kms(
        f"arn:aws:kms:{REGION}:{ACCOUNT}:key/0b8e1b2c-1f11-4a1a-9d3c-2f5c6a7b8c9d")),
    "sse-disabled": table(SSESpecification="{SSEEnabled: false}"),
    "sse-left-out": table(SSESpecification=""),
    "sse-enabled-string": table(SSESpecification='{SSEEnabled: "true"}'),
    "sse-dynamic-at-apply": table(SSESpecification="!If [AfterApply, {SSEEnabled: true}, "
                                                   "!Ref AWS::NoValue]"),
    # TTL
    "ttl-dynamic-at-apply": table(TimeToLiveSpecification=f"!If [AfterApply, {TTL}, "
                                                          "!Ref AWS::NoValue]"),
    "ttl-dynamic-empty": table(TimeToLiveSpecification=f"!If [NotMade, {TTL}, "
                                                       "!Ref AWS::NoValue]"),
    "ttl-dynamic-one": table(TimeToLiveSpecification=f"!If [Made, {TTL}, !Ref AWS::NoValue]"),
    "ttl-left-out": table(TimeToLiveSpecification=""),
    "ttl-enabled-at-apply": table(TimeToLiveSpecification="{AttributeName: ttl, Enabled: "
                                                          "!If [AfterApply, true, false]}"),
    # PITR, streams, the table class
    "pitr-enabled-string": table(PointInTimeRecoverySpecification="{"
                                 "PointInTimeRecoveryEnabled: \"true\"}"),
    "pitr-left-out": table(PointInTimeRecoverySpecification=""),
    "pitr-variable-false": table(PointInTimeRecoverySpecification="{"
                                 "PointInTimeRecoveryEnabled: !Ref Recovery}"),
    "stream-on": table(StreamSpecification="{StreamViewType: NEW_AND_OLD_IMAGES}"),
    "stream-other-view": table(StreamSpecification="{StreamViewType: KEYS_ONLY}"),
    "stream-forbidden": table(StreamSpecification="{StreamViewType: NEW_IMAGE}"),
    "class-explicit-standard": table(TableClass="STANDARD"),
    "class-infrequent": table(TableClass="STANDARD_INFREQUENT_ACCESS"),
    "pitr-period-short": table(PointInTimeRecoverySpecification="{"
                               "PointInTimeRecoveryEnabled: true, RecoveryPeriodInDays: 7}"),
    "pitr-period-unset": table(),
    # capacity, Contributor Insights
    "on-demand-capped": table(OnDemandThroughput="{MaxReadRequestUnits: 100, "
                                                 "MaxWriteRequestUnits: 100}"),
    "on-demand-uncapped": table(),
    "insights-on": table(ContributorInsightsSpecification="{Enabled: true}"),
    "insights-index-only": table(GlobalSecondaryIndexes=BY_G).replace(
        "[{AttributeName: id, AttributeType: S}]", G_KEYS),
    # resource policies
    "policy-outside": table(ResourcePolicy=policy(OUTSIDERS)),
    "policy-org-pinned": table(ResourcePolicy=policy(
        "*", {"StringEquals": {"aws:PrincipalOrgID": "o-a1b2c3d4e5"}})),
    "policy-public-document": table(ResourcePolicy=policy("*")),
    "policy-literal": table(ResourcePolicy=policy(OUTSIDERS, resource='"*"')),
    "policy-none": table(),
    # autoscaling, billing, indexes
    "scaling-bounded": table("PROVISIONED", **PROVISIONED) + target("Read") + target("Write"),
    "scaling-write-missing": table("PROVISIONED", **PROVISIONED) + target("Read"),
    "billing-either": table("!If [AfterApply, PAY_PER_REQUEST, PROVISIONED]",
                            ProvisionedThroughput="!If [AfterApply, !Ref AWS::NoValue, "
                                                  "{ReadCapacityUnits: 5, WriteCapacityUnits: 5}]"),
    "gsi-dynamic-at-apply": table(GlobalSecondaryIndexes=f"!If [AfterApply, {INDEX}, "
                                                         "!Ref AWS::NoValue]"),
    # alarms
    "alarm-counts": TOPIC + table() + alarm(),
    "alarm-extra-dimension": TOPIC + table() + alarm(
        "[{Name: TableName, Value: !Ref @ID@Table}, {Name: Operation, Value: GetItem}]"),
    "alarm-index": TOPIC + table() + alarm(
        "[{Name: TableName, Value: !Ref @ID@Table}, "
        "{Name: GlobalSecondaryIndexName, Value: ByPlayer}]"),
    "alarm-metric-math": TOPIC + table() + MATH_ALARM,
    "alarm-composite": TOPIC + table() + MATH_ALARM + COMPOSITE_ALARM,
    "alarm-empty-action": table() + alarm(actions="[!Ref NoTopic]").replace(
        "    Properties:", "    Metadata: {cfn-lint: {config: {ignore_checks: [W1030]}}}  # the "
        "mistake\n    Properties:"),
    "alarm-actions-disabled": TOPIC + table() + alarm(ActionsEnabled="false"),
    "alarm-period-string": TOPIC + table() + alarm(Period='"300"'),
    # tags
    "tag-owner-empty": TOPIC + table(Tags="[{Key: Owner, Value: \"\"}, "
                                          "{Key: Topic, Value: !Ref @ID@Topic}]"),
    "tag-none": table(),
    # global tables: each replica in its own region
    "replica-right": global_table(),
    "replica-no-pitr": global_table(replica(REGION), replica(
        REPLICA_REGION, PointInTimeRecoverySpecification="")),
    "replica-no-key": KEY + global_table(
        replica(REGION, SSESpecification=replica_key("!GetAtt @ID@Key.Arn")),
        replica(REPLICA_REGION), sse=KMS),
    "replica-sse-off": MULTI_REGION_KEY + global_table(
        replica(REGION, SSESpecification=replica_key("!GetAtt @ID@Key.Arn")),
        replica(REPLICA_REGION, SSESpecification=replica_key(REPLICA_KEY)),
        sse="{SSEEnabled: false}"),
    "replica-multi-region-key": MULTI_REGION_KEY + global_table(
        replica(REGION, SSESpecification=replica_key("!GetAtt @ID@Key.Arn")),
        replica(REPLICA_REGION, SSESpecification=replica_key(REPLICA_KEY)), sse=KMS),
    "replica-regions": global_table(),
    "replica-regions-missing": table(),
    "replica-alarm-elsewhere": TOPIC + global_table() + alarm(),
    "replica-resource-unprotected": global_table(
        replica(REGION, DeletionProtectionEnabled="true"),
        replica(REPLICA_REGION, DeletionProtectionEnabled="false")),
}

NO_SHAPE: dict[str, str] = {
    "kms-try-none": "try() has no counterpart (kms-conditional-none is the condition's shape)",
    "kms-module-variable": "a template has no modules (a parameter is pitr-variable-false's)",
    "ttl-enabled-left-out": "CloudFormation requires Enabled in TimeToLiveSpecification",
    "tag-default-tags": "a stack's tags are given at deploy, not in the template",
    "replica-tags-left": "CloudFormation sets each replica's Tags: none written is none",
    "replica-resource-no-pitr": "a template has no separate replica resource (the shape is "
                                "replica-no-pitr's)",
}

PARAMETERS = """Parameters:
  Decided:
    Type: String
  Switch:
    Type: String
    Default: "on"
    AllowedValues: ["on", "off"]
  Recovery:
    Type: String
    Default: "false"
    AllowedValues: ["true", "false"]
  NoTopic:
    Type: String
    Default: ""
Conditions:
  AfterApply: !Equals [!Ref Decided, "yes"]
  Made: !Equals [!Ref Switch, "on"]
  NotMade: !Not [!Condition Made]
"""


def prefix(case: Case) -> str:
    """The case's id as a prefix of logical ids (letters and digits only)."""
    return "".join(part.capitalize() for part in case.id.split("-"))


def case_of_resource(resource: str) -> Case | None:
    """The case of a Checkov record's resource (`AWS::DynamoDB::Table.KmsDirectTable`)."""
    logical = resource.rpartition(".")[2]
    return next((c for c in ALL if f"{prefix(c)}Table" == logical), None)


def template() -> str:
    """Every shape in one template."""
    cases = [c for c in ALL if c.id in SHAPES]
    resources = "".join(SHAPES[c.id].replace("@ID@", prefix(c)).replace(
        "@NAME@", table_name(c)) for c in cases)
    return ('AWSTemplateFormatVersion: "2010-09-09"\nDescription: tablespec conformance '
            f"({PROJECT})\n{PARAMETERS}Resources:\n{resources}")


__all__ = ["CFN", "CK_CFN", "NO_SHAPE", "SHAPES", "case_of_resource", "template"]
