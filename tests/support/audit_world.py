"""Worlds for the audit tests: accounts on the moto server, drift made and undone through boto3."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pytest

from checker.demo.account import Writers, create_spec_tables
from checker.specfile.model import Spec
from tests.support.moto import builder_env, session_for

DEFAULT_ACCOUNT = "123456789012"
# moto servers in one process share their state; the suite's worlds live in accounts of their
# own so that other tests' servers (which use the default account) never meet them.
APPLIED_ACCOUNT = "100000000001"
SEEDED_ACCOUNT = "100000000002"
CROWDED_ACCOUNT = "100000000003"
TABLES = {t: f"hypermage-vr-{t}-prod"
          for t in ("player-sessions", "interaction-events", "player-rewards")}


@dataclass
class World:
    """Tables of the spec in one account and region of the moto server."""

    endpoint: str
    region: str
    writers: Writers
    how: str  # "terraform" or "boto3"
    env: dict[str, str]  # AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN

    @property
    def account(self) -> str:
        """The account id."""
        return self.writers.account

    def arn(self, logical: str) -> str:
        """The ARN of the prod table of *logical*."""
        return f"arn:aws:dynamodb:{self.region}:{self.account}:table/{TABLES[logical]}"

    def alarm_arn(self, name: str) -> str:
        """The ARN of the alarm *name*."""
        return f"arn:aws:cloudwatch:{self.region}:{self.account}:alarm:{name}"


def credentials(endpoint: str, account: str = DEFAULT_ACCOUNT) -> dict[str, str]:
    """Environment credentials of *account* on the moto server (through AssumeRole)."""
    if account == DEFAULT_ACCOUNT:
        return {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
    return builder_env(endpoint, account)


def world_of(endpoint: str, region: str, account: str, how: str) -> World:
    """A World for *account* and *region*, with its writers and credentials."""
    env = credentials(endpoint, account)
    return World(endpoint, region, Writers(session_for(env), region, endpoint), how, env)


def seed(endpoint: str, region: str, spec: Spec, env: str = "prod",
         account: str = SEEDED_ACCOUNT) -> World:
    """The spec's tables, compliant, made through boto3."""
    world = world_of(endpoint, region, account, "boto3")
    create_spec_tables(world.writers, spec, env)
    return world


def use(world: World, mp: pytest.MonkeyPatch) -> World:
    """Make *world*'s account the credential chain's for the rest of the test."""
    mp.delenv("AWS_SESSION_TOKEN", raising=False)
    for name, value in world.env.items():
        mp.setenv(name, value)
    return world


def snapshot(w: Writers, name: str) -> dict[str, Any]:
    """Everything needed to recreate table *name* as it is now."""
    ddb = w.dynamodb
    desc = ddb.describe_table(TableName=name)["Table"]
    return {
        "desc": desc,
        "ttl": ddb.describe_time_to_live(TableName=name)["TimeToLiveDescription"],
        "pitr": ddb.describe_continuous_backups(TableName=name)["ContinuousBackupsDescription"],
        "tags": ddb.list_tags_of_resource(ResourceArn=desc["TableArn"]).get("Tags", []),
    }


def restore(w: Writers, snap: dict[str, Any], gsi_projection: str | None = None) -> None:
    """Create the table of *snap* again (optionally with another GSI projection)."""
    desc = snap["desc"]
    request: dict[str, Any] = {
        "TableName": desc["TableName"],
        "KeySchema": desc["KeySchema"],
        "AttributeDefinitions": desc["AttributeDefinitions"],
        "BillingMode": (desc.get("BillingModeSummary") or {}).get("BillingMode", "PROVISIONED"),
    }
    if request["BillingMode"] == "PROVISIONED":
        pt = desc["ProvisionedThroughput"]
        request["ProvisionedThroughput"] = {k: pt[k] for k in ("ReadCapacityUnits",
                                                               "WriteCapacityUnits")}
    if desc.get("GlobalSecondaryIndexes"):
        request["GlobalSecondaryIndexes"] = [{
            "IndexName": g["IndexName"], "KeySchema": g["KeySchema"],
            "Projection": ({"ProjectionType": gsi_projection} if gsi_projection
                           else g["Projection"]),
        } for g in desc["GlobalSecondaryIndexes"]]
    sse = desc.get("SSEDescription")
    if sse and sse.get("Status") == "ENABLED":
        request["SSESpecification"] = {"Enabled": True, "SSEType": "KMS",
                                       "KMSMasterKeyId": sse["KMSMasterKeyArn"]}
    if snap["tags"]:
        request["Tags"] = snap["tags"]
    w.dynamodb.create_table(**request)
    name = desc["TableName"]
    if snap["ttl"].get("TimeToLiveStatus") == "ENABLED":
        w.dynamodb.update_time_to_live(TableName=name, TimeToLiveSpecification={
            "Enabled": True, "AttributeName": snap["ttl"]["AttributeName"]})
    pitr = snap["pitr"]["PointInTimeRecoveryDescription"]["PointInTimeRecoveryStatus"]
    if pitr == "ENABLED":
        w.dynamodb.update_continuous_backups(TableName=name, PointInTimeRecoverySpecification={
            "PointInTimeRecoveryEnabled": True})


_ALARM_FIELDS = ("AlarmName", "AlarmDescription", "ActionsEnabled", "OKActions", "AlarmActions",
                 "InsufficientDataActions", "MetricName", "Namespace", "Statistic",
                 "Dimensions", "Period", "EvaluationPeriods", "Threshold",
                 "ComparisonOperator", "TreatMissingData")


def get_alarm(w: Writers, name: str) -> dict[str, Any]:
    """The alarm *name* as DescribeAlarms gives it."""
    found = w.cloudwatch.describe_alarms(AlarmNames=[name])["MetricAlarms"]
    assert len(found) == 1, name
    return dict(found[0])


def put_alarm(w: Writers, raw: dict[str, Any], **changes: Any) -> None:
    """Put *raw* (a DescribeAlarms entry) back, with *changes*."""
    request = {k: raw[k] for k in _ALARM_FIELDS if raw.get(k) not in (None, "")}
    w.cloudwatch.put_metric_alarm(**{**request, **changes})


@contextmanager
def table_changed(w: Writers, name: str) -> Iterator[dict[str, Any]]:
    """Run the block (which may delete or recreate table *name*), then put the table back."""
    snap = snapshot(w, name)
    try:
        yield snap
    finally:
        if name in w.dynamodb.list_tables()["TableNames"]:
            w.dynamodb.delete_table(TableName=name)
        restore(w, snap)
