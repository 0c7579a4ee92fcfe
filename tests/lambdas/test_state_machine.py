"""The state machine Terraform rendered, run end to end by moto's Step Functions: it lists the
organization's shards, audits each in its distributed Map (the real handlers, dispatched from
moto's Lambda stand-in), merges, and the merged report says what `audit --org` says."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from checker.audit import audit
from checker.rules.access import ACCESS
from tests.support.audit_helpers import Guard, audit_json, not_passing
from tests.support.audit_world import TABLES, credentials
from tests.support.org_moto import LambdaDispatch, configure, moto_runnable, only_float_keys_differ
from tests.support.org_world import (
    HANDLERS,
    HUB_REGION,
    MANAGEMENT,
    REGIONS,
    Hub,
    Org,
    mgmt_session,
)

pytestmark = pytest.mark.terraform

RUN_TIMEOUT = 300  # seconds for one execution on the stand-in
CRASH = "Runtime exited without providing a reason"


@pytest.fixture(autouse=True)
def _guarded(read_only: Guard) -> Guard:
    """Every audit client in this process (the shards' included) keeps to the declared reads."""
    return read_only


@dataclass
class Machine:
    """The rendered definition, made runnable, in moto's executing Step Functions."""

    arn: str
    hub: Hub
    dispatch: LambdaDispatch
    clients: dict[str, Any]  # the management account's, made before any run
    queue: str  # SQS queue subscribed to the alert topic

    def run(self, name: str) -> dict[str, Any]:
        """Start an execution named *name* and wait for its end."""
        sfn = self.clients["stepfunctions"]
        execution = sfn.start_execution(stateMachineArn=self.arn, name=name)["executionArn"]
        deadline = time.monotonic() + RUN_TIMEOUT
        while (done := sfn.describe_execution(executionArn=execution))["status"] == "RUNNING":
            assert time.monotonic() < deadline, f"{name} still running after {RUN_TIMEOUT}s"
            time.sleep(0.25)
        done["history"] = sfn.get_execution_history(executionArn=execution,
                                                    maxResults=1000)["events"]
        return dict(done)

    def read(self, key: str) -> Any:
        body = self.clients["s3"].get_object(Bucket=self.hub.outputs["report_bucket"], Key=key)
        return json.loads(body["Body"].read())

    def alerts(self) -> list[dict[str, Any]]:
        got = self.clients["sqs"].receive_message(QueueUrl=self.queue, MaxNumberOfMessages=10)
        return [json.loads(m["Body"]) for m in got.get("Messages", [])]


@pytest.fixture
def machine(hub: Hub, org_world: Org, aws: str, monkeypatch: pytest.MonkeyPatch
            ) -> Iterator[Machine]:
    """moto executing state machines, its Lambda stand-in dispatching to the real handlers,
    and the machine made from the definition Terraform rendered (FLOAT_KEYS as floats)."""
    port = aws.rsplit(":", 1)[1]
    monkeypatch.setenv("MOTO_PORT", port)  # moto's Step Functions call its own server there
    session = mgmt_session(aws)
    clients = {name: session.client(name, region_name=HUB_REGION, endpoint_url=aws)
               for name in ("stepfunctions", "s3", "sqs", "sns")}
    queue = clients["sqs"].create_queue(QueueName="tablespec-org-alerts")["QueueUrl"]
    queue_arn = clients["sqs"].get_queue_attributes(
        QueueUrl=queue, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    subscription = clients["sns"].subscribe(TopicArn=hub.outputs["alert_topic_arn"],
                                            Protocol="sqs", Endpoint=queue_arn)

    dispatch = LambdaDispatch(aws, lambda account: credentials(aws, account))
    dispatch.install(monkeypatch)
    runnable, changed = moto_runnable(hub.definition)
    assert changed == ["/States/AuditShards/ToleratedFailurePercentage"]
    assert only_float_keys_differ(hub.definition, runnable)
    configure(aws, lambda_docker=False, execute=True)
    sfn = clients["stepfunctions"]
    try:
        arn = sfn.create_state_machine(name=hub.outputs["state_machine_arn"].split(":")[-1],
                                       definition=runnable, roleArn=hub.state_machine_role,
                                       type="STANDARD")["stateMachineArn"]
        assert arn == hub.outputs["state_machine_arn"]
        yield Machine(arn, hub, dispatch, clients, queue)
        sfn.delete_state_machine(stateMachineArn=arn)
    finally:
        configure(aws, lambda_docker=False, execute=False)
        clients["sns"].unsubscribe(SubscriptionArn=subscription["SubscriptionArn"])
        clients["sqs"].delete_queue(QueueUrl=queue)


def place(finding: dict[str, Any]) -> tuple[str, str]:
    """(account, region) of a finding, from its resource ARN."""
    parts = finding["resource"].split(":")
    return parts[4], parts[3]


def verdicts(report: dict[str, Any]) -> list[tuple[str, ...]]:
    return sorted((f["rule_id"], f["table"], f["status"], f["resource"], f["message"])
                  for f in report["findings"])


def test_the_state_machine_audits_the_organization_into_one_report(
    machine: Machine, org_world: Org, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    org, names = org_world, machine.hub.outputs["function_names"]
    done = machine.run("run-1")
    assert done["status"] == "SUCCEEDED", done.get("cause")
    calls = machine.dispatch
    assert [c.event for c in calls.of(names["list-shards"])] == [{"run_id": "run-1"}]
    shard_events = sorted((c.event["account"], c.event["region"]) for c in
                          calls.of(names["shard"]))
    assert shard_events == org.shards  # every member account in every region, once
    assert {c.event["role_arn"] for c in calls.of(names["shard"])} == {
        f"arn:aws:iam::{a}:role/tablespec-audit" for a in org.accounts.values()}
    assert [c.event for c in calls.of(names["merge"])] == [{"run_id": "run-1"}]
    assert [c.error for c in calls.calls] == [None] * len(calls.calls)
    handlers = {c.function: c.handler for c in calls.calls}  # as the functions are configured
    assert handlers == {names[k]: v for k, v in HANDLERS.items()}
    assert all(len(json.dumps(c.result)) < 1024 for c in calls.of(names["shard"]))
    assert json.loads(done["output"]) == calls.of(names["merge"])[0].result

    report = machine.read("tablespec/run-1/report.json")
    assert machine.read("tablespec/latest.json") == report
    assert sorted((s["account"], s["region"]) for s in report["source"]["scope"]) == org.shards
    assert [(s, r, t, place({"resource": res})) for s, r, t, res, *_ in not_passing(report)] == [
        ("fail", "TS-PITR-001", "interaction-events", (org.drifted.account, REGIONS[0]))]
    assert org.drifted.arn("interaction-events") in json.dumps(not_passing(report))
    found = {place(f) for f in report["findings"]}
    assert found == org.with_tables  # a shard with no tables adds nothing: clean
    for account, region in set(org.shards) - org.with_tables:
        shard = machine.read(f"tablespec/run-1/{account}/{region}.json")
        assert shard["findings"] == [] and shard["summary"]["failed"] == 0
    [alert] = machine.alerts()
    assert "FAIL TS-PITR-001 interaction-events (prod)" in alert["Message"]

    # The Map's results never reach the state: what leaves it is what entered it.
    exits = {e["stateExitedEventDetails"]["name"]: json.loads(
        e["stateExitedEventDetails"]["output"]) for e in done["history"]
        if e["type"].endswith("StateExited")}
    assert exits["AuditShards"] == exits["ListShards"] == {
        "run_id": "run-1", "bucket": machine.hub.outputs["report_bucket"],
        "key": "tablespec/run-1/shards.json"}

    for name, value in credentials(machine.dispatch.endpoint, MANAGEMENT).items():
        monkeypatch.setenv(name, value)  # the CLI runs as the hub does: the management account
    code, cli = audit_json(tmp_path, "--org", "--region", REGIONS[0], "--region", REGIONS[1])
    assert code == 1
    assert verdicts(cli) == verdicts(report)
    assert cli["source"]["scope"] == report["source"]["scope"]
    assert cli["summary"] == report["summary"]


@pytest.fixture
def faults(org_world: Org, machine: Machine, monkeypatch: pytest.MonkeyPatch
           ) -> dict[str, tuple[str, str]]:
    """One shard whose audit raises, one whose function fails before it writes a report, and
    one that Lambda throttles once (retried by the state machine)."""
    import checker.lambdas.shard as shard_module

    raising = (org_world.accounts["good"], REGIONS[1])
    crashing = (org_world.accounts["quiet"], REGIONS[0])
    throttled = (org_world.accounts["spare"], REGIONS[1])
    machine.dispatch.throttle_once = lambda e: (e.get("account"), e.get("region")) == throttled
    run_shard = shard_module.run_shard

    def flaky_audit(opts: Any, *args: Any, **kwargs: Any) -> Any:
        if (opts.roles[0].split(":")[4], opts.regions[0]) == raising:
            raise KeyError("TableArn")
        return audit(opts, *args, **kwargs)

    def crash(event: Any, *args: Any, **kwargs: Any) -> Any:
        if (event["account"], event["region"]) == crashing:
            raise RuntimeError(CRASH)
        return run_shard(event, *args, **kwargs)

    monkeypatch.setattr(shard_module, "audit", flaky_audit)
    monkeypatch.setattr(shard_module, "run_shard", crash)
    return {"raising": raising, "crashing": crashing, "throttled": throttled}


def test_a_shard_that_raises_or_fails_is_unknown_for_its_account_and_region(
    machine: Machine, org_world: Org, faults: dict[str, tuple[str, str]]
) -> None:
    done = machine.run("run-2")
    assert done["status"] == "SUCCEEDED", done.get("cause")
    names = machine.hub.outputs["function_names"]
    failed = sorted((c.event["account"], c.event["region"], c.error)
                    for c in machine.dispatch.calls if c.error)
    assert failed == sorted([(*faults["crashing"], f"RuntimeError: {CRASH}"), (
        *faults["throttled"], "TooManyRequestsException (the service throttled it)")])
    retried = [c for c in machine.dispatch.of(names["shard"])
               if (c.event["account"], c.event["region"]) == faults["throttled"]]
    assert [c.error is None for c in retried] == [False, True]  # retried, then audited
    assert len(machine.dispatch.of(names["merge"])) == 1  # the merge runs regardless

    report = machine.read("tablespec/run-2/report.json")
    unknown = {place(f): f for f in report["findings"] if f["status"] == "unknown"}
    assert set(unknown) == {faults["raising"], faults["crashing"]}  # not the throttled one
    by_place = [f for f in report["findings"] if place(f) in unknown]
    assert {f["rule_id"] for f in by_place} == {ACCESS.id} and len(by_place) == len(unknown)
    assert "KeyError: 'TableArn'" in unknown[faults["raising"]]["message"]
    account, region = faults["crashing"]
    assert f"no report for {account}/{region}" in unknown[faults["crashing"]]["message"]
    assert sorted((s["account"], s["region"]) for s in report["source"]["scope"]) == \
        org_world.shards
    drift = [(s, r, t) for s, r, t, *_ in not_passing(report) if s == "fail"]
    assert drift == [("fail", "TS-PITR-001", "interaction-events")]
    good_first = [f for f in report["findings"]
                  if place(f) == (org_world.accounts["good"], REGIONS[0])]
    assert good_first and {f["status"] for f in good_first} == {"pass"}
    assert TABLES["interaction-events"] in json.dumps(good_first)
