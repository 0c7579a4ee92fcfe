"""AWS API responses -> model values: pure functions, no calls, no judgement.

Each reader takes the response of one call, or the `Unknown` that stands for a call that
could not be made, and returns the model value (or that same `Unknown`).
"""

from __future__ import annotations

from typing import Any

from checker.model import (
    TTL_OFF,
    Alarm,
    AlarmKind,
    EncLevel,
    Encryption,
    Gsi,
    Key,
    MetricStat,
    Ttl,
    by_name,
)
from checker.sources.alarms import rule_alarms
from checker.sources.live.settings import on_demand_max
from checker.sources.typed import boolean, number, string, strings, whole
from checker.unknown import Maybe, Unknown

ON_DEMAND = "PAY_PER_REQUEST"
SSE_ON = ("ENABLED", "ENABLING", "UPDATING")
TTL_ON = ("ENABLED", "ENABLING")


def _key_types(desc: dict[str, Any]) -> dict[str, str]:
    return {a["AttributeName"]: a["AttributeType"] for a in desc.get("AttributeDefinitions", [])}


def _schema_keys(schema: list[dict[str, Any]], types: dict[str, str]) -> tuple[Key, Key | None]:
    by_role = {k["KeyType"]: k["AttributeName"] for k in schema}
    hash_name = by_role.get("HASH", "")
    range_name = by_role.get("RANGE")
    rng = Key(range_name, types.get(range_name)) if range_name else None
    return Key(hash_name, types.get(hash_name)), rng


def keys(desc: Maybe[dict[str, Any]]) -> tuple[Maybe[Key], Maybe[Key | None]]:
    """(hash key, range key or None) from DescribeTable's KeySchema and AttributeDefinitions."""
    if isinstance(desc, Unknown):
        return desc, desc
    return _schema_keys(desc.get("KeySchema", []), _key_types(desc))


def key_names(desc: Maybe[dict[str, Any]]) -> Maybe[tuple[str, ...]]:
    """The key attribute names of the table, hash first."""
    if isinstance(desc, Unknown):
        return desc
    order = {"HASH": 0, "RANGE": 1}
    schema = sorted(desc.get("KeySchema", []), key=lambda k: order.get(k["KeyType"], 2))
    return tuple(k["AttributeName"] for k in schema)


def billing_mode(desc: Maybe[dict[str, Any]]) -> Maybe[str]:
    """BillingModeSummary.BillingMode; a table created before on-demand existed has none."""
    if isinstance(desc, Unknown):
        return desc
    return str((desc.get("BillingModeSummary") or {}).get("BillingMode") or "PROVISIONED")


def _capacity(throughput: dict[str, Any] | None, mode: str) -> tuple[int | None, int | None]:
    # On-demand tables report 0/0: nothing is provisioned.
    if mode == ON_DEMAND or not throughput:
        return None, None
    read, write = throughput.get("ReadCapacityUnits"), throughput.get("WriteCapacityUnits")
    return (int(read) if read is not None else None, int(write) if write is not None else None)


def capacity(desc: Maybe[dict[str, Any]]) -> tuple[Maybe[int | None], Maybe[int | None]]:
    """(read, write) provisioned capacity of the table; None when on demand."""
    if isinstance(desc, Unknown):
        return desc, desc
    return _capacity(desc.get("ProvisionedThroughput"), str(billing_mode(desc)))


def gsis(desc: Maybe[dict[str, Any]]) -> Maybe[tuple[Gsi, ...]]:
    """Global secondary indexes with keys, projection and capacity, sorted by name."""
    if isinstance(desc, Unknown):
        return desc
    types = _key_types(desc)
    mode = str(billing_mode(desc))
    out = []
    for g in desc.get("GlobalSecondaryIndexes", []):
        hash_key, range_key = _schema_keys(g.get("KeySchema", []), types)
        projection = g.get("Projection") or {}
        read, write = _capacity(g.get("ProvisionedThroughput"), mode)
        out.append(Gsi(
            name=g["IndexName"],
            hash_key=hash_key,
            range_key=range_key,
            projection=str(projection.get("ProjectionType", "")),
            non_key_attributes=tuple(projection.get("NonKeyAttributes", [])),
            read_capacity=read,
            write_capacity=write,
            on_demand_max=on_demand_max(g),
        ))
    return tuple(sorted(out, key=by_name))


def sse(desc: Maybe[dict[str, Any]]) -> Encryption | str:
    """The table's encryption, or the KMS key ARN still to classify (AWS or customer managed)."""
    if isinstance(desc, Unknown):
        return Encryption(EncLevel.AWS_OWNED, EncLevel.CUSTOMER_MANAGED, desc)
    described = desc.get("SSEDescription") or {}
    if described.get("Status") not in SSE_ON or described.get("SSEType") != "KMS":
        return Encryption.exact(EncLevel.AWS_OWNED)  # the default: an AWS owned key
    key = described.get("KMSMasterKeyArn")
    if not key:
        why = Unknown("SSEDescription names no KMS key")
        return Encryption(EncLevel.AWS_MANAGED, EncLevel.CUSTOMER_MANAGED, why)
    return str(key)


def replicas(desc: Maybe[dict[str, Any]]) -> tuple[tuple[str, str | None], ...]:
    """(RegionName, ReplicaStatus) of each `Replicas` entry of DescribeTable (a global
    table, version 2019.11.21); none for a table that is not global, or not described."""
    if isinstance(desc, Unknown):
        return ()
    out = []
    for replica in desc.get("Replicas") or []:
        region = (replica or {}).get("RegionName")
        if isinstance(region, str) and region:
            status = replica.get("ReplicaStatus")
            out.append((region, str(status) if status is not None else None))
    return tuple(dict.fromkeys(out))


def key_level(metadata: dict[str, Any]) -> EncLevel:
    """KMS DescribeKey metadata -> level: `KeyManager` AWS (the aws/dynamodb key) or not."""
    if metadata.get("KeyManager") == "AWS":
        return EncLevel.AWS_MANAGED
    return EncLevel.CUSTOMER_MANAGED


def ttl(resp: Maybe[dict[str, Any]]) -> Maybe[Ttl]:
    """DescribeTimeToLive -> Ttl; ENABLING counts as on, DISABLING as off."""
    if isinstance(resp, Unknown):
        return resp
    described = resp.get("TimeToLiveDescription") or {}
    if described.get("TimeToLiveStatus") in TTL_ON:
        return Ttl(True, described.get("AttributeName"))
    return TTL_OFF


def pitr(resp: Maybe[dict[str, Any]]) -> Maybe[bool]:
    """DescribeContinuousBackups -> point-in-time recovery on or off."""
    if isinstance(resp, Unknown):
        return resp
    backups = resp.get("ContinuousBackupsDescription") or {}
    status = (backups.get("PointInTimeRecoveryDescription") or {}).get("PointInTimeRecoveryStatus")
    return status == "ENABLED"


def tags(pages: Maybe[list[dict[str, Any]]]) -> Maybe[dict[str, Maybe[str]]]:
    """Every page of ListTagsOfResource -> one dict."""
    if isinstance(pages, Unknown):
        return pages
    return {t["Key"]: t["Value"] for page in pages for t in page.get("Tags", [])}


def _dimensions(dims: Any) -> dict[str, Maybe[str]]:
    return {str(d.get("Name")): str(d.get("Value")) for d in dims or [] if isinstance(d, dict)}


def _metrics(raw: dict[str, Any]) -> tuple[MetricStat, ...]:
    """The metrics a metric-math alarm reads (its `Metrics` with a `MetricStat`)."""
    out = []
    for query in raw.get("Metrics") or []:
        metric = ((query or {}).get("MetricStat") or {}).get("Metric") or {}
        if isinstance(metric, dict) and metric:
            out.append(MetricStat(metric.get("Namespace"), metric.get("MetricName"),
                                  _dimensions(metric.get("Dimensions"))))
    return tuple(out)


def names_a_table(raw: dict[str, Any]) -> bool:
    """True when a metric alarm has a TableName dimension, itself or in a metric it reads."""
    dims = [raw.get("Dimensions")] + [
        (((q or {}).get("MetricStat") or {}).get("Metric") or {}).get("Dimensions")
        for q in raw.get("Metrics") or []]
    return any("TableName" in _dimensions(d) for d in dims)


def _actions(raw: dict[str, Any], where: str) -> tuple[Maybe[tuple[Maybe[str], ...]], Maybe[bool]]:
    enabled = boolean(raw.get("ActionsEnabled"), f"{where} ActionsEnabled")
    return (strings(raw.get("AlarmActions"), f"{where} AlarmActions"),
            True if enabled is None else enabled)


def alarm(raw: dict[str, Any], region: str | None = None) -> Alarm:
    """One MetricAlarm of DescribeAlarms -> Alarm (resource: the alarm ARN) in *region*."""
    where = f"alarm {raw.get('AlarmName')}"
    metrics = _metrics(raw)
    actions, enabled = _actions(raw, where)
    return Alarm(
        name=str(raw.get("AlarmName")),
        resource=str(raw.get("AlarmArn") or raw.get("AlarmName")),
        namespace=string(raw.get("Namespace"), f"{where} Namespace"),
        metric=string(raw.get("MetricName"), f"{where} MetricName"),
        statistic=string(raw.get("Statistic") or raw.get("ExtendedStatistic"),
                         f"{where} Statistic"),
        comparison=string(raw.get("ComparisonOperator"), f"{where} ComparisonOperator"),
        threshold=number(raw.get("Threshold"), f"{where} Threshold"),
        period=whole(raw.get("Period"), f"{where} Period"),
        evaluation_periods=whole(raw.get("EvaluationPeriods"), f"{where} EvaluationPeriods"),
        dimensions=_dimensions(raw.get("Dimensions")),
        actions=actions,
        actions_enabled=enabled,
        kind=AlarmKind.METRIC if raw.get("MetricName") is not None else AlarmKind.MATH,
        metrics=metrics,
        region=region,
    )


def composite(raw: dict[str, Any], region: str | None = None) -> Alarm:
    """One CompositeAlarm of DescribeAlarms -> Alarm in *region*."""
    where = f"alarm {raw.get('AlarmName')}"
    actions, enabled = _actions(raw, where)
    return Alarm(
        name=str(raw.get("AlarmName")), resource=str(raw.get("AlarmArn") or raw.get("AlarmName")),
        namespace=None, metric=None, statistic=None, comparison=None, threshold=None,
        period=None, evaluation_periods=None, dimensions={}, actions=actions,
        actions_enabled=enabled, kind=AlarmKind.COMPOSITE,
        children=rule_alarms(string(raw.get("AlarmRule"), f"{where} AlarmRule")),
        region=region,
    )
