"""`audit --org`: every account in scope through the same role; the management account, the
suspended and the excluded ones noted; an account or region that cannot be read is one
TS-ACCESS-001 unknown, the rest read; an account with none of the spec's tables is clean."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from checker.cli import main
from checker.engine import PLACE, UNPLACED
from checker.sources.live.clients import client_hook
from tests.support.audit_helpers import Deny, Guard, audit_json, not_passing
from tests.support.audit_org_world import LEGACY, MANAGEMENT, OTHER_REGION, REGION, Org, role


@pytest.fixture(autouse=True)
def _guarded(read_only: Guard) -> Guard:
    return read_only


def audit_org(tmp_path: Path, org: Org, *args: str) -> tuple[int, dict[str, Any]]:
    """`audit --org` with AssumeRole into the locked account refused."""
    with client_hook(Deny("sts", "AssumeRole", mentioning=org.locked).install):
        return audit_json(tmp_path, "--org", "--region", REGION, *args)


def by_account(report: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for f in report["findings"]:
        out.setdefault(f["resource"].split(":")[4], []).append(f)
    return out


def notes(report: dict[str, Any], kind: str) -> list[str]:
    return [n["message"] for n in report["notes"] if n["kind"] == kind]


def test_every_account_in_scope_is_audited_through_the_role(
    management: Org, tmp_path: Path, read_only: Guard
) -> None:
    org = management
    code, report = audit_org(tmp_path, org)
    assert code == 1
    assert report["source"]["scope"] == [{"account": a, "region": REGION} for a in org.in_scope]
    assumed = sorted(p["RoleArn"] for _, op, p in read_only.params if op == "AssumeRole")
    assert assumed == [role(a) for a in org.in_scope]
    found = by_account(report)
    assert set(found) == {org.good.account, org.drifted.account, org.locked}
    assert {f["status"] for f in found[org.good.account]} == {"pass"}
    assert [(s, r, t, res) for s, r, t, res, *_ in not_passing(report)
            if org.drifted.account in res] == [
        ("fail", "TS-PITR-001", "interaction-events", org.drifted.arn("interaction-events"))]
    (locked,) = found[org.locked]
    assert (locked["rule_id"], locked["status"], locked["reason"], locked["table"],
            locked["environment"]) == ("TS-ACCESS-001", "unknown", "access_denied", PLACE,
                                       UNPLACED)
    assert locked["resource"] == f"arn:aws:dynamodb:{REGION}:{org.locked}:table/*"
    assert f"cannot assume {role(org.locked)} (AccessDenied" in locked["message"]
    assert sorted(notes(report, "not_audited")) == sorted([
        f"account {MANAGEMENT} (master) is the management account "
        "(--include-management-account audits it): not audited",
        f"account {org.closed} (closed) is suspended in the organization: not audited"])
    assert any(n.startswith(f"{org.locked}: not read (cannot assume")
               for n in notes(report, "not_read"))
    assert any(n.startswith(f"{org.empty}/{REGION}: no table follows the naming pattern")
               for n in notes(report, "nothing_checked"))  # it holds one table, not that one
    assert f"{org.empty}/{REGION}: 1 table(s) outside the naming pattern, not checked: " \
           f"{LEGACY}" in notes(report, "ignored_tables")


def test_an_ou_is_searched_recursively_and_accounts_can_be_excluded_or_added(
    management: Org, tmp_path: Path, read_only: Guard
) -> None:
    org = management
    code, report = audit_org(tmp_path, org, "--ou", org.ou)
    assert code == 0 and [s["account"] for s in report["source"]["scope"]] == [org.good.account]
    code, report = audit_org(tmp_path, org, "--exclude-account", org.drifted.account,
                             "--exclude-account", "999999999999",
                             "--include-management-account")
    scope = [s["account"] for s in report["source"]["scope"]]
    assert scope == sorted([MANAGEMENT, org.good.account, org.locked, org.empty])
    assert f"account {org.drifted.account} (drifted) is excluded (--exclude-account): not " \
           "audited" in notes(report, "not_audited")
    assert "--exclude-account names no account of the organization: 999999999999" in notes(
        report, "not_audited")
    assert any(n.startswith(f"{MANAGEMENT}/{REGION}: no DynamoDB table")
               for n in notes(report, "nothing_checked"))


def test_allow_unknown_lets_the_locked_account_pass_but_not_a_failure(
    management: Org, tmp_path: Path
) -> None:
    code, report = audit_org(tmp_path, management, "--allow-unknown")
    assert code == 1 and report["summary"]["unknown"] == 1 and report["summary"]["failed"] == 1
    code, report = audit_org(tmp_path, management, "--allow-unknown", "--exclude-account",
                             management.drifted.account)
    assert code == 0 and report["summary"]["unknown"] == 1


def test_org_role_name_and_external_id_are_those_assumed(
    management: Org, tmp_path: Path, read_only: Guard
) -> None:
    audit_org(tmp_path, management, "--org-role-name", "security/auditor", "--external-id", "x-1")
    assumed = [p for _, op, p in read_only.params if op == "AssumeRole"]
    assert sorted(p["RoleArn"] for p in assumed) == [
        role(a, "security/auditor") for a in management.in_scope]
    assert {p["ExternalId"] for p in assumed} == {"x-1"}


def test_a_region_whose_tables_cannot_be_listed_is_one_unknown_per_account(
    management: Org, tmp_path: Path
) -> None:
    org = management
    deny = Deny("dynamodb", "ListTables", region=OTHER_REGION)
    with client_hook(deny.install):
        code, report = audit_org(tmp_path, org, "--region", OTHER_REGION)
    readable = [a for a in org.in_scope if a != org.locked]
    assert code == 1 and deny.denied == len(readable)
    other = [f for f in report["findings"] if f":{OTHER_REGION}:" in f["resource"]]
    assert sorted((f["rule_id"], f["resource"], f["reason"]) for f in other) == sorted(
        ("TS-ACCESS-001", f"arn:aws:dynamodb:{OTHER_REGION}:{a}:table/*", "access_denied")
        for a in org.in_scope)
    assert all("dynamodb:ListTables" in f["message"] for f in other
               if f":{org.locked}:" not in f["resource"])
    good_here = [f for f in report["findings"]
                 if f["resource"].startswith(f"arn:aws:dynamodb:{REGION}:{org.good.account}:")]
    assert good_here and {f["status"] for f in good_here} == {"pass"}


@pytest.mark.parametrize(("code", "says"), [
    ("AWSOrganizationsNotInUseException", "is not in an AWS Organization"),
    ("AccessDeniedException", "run --org with credentials of the organization's management"),
])
def test_an_organization_that_cannot_be_read_is_exit_2_with_one_line(
    management: Org, code: str, says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with client_hook(Deny("organizations", "DescribeOrganization", code=code).install):
        assert main(["audit", "--org", "--region", REGION]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and says in err


@pytest.mark.parametrize(("args", "says"), [
    (["--org", "--role-arn", "arn:aws:iam::111111111111:role/x"], "--org and --role-arn"),
    (["--org-role-name", "x"], "--org-role-name is used with --org only"),
    (["--org", "--org-role-name", "no spaces"], "not an IAM role name"),
    (["--ou", "ou-ab12-cdefgh12"], "--ou is used with --org only"),
    (["--org", "--ou", "engineering"], "not an OU or root id"),
    (["--org", "--exclude-account", "12"], "not a 12-digit account id"),
    (["--include-management-account"], "--include-management-account is used with --org"),
    (["--org", "--external-id", "x"], "--external-id: 2 to 1224 characters"),
])
def test_org_options_that_cannot_make_a_run(
    aws: str, args: list[str], says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["audit", *args]) == 2
    assert says in capsys.readouterr().err
