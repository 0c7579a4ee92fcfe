"""Compliant TableState objects built from a spec table, for rule unit tests."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from checker.model import (
    NO_MAXIMUM,
    TTL_OFF,
    Alarm,
    EncLevel,
    Encryption,
    Gsi,
    Key,
    Location,
    OnDemandMax,
    Scaling,
    ScalingKey,
    TableState,
    Ttl,
)
from checker.specfile.model import Spec, StreamsPolicy, TableSpec


def alarm_for(table: str, metric: str, **changes: Any) -> Alarm:
    """A compliant throttle alarm on *table*."""
    alarm = Alarm(
        name=f"{table}-{metric}",
        resource=f'aws_cloudwatch_metric_alarm.throttle["{table}-{metric}"]',
        namespace="AWS/DynamoDB",
        metric=metric,
        statistic="Sum",
        comparison="GreaterThanThreshold",
        threshold=10.0,
        period=300,
        evaluation_periods=1,
        dimensions={"TableName": table},
        actions=("arn:aws:sns:eu-west-1:123456789012:alerts",),
        actions_enabled=True,
        location=Location("plan.json"),
    )
    return replace(alarm, **changes)


def compliant(spec: Spec, table: TableSpec, env: str, **changes: Any) -> TableState:
    """A state that passes every rule for *table* in *env*, then *changes* applied."""
    name = spec.pattern.replace("{project}", spec.project).replace("{table}", table.name)
    name = name.replace("{environment}", env)
    gsis = tuple(
        Gsi(
            name=g.name,
            hash_key=Key(g.hash_key.name, g.hash_key.type),
            range_key=Key(g.range_key.name, g.range_key.type) if g.range_key else None,
            projection=g.projection,
            non_key_attributes=g.non_key_attributes,
            on_demand_max=_most(table),
        )
        for g in table.gsis
    )
    alarms = [alarm_for(name, a.metric) for a in table.alarms.metrics]
    state = TableState(
        name=name,
        resource=f"aws_dynamodb_table.{table.name.replace('-', '_')}",
        source="test",
        hash_key=Key(table.hash_key.name, table.hash_key.type),
        range_key=Key(table.range_key.name, table.range_key.type) if table.range_key else None,
        billing_mode="PAY_PER_REQUEST",
        read_capacity=None,
        write_capacity=None,
        ttl=Ttl(True, table.ttl.attribute) if table.ttl else TTL_OFF,
        encryption=Encryption.exact(EncLevel.AWS_MANAGED),
        pitr=True,
        gsis=gsis,
        tags={"Project": spec.project, "Environment": env, "Owner": "o", "CostCenter": "c"},
        alarms=alarms,
        deletion_protection=True,
        location=Location("plan.json"),
        stream=_stream(table, env),
        pitr_recovery_days=35,
        on_demand_max=_most(table),
        table_class=(table.table_classes or ("STANDARD",))[0],
        replica_regions=(),
        contributor_insights=env in table.contributor_insights_required_in,
        resource_policies=(),
        scaling=_scaling(table),
    )
    if table.replicas is not None and env in table.replicas.required_in:
        own, *others = table.replicas.regions
        state = replace(state, region=own, replica_regions=tuple(others))
    return replace(state, **changes)


def _scaling(table: TableSpec) -> dict[ScalingKey, Scaling]:
    """Read and write targets of the table and each index, within the spec's bounds."""
    policy = table.autoscaling
    low = policy.min if policy and policy.min is not None else 1
    high = policy.max if policy and policy.max is not None else max(low, 10)
    return {(index, dim): Scaling(low, high, "aws_appautoscaling_target.t")
            for index in (None, *(g.name for g in table.gsis)) for dim in ("read", "write")}


def _most(table: TableSpec) -> OnDemandMax:
    """The on-demand maximum a compliant table (and index) sets: the spec's, else none."""
    return OnDemandMax(*table.on_demand_max) if table.on_demand_max else NO_MAXIMUM


def _stream(table: TableSpec, env: str) -> str | None:
    """The stream a compliant table has: the one the spec requires, else none."""
    streams = table.streams
    if isinstance(streams, StreamsPolicy) and env in streams.required_in:
        return streams.view_type or "NEW_AND_OLD_IMAGES"
    return None
