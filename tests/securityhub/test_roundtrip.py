"""`audit --security-hub` on the moto server: two runs, a fix and a deleted table in between.

The findings land in the audited account (through its member role, not the caller's account),
the second run replaces them (nothing duplicated), the fixed finding is PASSED, and the
findings of the deleted table are ARCHIVED. moto's GetFindings ignores filters and a
re-import replaces the whole finding: the filters are tested on botocore's Stubber
(test_import.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from checker.specfile.model import Spec
from tests.support.audit_helpers import audit_json
from tests.support.audit_world import DEFAULT_ACCOUNT, World, seed
from tests.support.moto import session_for

ACCOUNT = "100000000025"  # this file's own account on the shared moto server
REGION = "ap-southeast-2"
EVENTS = "hypermage-vr-interaction-events-prod"
LEGACY = "hypermage-vr-legacy-prod"  # follows the naming, not in the spec: TS-NAME-001


def hub_findings(world: World, account_env: dict[str, str]) -> list[dict[str, Any]]:
    """Every finding Security Hub holds in the account of *account_env*, in REGION."""
    client = session_for(account_env).client("securityhub", region_name=REGION,
                                             endpoint_url=world.endpoint)
    out: list[dict[str, Any]] = []
    kwargs: dict[str, Any] = {"MaxResults": 100}
    while True:
        page = client.get_findings(**kwargs)
        out += [dict(f) for f in page["Findings"]]
        if not page.get("NextToken"):
            return out
        kwargs["NextToken"] = page["NextToken"]


def ours(findings: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """tablespec's findings by Id (the Ids are unique: nothing duplicated)."""
    mine = [f for f in findings if f["GeneratorId"].startswith("tablespec/")]
    by_id = {f["Id"]: f for f in mine}
    assert len(by_id) == len(mine), "a finding was imported twice"
    return by_id


def one(by_id: dict[str, dict[str, Any]], rule: str, table: str) -> dict[str, Any]:
    (found,) = [f for f in by_id.values() if f["ProductFields"]["tablespec/RuleId"] == rule
                and f["Resources"][0]["Id"].endswith(f":table/{table}")]
    return found


def test_two_runs_replace_pass_and_archive(aws: str, moto_endpoint: str, spec: Spec,
                                          tmp_path: Path) -> None:
    world = seed(moto_endpoint, REGION, spec, account=ACCOUNT)
    ddb = world.writers.dynamodb
    ddb.update_continuous_backups(TableName=EVENTS, PointInTimeRecoverySpecification={
        "PointInTimeRecoveryEnabled": False})
    ddb.create_table(TableName=LEGACY, BillingMode="PAY_PER_REQUEST",
                     AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
                     KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}])
    role = ["--role-arn", f"arn:aws:iam::{ACCOUNT}:role/tablespec-audit", "--region", REGION]
    try:
        code, first = audit_json(tmp_path, *role, "--security-hub")
        assert code == 1
        hub = ours(hub_findings(world, world.env))
        assert len(hub) == len(first["findings"])
        pitr = one(hub, "TS-PITR-001", EVENTS)
        assert (pitr["Compliance"]["Status"], pitr["RecordState"]) == ("FAILED", "ACTIVE")
        assert pitr["AwsAccountId"] == ACCOUNT
        assert pitr["ProductArn"] == (
            f"arn:aws:securityhub:{REGION}:{ACCOUNT}:product/{ACCOUNT}/default")
        assert pitr["FindingProviderFields"]["Severity"]["Label"] == "HIGH"
        assert one(hub, "TS-NAME-001", LEGACY)["Compliance"]["Status"] == "FAILED"
        notes = {n["kind"]: n["message"] for n in first["notes"]}
        assert f"{len(hub)} finding(s) imported and 0 archived" in notes["security_hub"]
        assert "security_hub_failed" not in notes
        # imported with the member role: the caller's own account holds none of them
        caller = {k: v for k, v in world.env.items() if k != "AWS_SESSION_TOKEN"}
        caller.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing")
        assert DEFAULT_ACCOUNT != ACCOUNT and not ours(hub_findings(world, caller))

        ddb.update_continuous_backups(TableName=EVENTS, PointInTimeRecoverySpecification={
            "PointInTimeRecoveryEnabled": True})
        ddb.delete_table(TableName=LEGACY)
        code, second = audit_json(tmp_path, *role, "--security-hub")
        assert code == 0
        again = ours(hub_findings(world, world.env))
        assert set(again) == set(hub)  # replaced, not added
        fixed = again[pitr["Id"]]
        assert (fixed["Compliance"]["Status"], fixed["RecordState"]) == ("PASSED", "ACTIVE")
        assert fixed["CreatedAt"] == pitr["CreatedAt"]  # the first sighting is kept
        assert fixed["FindingProviderFields"]["Severity"]["Label"] == "INFORMATIONAL"
        gone = one(again, "TS-NAME-001", LEGACY)
        assert gone["RecordState"] == "ARCHIVED"
        active = [f for f in again.values() if f["RecordState"] == "ACTIVE"]
        assert len(active) == len(second["findings"])
        assert all(f["Compliance"]["Status"] == "PASSED" for f in active)
        archived = len(again) - len(active)
        assert archived >= 1 and f"and {archived} archived" in {
            n["kind"]: n["message"] for n in second["notes"]}["security_hub"]
    finally:
        ddb.update_continuous_backups(TableName=EVENTS, PointInTimeRecoverySpecification={
            "PointInTimeRecoveryEnabled": True})
        if LEGACY in ddb.list_tables()["TableNames"]:
            ddb.delete_table(TableName=LEGACY)


def test_without_the_option_nothing_is_written(aws: str, moto_endpoint: str, spec: Spec,
                                                tmp_path: Path) -> None:
    world = seed(moto_endpoint, "ap-northeast-3", spec, account="100000000026")
    code, report = audit_json(tmp_path, "--role-arn",
                              "arn:aws:iam::100000000026:role/tablespec-audit", "--region",
                              "ap-northeast-3")
    assert code == 0 and "security_hub" not in {n["kind"] for n in report["notes"]}
    hub = session_for(world.env).client("securityhub", region_name="ap-northeast-3",
                                        endpoint_url=moto_endpoint)
    assert hub.get_findings()["Findings"] == []
