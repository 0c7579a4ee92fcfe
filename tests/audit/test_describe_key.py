"""The audit's real DescribeKey path, end to end over HTTP on the moto server.

One account holds the spec's tables with the three kinds of encryption: a real customer
managed key (CreateKey, then KMSMasterKeyId), the key AWS makes for DynamoDB (the tests'
server says `KeyManager: AWS` for it, as AWS does: tests/support/moto.py) and none (an AWS
owned key). The audit classifies each key by DescribeKey's `KeyManager` alone, in this
process and in a child process of its own; nothing in checker/ knows moto.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from checker.demo.account import Writers, table_request
from checker.specfile.model import Spec
from tests.support.audit_helpers import SPEC, Guard, audit_json
from tests.support.audit_world import TABLES, World, use, world_of

ACCOUNT, REGION = "100000000031", "ap-southeast-2"
SESSIONS, EVENTS, REWARDS = "player-sessions", "interaction-events", "player-rewards"
LEVELS = {SESSIONS: ("pass", "customer_managed"), EVENTS: ("pass", "aws_managed"),
          REWARDS: ("fail", "aws_owned")}


def _create(w: Writers, spec: Spec, table: str, key: str | None, encrypted: bool = True) -> None:
    request = table_request(spec, spec.tables[table], "prod", key)
    if not encrypted:
        request.pop("SSESpecification", None)
    w.dynamodb.create_table(**request)


@pytest.fixture(scope="module")
def keyed(moto_endpoint: str, spec: Spec) -> tuple[World, str]:
    """The account, and the ARN of its customer managed key."""
    world = world_of(moto_endpoint, REGION, ACCOUNT, "boto3")
    w = world.writers
    cmk = str(w.kms.create_key(Description="a key of the customer's")["KeyMetadata"]["Arn"])
    _create(w, spec, SESSIONS, cmk)
    _create(w, spec, EVENTS, None)  # SSE on without a key: the aws/dynamodb key
    _create(w, spec, REWARDS, None, encrypted=False)
    return world, cmk


def _encryption(report: dict[str, object]) -> dict[str, tuple[str, str]]:
    findings = report["findings"]
    assert isinstance(findings, list)
    return {f["table"]: (f["status"], f["actual"]) for f in findings
            if f["rule_id"] == "TS-SSE-001"}


def test_moto_answers_describe_key_as_aws_does(keyed: tuple[World, str]) -> None:
    world, cmk = keyed
    kms = world.writers.kms
    aws_key = kms.describe_key(KeyId="alias/aws/dynamodb")["KeyMetadata"]
    assert aws_key["KeyManager"] == "AWS"
    assert kms.describe_key(KeyId=cmk)["KeyMetadata"]["KeyManager"] == "CUSTOMER"
    described = world.writers.dynamodb.describe_table(TableName=TABLES[EVENTS])["Table"]
    assert described["SSEDescription"]["KMSMasterKeyArn"] == aws_key["Arn"]


def test_the_audit_classifies_each_key_by_describe_key(
    keyed: tuple[World, str], aws: str, read_only: Guard, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    world, _ = keyed
    use(world, monkeypatch)
    code, report = audit_json(tmp_path, "--region", REGION)
    assert code == 1  # the table without a key of its own
    assert _encryption(report) == LEVELS
    kms = [op for service, op in read_only.calls if service == "kms"]
    assert kms == ["DescribeKey", "DescribeKey"]  # one per distinct key, nothing else


def test_a_child_process_audit_reads_the_same(keyed: tuple[World, str], aws: str,
                                             tmp_path: Path) -> None:
    world, _ = keyed
    out = tmp_path / "child.json"
    env = {**os.environ, **world.env, "AWS_DEFAULT_REGION": REGION}
    proc = subprocess.run([sys.executable, "-m", "checker.cli", "audit", "--spec", SPEC,
                           "--region", REGION, "--format", "json", "-o", str(out)],
                          env=env, capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 1, proc.stderr
    assert _encryption(json.loads(out.read_text())) == LEVELS
