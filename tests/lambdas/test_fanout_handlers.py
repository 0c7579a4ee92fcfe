"""The fan-out's Lambda handlers, called in turn as the state machine calls them: list the
shards, audit each, merge; against the organization on the moto server, S3 and SNS included.
The merged report says what `audit --org` says of the same organization."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest

from checker.audit import audit
from checker.lambdas import fanout
from checker.lambdas.scheduled import handler
from checker.sources.live.clients import client_hook
from tests.support.audit_helpers import Deny, Guard, audit_json
from tests.support.audit_org_world import REGION, Org, role
from tests.support.moto import session_for
from tests.support.paths import REPO

BUCKET = "tablespec-fanout"
SPEC = str(REPO / "specs" / "tables.yaml")


@pytest.fixture(autouse=True)
def _guarded(read_only: Guard) -> Guard:
    return read_only


@pytest.fixture
def hub(management: Org, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, Any]]:
    """The hub's bucket and alert topic (read back through SQS), and the functions' env."""
    monkeypatch.setenv("AWS_DEFAULT_REGION", REGION)
    s3 = boto3.client("s3", region_name=REGION)
    sns = boto3.client("sns", region_name=REGION)
    sqs = boto3.client("sqs", region_name=REGION)
    where: Any = {"LocationConstraint": REGION}
    s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration=where)
    topic = sns.create_topic(Name="tablespec-fanout")["TopicArn"]
    queue = sqs.create_queue(QueueName="tablespec-fanout")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])
    sns.subscribe(TopicArn=topic, Protocol="sqs", Endpoint=arn["Attributes"]["QueueArn"])

    def messages() -> list[dict[str, Any]]:
        got = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10).get("Messages", [])
        return [json.loads(m["Body"]) for m in got]

    def read(key: str) -> Any:
        return json.loads(s3.get_object(Bucket=BUCKET, Key=key)["Body"].read())

    env = {"TABLESPEC_REPORT_BUCKET": BUCKET, "TABLESPEC_TOPIC_ARN": topic,
           "TABLESPEC_SPEC": SPEC, "TABLESPEC_REGIONS": REGION,
           "TABLESPEC_ORG_ROLE_NAME": "tablespec-audit"}
    yield {"env": env, "read": read, "messages": messages, "org": management}
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET):
        for obj in page.get("Contents", []):
            s3.delete_object(Bucket=BUCKET, Key=obj["Key"])
    s3.delete_bucket(Bucket=BUCKET)
    sns.delete_topic(TopicArn=topic)
    sqs.delete_queue(QueueUrl=queue)


def fan_out(hub: dict[str, Any], run_id: str, skip: str | None = None) -> list[dict[str, Any]]:
    """list_shards, then the shard handler on each shard (but *skip*'s), as the Map does."""
    org: Org = hub["org"]
    listed = fanout.list_shards({"run_id": run_id}, None, env=hub["env"])
    shards = hub["read"](listed["key"])
    assert listed == {"run_id": run_id, "bucket": BUCKET, "key": f"tablespec/{run_id}/shards.json",
                      "shards": len(shards)}
    with client_hook(Deny("sts", "AssumeRole", mentioning=org.locked).install):
        return [handler(s, None, env=hub["env"]) for s in shards if s["account"] != skip]


def verdicts(report: dict[str, Any]) -> list[tuple[str, ...]]:
    return sorted((f["rule_id"], f["table"], f["status"], f["resource"], f["message"])
                  for f in report["findings"])


def test_list_audit_merge_gives_what_audit_org_gives(hub: dict[str, Any],
                                                     tmp_path: Path) -> None:
    org: Org = hub["org"]
    summaries = fan_out(hub, "run-1")
    assert [(s["account"], s["region"]) for s in summaries] == [(a, REGION) for a in org.in_scope]
    assert all(len(json.dumps(s)) < 1024 for s in summaries)
    assert {s["account"]: s["exit_code"] for s in summaries} == {
        org.good.account: 0, org.empty: 0, org.drifted.account: 1, org.locked: 1}
    shard_report = hub["read"](f"tablespec/run-1/{org.empty}/{REGION}.json")
    assert shard_report["findings"] == [] and shard_report["source"]["scope"] == [
        {"account": org.empty, "region": REGION}]
    merged = fanout.merge({"run_id": "run-1", "map": {"ignored": True}}, None, env=hub["env"])
    assert merged["key"] == "tablespec/run-1/report.json" and merged["exit_code"] == 1
    report = hub["read"]("tablespec/run-1/report.json")
    assert hub["read"]("tablespec/latest.json") == report
    with client_hook(Deny("sts", "AssumeRole", mentioning=org.locked).install):
        code, cli = audit_json(tmp_path, "--org", "--region", REGION)
    assert code == 1 and verdicts(report) == verdicts(cli)
    assert report["source"]["scope"] == cli["source"]["scope"]
    assert {n["message"] for n in report["notes"]} == {n["message"] for n in cli["notes"]}
    assert merged["failed"] == report["summary"]["failed"] == 1
    [message] = hub["messages"]()
    assert "FAIL TS-PITR-001 interaction-events (prod)" in message["Message"]
    assert f"s3://{BUCKET}/tablespec/run-1/report.json" in message["Message"]


def test_a_shard_that_raises_or_leaves_no_report_is_unknown_in_the_merge(
    hub: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    org: Org = hub["org"]
    import checker.lambdas.shard as shard_module

    def flaky(opts: Any, *args: Any, **kwargs: Any) -> Any:
        if opts.roles == [role(org.good.account)]:
            raise KeyError("TableArn")
        return audit(opts, *args, **kwargs)

    monkeypatch.setattr(shard_module, "audit", flaky)
    summaries = fan_out(hub, "run-2", skip=org.empty)
    assert {s["account"]: s["exit_code"] for s in summaries}[org.good.account] == 3
    merged = fanout.merge({"run_id": "run-2"}, None, env=hub["env"])
    assert merged["exit_code"] == 3
    report = hub["read"]("tablespec/run-2/report.json")
    places = {f["resource"].split(":")[4]: f for f in report["findings"]
              if f["rule_id"] == "TS-ACCESS-001"}
    assert set(places) == {org.good.account, org.empty, org.locked}
    assert places[org.good.account]["reason"] == "rule_error"
    assert "KeyError: 'TableArn'" in places[org.good.account]["message"]
    assert f"no report for {org.empty}/{REGION}" in places[org.empty]["message"]
    assert {"account": org.empty, "region": REGION} in report["source"]["scope"]
    [message] = hub["messages"]()
    assert message["Subject"].startswith("tablespec audit: 1 failed on a bug")


def test_a_bad_shard_event_or_run_id_is_refused(hub: dict[str, Any]) -> None:
    from checker.errors import RunError

    with pytest.raises(RunError, match="not a valid shard event"):
        handler({"account": "1", "region": REGION, "role_arn": "x", "run_id": "r"}, None,
                env=hub["env"])
    with pytest.raises(RunError, match="run_id"):
        fanout.merge({"run_id": "../etc"}, None, env=hub["env"])


def test_each_shard_imports_into_its_own_account_with_the_member_role(
        hub: dict[str, Any]) -> None:
    """TABLESPEC_SECURITY_HUB: every shard imports its findings, through the member role, into
    the account it audited; the one it could not enter says so in its report."""
    org: Org = hub["org"]
    hub["env"] = {**hub["env"], "TABLESPEC_SECURITY_HUB": "true"}
    fan_out(hub, "run-hub")
    for world in (org.good, org.drifted):
        report = hub["read"](f"tablespec/run-hub/{world.account}/{REGION}.json")
        client = session_for(world.env).client("securityhub", region_name=REGION)
        held = [f for f in client.get_findings(MaxResults=100)["Findings"]
                if f["GeneratorId"].startswith("tablespec/") and f["RecordState"] == "ACTIVE"]
        assert len(held) == len(report["findings"]) > 0
        assert {f["AwsAccountId"] for f in held} == {world.account}
        assert "security_hub_failed" not in {n["kind"] for n in report["notes"]}
    locked = hub["read"](f"tablespec/run-hub/{org.locked}/{REGION}.json")
    assert any(n["kind"] == "security_hub_failed" and "could not enter" in n["message"]
               for n in locked["notes"])
