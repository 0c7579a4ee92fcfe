"""Build what a spec asks for in an account through boto3: the demo's world (the tests and
the bench build theirs with it too, on their own moto servers: tests/support/moto.py).

Writes (CreateTable, PutMetricAlarm, ...) go to whatever endpoint the session's clients use;
`tablespec demo` points them at a local moto server. These clients are not the audit's: the
audit never writes.
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import boto3

from checker.model import EncLevel
from checker.naming.placement import Placer
from checker.specfile.model import KeySpec, Spec, TableSpec

TOPIC = "arn:aws:sns:{region}:{account}:alerts"


def _attribute(key: KeySpec) -> dict[str, str]:
    return {"AttributeName": key.name, "AttributeType": key.type}


def _schema(hash_key: KeySpec, range_key: KeySpec | None) -> list[dict[str, str]]:
    out = [{"AttributeName": hash_key.name, "KeyType": "HASH"}]
    if range_key is not None:
        out.append({"AttributeName": range_key.name, "KeyType": "RANGE"})
    return out


def table_request(spec: Spec, table: TableSpec, env: str, kms_key: str | None = None
                  ) -> dict[str, Any]:
    """The CreateTable request of a table that meets *table* in *env*."""
    keys = [table.hash_key, table.range_key]
    for g in table.gsis:
        keys += [g.hash_key, g.range_key]
    attributes = {k.name: _attribute(k) for k in keys if k is not None}
    on_demand = "PAY_PER_REQUEST" in table.billing.modes
    capacity = {"ReadCapacityUnits": max(5, table.billing.min_capacity),
                "WriteCapacityUnits": max(5, table.billing.min_capacity)}
    request: dict[str, Any] = {
        "TableName": Placer(spec).render(table.name, env),
        "KeySchema": _schema(table.hash_key, table.range_key),
        "AttributeDefinitions": list(attributes.values()),
        "BillingMode": "PAY_PER_REQUEST" if on_demand else "PROVISIONED",
        "Tags": [{"Key": k, "Value": env if k == "Environment" else
                  spec.project if k == "Project" else "tablespec-demo"}
                 for k in dict.fromkeys(("Project", "Environment", *table.required_tags))],
    }
    if not on_demand:
        request["ProvisionedThroughput"] = capacity
    if table.gsis:
        request["GlobalSecondaryIndexes"] = [{
            "IndexName": g.name,
            "KeySchema": _schema(g.hash_key, g.range_key),
            "Projection": {"ProjectionType": g.projection,
                           **({"NonKeyAttributes": list(g.non_key_attributes)}
                              if g.projection == "INCLUDE" else {})},
            **({} if on_demand else {"ProvisionedThroughput": capacity}),
        } for g in table.gsis]
    if table.encryption >= EncLevel.AWS_MANAGED:
        request["SSESpecification"] = {"Enabled": True, "SSEType": "KMS",
                                       **({"KMSMasterKeyId": kms_key} if kms_key else {})}
    return request


def alarm_requests(table: TableSpec, table_name: str, env: str, topic: str
                   ) -> list[dict[str, Any]]:
    """PutMetricAlarm requests for the alarms *table* needs in *env* (none where optional)."""
    if env not in table.alarms.required_in:
        return []
    return [{
        "AlarmName": f"{table_name}-{a.metric.lower()}",
        "Namespace": a.namespace,
        "MetricName": a.metric,
        "Statistic": a.statistic,
        "ComparisonOperator": a.comparison,
        "Threshold": a.threshold,
        "Period": a.period,
        "EvaluationPeriods": a.evaluation_periods,
        "AlarmActions": [topic] if a.action_required else [],
        "Dimensions": [{"Name": "TableName", "Value": table_name}],
        "TreatMissingData": "notBreaching",
    } for a in table.alarms.metrics]


class Writers:
    """The write clients of one account and region, made once (sessions are not thread-safe)."""

    def __init__(self, session: boto3.Session, region: str, endpoint_url: str | None = None
                 ) -> None:
        self.region = region
        self.dynamodb = session.client("dynamodb", region_name=region, endpoint_url=endpoint_url)
        self.cloudwatch = session.client("cloudwatch", region_name=region,
                                         endpoint_url=endpoint_url)
        self.kms = session.client("kms", region_name=region, endpoint_url=endpoint_url)
        sts = session.client("sts", region_name=region, endpoint_url=endpoint_url)
        self.account = str(sts.get_caller_identity()["Account"])
        self.topic = TOPIC.format(region=region, account=self.account)


def create_table(w: Writers, spec: Spec, table: TableSpec, env: str) -> str:
    """Create one compliant table with its TTL, PITR and alarms; returns its name."""
    key = None
    if table.encryption is EncLevel.CUSTOMER_MANAGED:
        made = w.kms.create_key(Description=f"tablespec demo key for {table.name}")
        key = str(made["KeyMetadata"]["Arn"])
    request = table_request(spec, table, env, key)
    name = str(request["TableName"])
    w.dynamodb.create_table(**request)
    if table.ttl is not None:
        w.dynamodb.update_time_to_live(TableName=name, TimeToLiveSpecification={
            "Enabled": True, "AttributeName": table.ttl.attribute})
    if env in table.pitr_required_in:
        w.dynamodb.update_continuous_backups(TableName=name, PointInTimeRecoverySpecification={
            "PointInTimeRecoveryEnabled": True})
    for alarm in alarm_requests(table, name, env, w.topic):
        w.cloudwatch.put_metric_alarm(**alarm)
    return name


def create_spec_tables(w: Writers, spec: Spec, env: str, tables: Iterable[str] | None = None,
                       workers: int = 4) -> list[str]:
    """Every table of *spec* (or those named) as the spec wants it in *env*."""
    wanted = [spec.tables[t] for t in (tables if tables is not None else spec.tables)]
    # One table first: moto makes the aws/dynamodb key on first use, and not thread-safely.
    names = [create_table(w, spec, wanted[0], env)] if wanted else []
    with ThreadPoolExecutor(max_workers=workers) as pool:
        names += pool.map(lambda t: create_table(w, spec, t, env), wanted[1:])
    return names
