"""Where a table's settings are written in its template, and the skips in its Metadata.

A finding names its field in the model's words (`point_in_time_recovery.enabled`); here
each is tied to the property that decides it (`PointInTimeRecoverySpecification`), so
SARIF, JUnit and text point at that line. A skip is written in the resource's Metadata,
`tablespec: {skip: [{id: TS-PITR-001, reason: ...}]}` or Checkov's `checkov: {skip: [{id:
CKV_TS_PITR_001, comment: ...}]}`, and means what an inline skip in Terraform means.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from checker.model import InlineSkip, Location
from checker.sources.cfn.template import line_of
from checker.specfile.limits import brief

# The model's field (its first part) -> the table property that decides it.
PROPERTIES = {
    "name": "TableName", "hash_key": "KeySchema", "range_key": "KeySchema",
    "attribute": "AttributeDefinitions", "billing_mode": "BillingMode",
    "read_capacity": "ProvisionedThroughput", "write_capacity": "ProvisionedThroughput",
    "ttl": "TimeToLiveSpecification", "server_side_encryption": "SSESpecification",
    "point_in_time_recovery": "PointInTimeRecoverySpecification",
    "deletion_protection_enabled": "DeletionProtectionEnabled", "tags": "Tags",
    "stream_enabled": "StreamSpecification", "stream_view_type": "StreamSpecification",
    "table_class": "TableClass", "on_demand_throughput": "OnDemandThroughput",
    "contributor_insights": "ContributorInsightsSpecification",
    "resource_policy": "ResourcePolicy", "global_secondary_index": "GlobalSecondaryIndexes",
}
# An alarm's fields, as the model names them -> the alarm property.
ALARM_PROPERTIES = {
    "alarm_name": "AlarmName", "namespace": "Namespace", "metric_name": "MetricName",
    "statistic": "Statistic", "extended_statistic": "ExtendedStatistic",
    "comparison_operator": "ComparisonOperator", "threshold": "Threshold",
    "period": "Period", "evaluation_periods": "EvaluationPeriods",
    "dimensions": "Dimensions", "alarm_actions": "AlarmActions",
    "actions_enabled": "ActionsEnabled", "metric_query": "Metrics", "alarm_rule": "AlarmRule",
}
_SKIP_KEYS = (("tablespec", "reason"), ("checkov", "comment"))
# Every property AWS::DynamoDB::Table has (its resource schema, as the CDK's CfnTable).
TABLE_PROPERTIES = frozenset({
    "AttributeDefinitions", "BillingMode", "ContributorInsightsSpecification",
    "DeletionProtectionEnabled", "GlobalSecondaryIndexes", "ImportSourceSpecification",
    "KeySchema", "KinesisStreamSpecification", "LocalSecondaryIndexes", "OnDemandThroughput",
    "PointInTimeRecoverySpecification", "ProvisionedThroughput", "ResourcePolicy",
    "SSESpecification", "StreamSpecification", "TableClass", "TableName", "Tags",
    "TimeToLiveSpecification", "WarmThroughput"})


def strays(resource: Mapping[str, Any], logical: str, path: str) -> list[str]:
    """Notes on properties an AWS::DynamoDB::Table does not have (a misspelling reads as
    the setting left out; CloudFormation refuses the template): the rest is checked."""
    props = resource.get("Properties")
    if not isinstance(props, Mapping):
        return []
    unknown = sorted(str(k) for k in props if k not in TABLE_PROPERTIES)
    return [f"{path}:{line_of(props, k)}: {logical} has a property {brief(k)} that "
            "AWS::DynamoDB::Table does not have (CloudFormation refuses the template); the "
            "table is checked without it" for k in unknown[:10]]


def field_locations(resource: Mapping[str, Any], path: str,
                    properties: Mapping[str, str] = PROPERTIES) -> dict[str, Location]:
    """The model's fields -> where the property deciding each is written (only those
    written); each index by its name too (`global_secondary_index.ByPlayer`).
    *properties*: a table's (default) or an alarm's (`ALARM_PROPERTIES`)."""
    props = resource.get("Properties")
    if not isinstance(props, Mapping):
        return {}
    out: dict[str, Location] = {}
    for model, prop in properties.items():
        if prop in props and line_of(props, prop) is not None:
            out[model] = Location(path, line_of(props, prop))
    indexes = props.get("GlobalSecondaryIndexes")
    if isinstance(indexes, list):
        for i, index in enumerate(indexes):
            name = index.get("IndexName") if isinstance(index, Mapping) else None
            if isinstance(name, str) and line_of(indexes, i) is not None:
                out[f"global_secondary_index.{name}"] = Location(path, line_of(indexes, i))
    return out  # a property with no line (SAM's translator wrote it): the resource's


def skips(resource: Mapping[str, Any], path: str) -> tuple[InlineSkip, ...]:
    """The skips written in the resource's Metadata (an entry not of that shape is not a
    skip: it is left alone, as Checkov leaves it)."""
    meta = resource.get("Metadata")
    if not isinstance(meta, Mapping):
        return ()
    out: list[InlineSkip] = []
    for tool, reason_key in _SKIP_KEYS:
        block = meta.get(tool)
        entries = block.get("skip") if isinstance(block, Mapping) else None
        if not isinstance(entries, list):
            continue
        for i, entry in enumerate(entries):
            if isinstance(entry, Mapping) and isinstance(entry.get("id"), str):
                reason = entry.get(reason_key)
                out.append(InlineSkip(entry["id"], reason if isinstance(reason, str) else "",
                                      Location(path, line_of(entries, i))))
    return tuple(out)
