"""The shape of each answer the audit reads, checked before any field of it is used.

Only the fields tablespec reads, each typed as the API reference gives it. `req`: the
service always sends it in a successful answer (its absence, or a value of another type,
makes the answer malformed); `opt`: it may be absent, and its absence keeps its documented
meaning (no `SSEDescription`: the AWS owned key; no `BillingModeSummary`: provisioned; no
`LastEvaluatedTableName`: the last page). Fields not listed are not looked at.

JSON services (DynamoDB, KMS) are checked on the raw body, before botocore parses it (its
parser turns a string where a list belongs into a list of characters); every answer is
checked again once parsed (the query protocol of CloudWatch and STS, botocore's Stubber).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from checker.sources.live.faults import Malformed


@dataclass(frozen=True)
class Field:
    """One field: its JSON type, whether always present, and what it holds."""

    type: type
    required: bool = True
    fields: dict[str, Field] | None = None  # an object's fields
    items: Field | None = None  # a list's items


def req(kind: type, fields: dict[str, Field] | None = None, items: Field | None = None) -> Field:
    """A field the service always sends."""
    return Field(kind, True, fields, items)


def opt(kind: type, fields: dict[str, Field] | None = None, items: Field | None = None) -> Field:
    """A field that may be absent."""
    return Field(kind, False, fields, items)


def each(fields: dict[str, Field]) -> Field:
    """A list item: an object with *fields*."""
    return req(dict, fields)


NAMES = {str: "a string", int: "a whole number", bool: "true or false", list: "a list",
         dict: "an object", float: "a number"}
KEY_SCHEMA = req(list, items=each({"AttributeName": req(str), "KeyType": req(str)}))
THROUGHPUT = req(dict, {"ReadCapacityUnits": req(int), "WriteCapacityUnits": req(int)})
TABLE = {
    "TableName": req(str), "TableStatus": req(str), "TableArn": opt(str),
    "KeySchema": KEY_SCHEMA,
    "AttributeDefinitions": req(list, items=each({"AttributeName": req(str),
                                                  "AttributeType": req(str)})),
    "BillingModeSummary": opt(dict, {"BillingMode": opt(str)}),
    "ProvisionedThroughput": THROUGHPUT,
    "GlobalSecondaryIndexes": opt(list, items=each({
        "IndexName": req(str), "KeySchema": KEY_SCHEMA, "ProvisionedThroughput": THROUGHPUT,
        "Projection": req(dict, {"ProjectionType": req(str),
                                 "NonKeyAttributes": opt(list, items=req(str))})})),
    "SSEDescription": opt(dict, {"Status": req(str), "SSEType": opt(str),
                                 "KMSMasterKeyArn": opt(str)}),
    "DeletionProtectionEnabled": opt(bool),
    "Replicas": opt(list, items=each({"RegionName": req(str), "ReplicaStatus": opt(str)})),
}
DIMENSIONS = opt(list, items=each({"Name": req(str), "Value": req(str)}))
SHAPES: dict[tuple[str, str], dict[str, Field]] = {
    ("dynamodb", "ListTables"): {"TableNames": req(list, items=req(str)),
                                 "LastEvaluatedTableName": opt(str)},
    ("dynamodb", "DescribeTable"): {"Table": req(dict, TABLE)},
    ("dynamodb", "DescribeTimeToLive"): {"TimeToLiveDescription": req(dict, {
        "TimeToLiveStatus": req(str), "AttributeName": opt(str)})},
    ("dynamodb", "DescribeContinuousBackups"): {"ContinuousBackupsDescription": req(dict, {
        "ContinuousBackupsStatus": req(str),
        "PointInTimeRecoveryDescription": req(dict, {"PointInTimeRecoveryStatus": req(str)})})},
    ("dynamodb", "ListTagsOfResource"): {"Tags": req(list, items=each({"Key": req(str),
                                                                       "Value": req(str)})),
                                         "NextToken": opt(str)},
    ("dynamodb", "GetResourcePolicy"): {"Policy": req(str), "RevisionId": opt(str)},
    ("dynamodb", "Scan"): {"Items": req(list, items=req(dict)), "LastEvaluatedKey": opt(dict)},
    ("cloudwatch", "DescribeAlarms"): {
        "MetricAlarms": req(list, items=each({
            "AlarmName": req(str), "Dimensions": DIMENSIONS,
            "Metrics": opt(list, items=each({"MetricStat": opt(dict, {"Metric": req(dict, {
                "Dimensions": DIMENSIONS})})}))})),
        "CompositeAlarms": opt(list, items=each({"AlarmName": req(str)})),
        "NextToken": opt(str)},
    ("application-autoscaling", "DescribeScalableTargets"): {
        "ScalableTargets": req(list, items=each({
            "ServiceNamespace": req(str), "ResourceId": req(str), "ScalableDimension": req(str),
            "MinCapacity": req(int), "MaxCapacity": req(int)})),
        "NextToken": opt(str)},
    ("kms", "DescribeKey"): {"KeyMetadata": req(dict, {"KeyId": req(str), "KeyManager": req(str),
                                                       "Arn": opt(str)})},
    ("kms", "ListAliases"): {"Aliases": req(list, items=each({"AliasName": opt(str),
                                                             "TargetKeyId": opt(str)})),
                             "NextMarker": opt(str), "Truncated": opt(bool)},
    ("sts", "GetCallerIdentity"): {"Arn": req(str)},
    ("sts", "AssumeRole"): {"Credentials": req(dict, {
        "AccessKeyId": req(str), "SecretAccessKey": req(str), "SessionToken": req(str)}),
        "AssumedRoleUser": req(dict, {"Arn": req(str)})},
    ("organizations", "DescribeOrganization"): {"Organization": req(dict, {
        "MasterAccountId": req(str)})},
    ("organizations", "ListAccounts"): {"Accounts": req(list, items=each({"Id": req(str)})),
                                        "NextToken": opt(str)},
    ("organizations", "ListAccountsForParent"): {"Accounts": req(list, items=each({
        "Id": req(str)})), "NextToken": opt(str)},
    ("organizations", "ListOrganizationalUnitsForParent"): {"OrganizationalUnits": req(
        list, items=each({"Id": req(str)})), "NextToken": opt(str)},
}


def _typed(value: object, kind: type) -> bool:
    if kind is int:  # JSON true is not a number, nor 5.0 a count
        return isinstance(value, int) and not isinstance(value, bool)
    return isinstance(value, kind)


def _problem(value: object, spec: Field, path: str) -> str | None:
    if not _typed(value, spec.type):
        return f"{path} is {_name(value)}, not {NAMES[spec.type]}"
    if spec.fields is not None:
        assert isinstance(value, dict)
        return _object(value, spec.fields, path)
    if spec.items is not None:
        assert isinstance(value, list)
        for i, item in enumerate(value):
            found = _problem(item, spec.items, f"{path}[{i}]")
            if found:
                return found
    return None


def _object(value: dict[str, Any], fields: dict[str, Field], path: str) -> str | None:
    for name, spec in fields.items():
        where = f"{path}.{name}" if path else name
        if name not in value or value[name] is None:
            if spec.required:
                return f"{where} is missing"
            continue
        found = _problem(value[name], spec, where)
        if found:
            return found
    return None


def _name(value: object) -> str:
    if value is None:
        return "null"
    for kind in (bool, int, float, str, list, dict):
        if isinstance(value, kind):
            return NAMES[kind]
    return "of another type"


def problem(service: str, operation: str, answer: object) -> str | None:
    """What is wrong with *answer* (parsed or raw JSON), or None; names fields, never values."""
    fields = SHAPES.get((service, operation))
    if fields is None:
        return None
    if not isinstance(answer, dict):
        return f"the answer is {_name(answer)}, not an object"
    return _object(answer, fields, "")


def check(service: str, operation: str, answer: object) -> None:
    """Malformed when *answer* is not the documented shape."""
    found = problem(service, operation, answer)
    if found is not None:
        raise Malformed(found)


def check_body(service: str, operation: str, body: bytes) -> None:
    """Malformed when the raw JSON body of a successful answer is empty, not JSON, or not the
    documented shape."""
    if (service, operation) not in SHAPES:
        return
    if not body.strip():
        raise Malformed("the answer is empty")
    try:
        doc = json.loads(body)
    except ValueError:
        raise Malformed("the answer is not JSON") from None
    check(service, operation, doc)


def guard(client: Any) -> None:
    """Check every successful JSON answer of *client* before botocore parses it."""
    model = client.meta.service_model
    if not str(model.protocol).startswith("json"):
        return
    service = model.service_name

    def before_parse(operation_model: Any, response_dict: dict[str, Any], **_: Any) -> None:
        if 200 <= int(response_dict.get("status_code") or 0) < 300:
            check_body(service, operation_model.name, bytes(response_dict.get("body") or b""))

    client.meta.events.register(f"before-parse.{model.service_id.hyphenize()}", before_parse)
