"""The audit of the settings with calls of their own, on the moto server over HTTP:
resource-based policies (GetResourcePolicy) and scalable targets (DescribeScalableTargets,
created with boto3: Terraform's provider cannot create them against moto, see docs/audit.md);
each asked for only where the spec judges it."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from checker.cli import main
from tests.support.audit_helpers import Guard

pytestmark = pytest.mark.usefixtures("aws", "read_only")

REGION = "ap-southeast-2"  # a region no other test writes to
OTHER, ALLOWED = "999999999999", "111111111111"
SPEC = """version: 1
project: settings
naming:
  pattern: "{project}-{table}-{environment}"
environments:
  prod:
    accounts: ["@ACCOUNT@"]
defaults:
  encryption: aws_owned
  billing:
    modes: [PROVISIONED, PAY_PER_REQUEST]
  capacity:
    autoscaling: {required_in: [prod], min: 5, max: 100}
tables:
  scaled:
    hash_key: {name: pk, type: S}
    ttl: false
  shared:
    hash_key: {name: pk, type: S}
    ttl: false
    resource_policy: {public: false, accounts: ["111111111111"]}
  plain:
    hash_key: {name: pk, type: S}
    ttl: false
"""


def _client(service: str) -> Any:
    # a session of its own: boto3's default one keeps the credentials of an earlier test
    return boto3.Session().client(service, region_name=REGION)  # type: ignore[call-overload]


def _own() -> str:
    """The account the moto server gives this test's credentials."""
    return str(_client("sts").get_caller_identity()["Account"])


def _grant(table_arn: str, principal: str) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": [{
        "Sid": "Share", "Effect": "Allow", "Principal": {"AWS": principal},
        "Action": "dynamodb:GetItem", "Resource": table_arn}]})


@pytest.fixture
def tables() -> Iterator[dict[str, str]]:
    """The three tables of SPEC in prod, provisioned; deleted afterwards."""
    ddb = _client("dynamodb")
    arns: dict[str, str] = {}
    for name in ("scaled", "shared", "plain"):
        physical = f"settings-{name}-prod"
        arns[name] = ddb.create_table(
            TableName=physical, BillingMode="PROVISIONED",
            KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}],
            AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}],
            ProvisionedThroughput={"ReadCapacityUnits": 5, "WriteCapacityUnits": 5},
        )["TableDescription"]["TableArn"]
    try:
        yield arns
    finally:
        scaling = _client("application-autoscaling")
        for target in scaling.describe_scalable_targets(ServiceNamespace="dynamodb")[
                "ScalableTargets"]:
            scaling.deregister_scalable_target(
                ServiceNamespace="dynamodb", ResourceId=target["ResourceId"],
                ScalableDimension=target["ScalableDimension"])
        for name in arns:
            ddb.delete_table(TableName=f"settings-{name}-prod")


def _audit(tmp_path: Path) -> tuple[dict[tuple[str, str, str], str], dict[str, Any]]:
    """The audit of SPEC's tables: (rule, table, field) -> status of the new rules."""
    spec = tmp_path / "spec.yaml"
    spec.write_text(SPEC.replace("@ACCOUNT@", _own()))
    out = tmp_path / "audit.json"
    main(["audit", "--spec", str(spec), "--region", REGION, "--format", "json", "-o",
          str(out)])
    report = json.loads(out.read_text())
    return {(f["rule_id"], f["table"], f["field"]): f["status"] for f in report["findings"]
            if f["rule_id"] in ("TS-CAP-002", "TS-POLICY-001", "TS-POLICY-002")}, report


def _register(table: str, dim: str, low: int, high: int) -> None:
    _client("application-autoscaling").register_scalable_target(
        ServiceNamespace="dynamodb", ResourceId=f"table/settings-{table}-prod",
        ScalableDimension=f"dynamodb:table:{dim}CapacityUnits", MinCapacity=low,
        MaxCapacity=high)


def test_scalable_targets_are_read_once_per_region_and_judged(
        tables: dict[str, str], tmp_path: Path, read_only: Guard) -> None:
    _register("scaled", "Read", 5, 100)
    _register("scaled", "Write", 5, 500)
    _register("plain", "Read", 1, 2)  # below the spec's min
    found, _ = _audit(tmp_path)
    assert found[("TS-CAP-002", "scaled", "autoscaling.read")] == "pass"
    assert found[("TS-CAP-002", "scaled", "autoscaling.write")] == "fail"  # max 500
    assert found[("TS-CAP-002", "plain", "autoscaling.read")] == "fail"
    assert found[("TS-CAP-002", "shared", "autoscaling.read")] == "fail"  # none
    assert read_only.count("DescribeScalableTargets") == 1  # three tables, one region
    assert read_only.count("GetResourcePolicy") == 1  # the one table that judges it


def test_a_policy_granting_another_account_fails_and_none_passes(
        tables: dict[str, str], tmp_path: Path) -> None:
    found, _ = _audit(tmp_path)
    assert found[("TS-POLICY-002", "shared", "resource_policy")] == "pass"  # no policy
    assert not [k for k in found if k[0].startswith("TS-POLICY") and k[1] != "shared"]
    ddb = _client("dynamodb")
    ddb.put_resource_policy(ResourceArn=tables["shared"],
                            Policy=_grant(tables["shared"], f"arn:aws:iam::{OTHER}:root"))
    found, _ = _audit(tmp_path)
    assert found[("TS-POLICY-002", "shared", "resource_policy.table")] == "fail"
    assert found[("TS-POLICY-001", "shared", "resource_policy.table")] == "pass"
    ddb.put_resource_policy(ResourceArn=tables["shared"],
                            Policy=_grant(tables["shared"], f"arn:aws:iam::{_own()}:root"))
    found, _ = _audit(tmp_path)  # the table's own account: inside
    assert found[("TS-POLICY-002", "shared", "resource_policy.table")] == "pass"
    ddb.put_resource_policy(ResourceArn=tables["shared"], Policy=_grant(tables["shared"], "*"))
    found, _ = _audit(tmp_path)  # moto, unlike DynamoDB, accepts a public policy
    assert found[("TS-POLICY-001", "shared", "resource_policy.table")] == "fail"
