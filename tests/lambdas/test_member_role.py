"""examples/org/member-role: the role every audited account carries, exactly `tablespec
permissions`, as a StackSet template and as a Terraform module (validated offline)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
import yaml

from checker import terraform
from checker.cli import main
from tests.support.org_world import ORG
from tests.support.tfplans import require_terraform

MEMBER = ORG / "member-role"
POLICIES = {"audit-policy.json": ["permissions"],
            "audit-policy-sampling.json": ["permissions", "--sample-items", "1"]}


def printed(capsys: pytest.CaptureFixture[str], args: list[str]) -> dict[str, Any]:
    """The policy `tablespec ARGS` prints."""
    assert main(args) == 0
    out: dict[str, Any] = json.loads(capsys.readouterr().out)
    return out


def stackset() -> dict[str, Any]:
    """stackset.yaml (long-form intrinsics: plain YAML)."""
    doc: dict[str, Any] = yaml.safe_load((MEMBER / "stackset.yaml").read_text(encoding="utf-8"))
    return doc


@pytest.mark.parametrize("name", sorted(POLICIES))
def test_committed_policies_are_what_tablespec_permissions_prints(
    name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    committed = json.loads((MEMBER / name).read_text(encoding="utf-8"))
    assert committed == printed(capsys, POLICIES[name]), (
        f"run `tablespec {' '.join(POLICIES[name])} > examples/org/member-role/{name}`")


def test_the_stackset_template_carries_exactly_those_policies(
    capsys: pytest.CaptureFixture[str]
) -> None:
    resources = stackset()["Resources"]
    role = resources["AuditRole"]
    [policy] = role["Properties"]["Policies"]
    condition, sampling, plain = policy["PolicyDocument"]["Fn::If"]
    assert condition == "Sampling"
    assert sampling == printed(capsys, POLICIES["audit-policy-sampling.json"])
    assert plain == printed(capsys, POLICIES["audit-policy.json"])
    assert role["Type"] == "AWS::IAM::Role"
    security_hub = resources["SecurityHubPolicy"]
    assert security_hub["Condition"] == "ImportsFindings"
    assert security_hub["Properties"]["Roles"] == [{"Ref": "AuditRole"}]
    assert security_hub["Properties"]["PolicyDocument"] == json.loads(
        (MEMBER / "security-hub-policy.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("where", [MEMBER, ORG.parent / "scheduled" / "terraform"])
def test_the_security_hub_policy_is_what_the_option_adds(
    where: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    plain = printed(capsys, ["permissions"])["Statement"]
    added = [s for s in printed(capsys, ["permissions", "--security-hub"])["Statement"]
             if s not in plain]
    committed = json.loads((where / "security-hub-policy.json").read_text(encoding="utf-8"))
    assert committed == {"Version": "2012-10-17", "Statement": added}
    assert sorted(a for s in added for a in s["Action"]) == [
        "securityhub:BatchImportFindings", "securityhub:GetFindings"]


def test_the_stackset_role_trusts_the_hub_shard_role_alone() -> None:
    doc = stackset()
    props = doc["Resources"]["AuditRole"]["Properties"]
    [statement] = props["AssumeRolePolicyDocument"]["Statement"]
    assert statement["Principal"] == {"AWS": {"Ref": "TrustedRoleArn"}}
    assert statement["Action"] == "sts:AssumeRole"
    assert statement["Condition"]["Fn::If"] == [
        "HasExternalId", {"StringEquals": {"sts:ExternalId": {"Ref": "ExternalId"}}},
        {"Ref": "AWS::NoValue"}]
    assert (props["RoleName"], props["Path"]) == ({"Ref": "RoleName"}, {"Ref": "RolePath"})
    params = doc["Parameters"]
    assert (params["RoleName"]["Default"], params["RolePath"]["Default"]) == (
        "tablespec-audit", "/")
    pattern = params["RoleName"]["AllowedPattern"]
    assert re.fullmatch(pattern, "tablespec-audit") and not re.fullmatch(pattern, "a/b")
    assert re.fullmatch(params["RolePath"]["AllowedPattern"], "/security/")


def test_defaults_agree_between_hub_module_and_stackset() -> None:
    """member_role_name (hub), role_name (module) and RoleName (StackSet) default alike."""
    def default(path: Path, variable: str) -> str:
        text = path.read_text(encoding="utf-8")
        block = text[text.index(f'variable "{variable}"'):]
        found = re.search(r'default\s*=\s*"([^"]*)"', block[:block.index("\n}")])
        assert found, variable
        return found.group(1)

    expected = stackset()["Parameters"]["RoleName"]["Default"]
    assert default(ORG / "terraform" / "variables.tf", "member_role_name") == expected
    assert default(MEMBER / "variables.tf", "role_name") == expected


@pytest.mark.terraform
def test_both_examples_validate_with_the_provider_mirror(tmp_path: Path) -> None:
    require_terraform()
    tree = tmp_path / "org"
    shutil.copytree(ORG, tree, ignore=shutil.ignore_patterns(".terraform*", "dist", "*.tfstate*"))
    (tree / "terraform" / "offline_override.tf").write_text(terraform.OFFLINE_PROVIDER)
    tf = terraform.Terraform(tmp_path)
    for root in (tree / "terraform", tree / "member-role"):
        tf.run(root, "init", "-input=false", "-backend=false")
        assert "The configuration is valid" in tf.run(root, "validate")
    tf.run(ORG, "fmt", "-check", "-recursive")  # exits non-zero on unformatted files
