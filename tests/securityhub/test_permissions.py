"""Security Hub's two calls: granted only with --security-hub, to the identity that reads the
tables, and callable only by the import's own client."""

from __future__ import annotations

import json
from typing import Any

import pytest

from checker.cli import main
from checker.sources.live import api


def printed(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[dict[str, Any], str]:
    assert main(["permissions", *args]) == 0
    out = capsys.readouterr()
    policy: dict[str, Any] = json.loads(out.out)
    return policy, out.err


def test_the_option_adds_the_import_and_says_so_when_left_out(
        capsys: pytest.CaptureFixture[str]) -> None:
    plain, err = printed(capsys)
    assert "securityhub:GetFindings, securityhub:BatchImportFindings are left out: only " \
           "`audit --security-hub` needs them" in err
    with_hub, err = printed(capsys, "--security-hub")
    added = [s for s in with_hub["Statement"] if s not in plain["Statement"]]
    assert [(s["Sid"], s["Action"], s["Resource"]) for s in added] == [
        ("TablespecReadOwnFindings", ["securityhub:GetFindings"],
         "arn:aws:securityhub:*:*:hub/default"),
        ("TablespecImportFindings", ["securityhub:BatchImportFindings"],
         "arn:aws:securityhub:*:*:product/*/default")]
    assert "securityhub" not in err
    # with --role-arn the same identity (the member role's policy) imports
    member, _ = printed(capsys, "--security-hub", "--role-arn",
                        "arn:aws:iam::111122223333:role/tablespec-audit")
    assert all(s in member["member_role"]["Statement"] for s in added)
    assert not any("securityhub" in str(s) for s in member["auditor"]["Statement"])


def test_the_hub_of_an_org_imports_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    hub, _ = printed(capsys, "--org")
    with_hub, err = printed(capsys, "--org", "--security-hub")
    assert with_hub == hub
    assert "each member role does, into its own account" in err


def test_audit_clients_may_call_neither() -> None:
    everything = api.allowed(sample=True, assume=True, org=True, keys=api.SPEC_KEYS)
    assert not {s for s, _ in everything} & {"securityhub"}
    assert api.security_hub_calls() == {("securityhub", "GetFindings"),
                                        ("securityhub", "BatchImportFindings")}
