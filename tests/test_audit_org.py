"""`audit --org`: every active account of the organization, each through the same role; an
account that cannot be entered stays in the report with its tables unknown."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from checker import rules
from checker.cli import main
from checker.sources.live.clients import client_hook
from checker.spec.model import Spec
from tests.audit_helpers import Deny, Guard, audit_json, not_passing
from tests.audit_world import TABLES, World, credentials, seed, session_for

pytest_plugins = ("tests.audit_fixtures",)

REGION = "eu-north-1"
OTHER_REGION = "eu-south-1"
MANAGEMENT = "400000000001"  # holds the organization; its own region is empty


@dataclass(frozen=True)
class Org:
    """The organization on the moto server: its accounts by role in the tests."""

    good: World
    drifted: World
    locked: str  # active, but AssumeRole into it is refused
    closed: str  # suspended: listed, never audited

    @property
    def active(self) -> list[str]:
        return sorted([MANAGEMENT, self.good.account, self.drifted.account, self.locked])


@pytest.fixture(autouse=True)
def _guarded(read_only: Guard) -> Guard:
    return read_only


@pytest.fixture(scope="session")
def org(moto_endpoint: str, spec: Spec) -> Org:
    """An organization of five accounts: two with the prod tables (PITR off on the events
    table of one), one that cannot be entered, one closed, and the management account."""
    client = session_for(credentials(moto_endpoint, MANAGEMENT)).client(
        "organizations", region_name="us-east-1", endpoint_url=moto_endpoint)
    client.create_organization(FeatureSet="ALL")
    made = [client.create_account(AccountName=name, Email=f"{name}@example.com")[
        "CreateAccountStatus"]["AccountId"] for name in ("good", "drifted", "locked", "closed")]
    client.close_account(AccountId=made[3])
    good = seed(moto_endpoint, REGION, spec, account=made[0])
    drifted = seed(moto_endpoint, REGION, spec, account=made[1])
    drifted.writers.dynamodb.update_continuous_backups(
        TableName=TABLES["interaction-events"],
        PointInTimeRecoverySpecification={"PointInTimeRecoveryEnabled": False})
    return Org(good, drifted, made[2], made[3])


@pytest.fixture
def management(org: Org, aws: str, monkeypatch: pytest.MonkeyPatch) -> Org:
    """The management account's credentials are the credential chain's."""
    monkeypatch.delenv("AWS_SESSION_TOKEN", raising=False)
    for name, value in credentials(aws, MANAGEMENT).items():
        monkeypatch.setenv(name, value)
    return org


def audit_org(tmp_path: Path, org: Org, *args: str) -> tuple[int, dict[str, Any]]:
    """`audit --org` with AssumeRole into the locked account refused."""
    with_lock = Deny("sts", "AssumeRole", mentioning=org.locked)
    with client_hook(with_lock.install):
        return audit_json(tmp_path, "--org", "--region", REGION, *args)


def unread_findings(spec: Spec) -> set[tuple[str, str]]:
    """(rule id, table) of every rule that applies to a spec table in some environment."""
    return {(r.id, name) for name, table in spec.tables.items() for r in rules.RULES
            if any(r.applies(table, env) for env in spec.environments)}


def test_every_active_account_is_audited_and_the_locked_one_reported_unknown(
    management: Org, tmp_path: Path, read_only: Guard, spec: Spec
) -> None:
    org = management
    code, report = audit_org(tmp_path, org)
    assert code == 1
    assert report["source"]["scope"] == [{"account": a, "region": REGION} for a in org.active]
    assumed = sorted(p["RoleArn"] for _, op, p in read_only.params if op == "AssumeRole")
    assert assumed == sorted(f"arn:aws:iam::{a}:role/tablespec-audit"
                             for a in org.active if a != MANAGEMENT)
    by_account: dict[str, list[dict[str, Any]]] = {}
    for f in report["findings"]:
        by_account.setdefault(f["resource"].split(":")[4], []).append(f)
    assert org.closed not in by_account and MANAGEMENT not in by_account
    assert [f for f in by_account[org.good.account] if f["status"] != "pass"] == []
    assert [(s, r, t, res) for s, r, t, res, *_ in not_passing(report)
            if org.drifted.account in res] == [
        ("fail", "TS-PITR-001", "interaction-events", org.drifted.arn("interaction-events"))]
    locked = by_account[org.locked]
    assert {(f["rule_id"], f["table"]) for f in locked} == unread_findings(spec)
    assert len(locked) == len(unread_findings(spec))
    for f in locked:
        assert (f["status"], f["reason"], f["environment"]) == (
            "unknown", "access_denied", "(unknown)")
        assert f"cannot assume arn:aws:iam::{org.locked}:role/tablespec-audit" in f["message"]
        assert f["resource"].startswith(f"arn:aws:dynamodb:{REGION}:{org.locked}:table/")
    kinds = {n["kind"]: n["message"] for n in report["notes"] if n["kind"] in (
        "not_read", "not_audited")}
    assert kinds["not_read"].startswith(f"{org.locked}: not read (cannot assume")
    assert kinds["not_audited"] == (f"account {org.closed} (closed) is suspended in the "
                                    "organization: not audited")


def test_allow_unknown_passes_the_locked_account_but_not_a_failure(
    management: Org, tmp_path: Path
) -> None:
    code, report = audit_org(tmp_path, management, "--allow-unknown", "--fail-on", "critical")
    pitr = [f for f in report["findings"] if f["rule_id"] == "TS-PITR-001"
            and f["status"] == "fail"]
    assert pitr  # still reported, below the gate
    assert code == (1 if any(f["severity"] == "critical" and f["status"] == "fail"
                             for f in report["findings"]) else 0)


def test_org_role_and_external_id_are_those_assumed(
    management: Org, tmp_path: Path, read_only: Guard
) -> None:
    audit_org(tmp_path, management, "--org-role", "security/auditor", "--external-id", "x-1")
    assumed = [p for _, op, p in read_only.params if op == "AssumeRole"]
    assert {p["RoleArn"].split(":role/")[1] for p in assumed} == {"security/auditor"}
    assert {p["ExternalId"] for p in assumed} == {"x-1"}


def test_a_region_whose_tables_cannot_be_listed_is_unknown_the_others_read(
    management: Org, tmp_path: Path, spec: Spec
) -> None:
    org = management
    deny = Deny("dynamodb", "ListTables", region=OTHER_REGION)
    with client_hook(deny.install):
        code, report = audit_org(tmp_path, org, "--region", OTHER_REGION)
    assert code == 1 and deny.denied == len(org.active) - 1  # not the locked account
    other = [f for f in report["findings"] if f":{OTHER_REGION}:" in f["resource"]]
    assert {f["status"] for f in other} == {"unknown"}
    assert {(f["rule_id"], f["table"]) for f in other if f["resource"].startswith(
        f"arn:aws:dynamodb:{OTHER_REGION}:{org.good.account}:")} == unread_findings(spec)
    assert any("dynamodb:ListTables" in f["message"] for f in other)
    good_here = [f for f in report["findings"]
                 if f["resource"].startswith(f"arn:aws:dynamodb:{REGION}:{org.good.account}:")]
    assert good_here and {f["status"] for f in good_here} == {"pass"}


@pytest.mark.parametrize(("code", "says"), [
    ("AWSOrganizationsNotInUseException", "is not in an AWS Organization"),
    ("AccessDeniedException", "run --org with credentials of the organization's management"),
])
def test_an_organization_that_cannot_be_listed_is_exit_2_with_one_line(
    management: Org, code: str, says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with client_hook(Deny("organizations", "ListAccounts", code=code).install):
        assert main(["audit", "--org", "--region", REGION]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and says in err


@pytest.mark.parametrize(("args", "says"), [
    (["--org", "--role-arn", "arn:aws:iam::111111111111:role/x"], "--org and --role-arn"),
    (["--org-role", "x"], "--org-role is used with --org only"),
    (["--org", "--org-role", "no spaces"], "not an IAM role name"),
])
def test_org_options_that_cannot_make_a_run(
    aws: str, args: list[str], says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit", *args]) == 2
    assert says in capsys.readouterr().err
