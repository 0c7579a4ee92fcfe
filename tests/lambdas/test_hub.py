"""examples/org/terraform applied to the moto server: the functions, their IAM, the schedule,
and the member role its StackSet deployed to every member account."""

from __future__ import annotations

import ast
import json
from pathlib import Path
from typing import Any

import pytest

from checker import terraform
from tests.support.audit_world import credentials
from tests.support.moto import session_for
from tests.support.org_world import HANDLERS, HUB_REGION, MANAGEMENT, ORG, REGIONS, Hub, Org

pytestmark = pytest.mark.terraform

STANDALONE = "500000000002"  # outside the organization
ENV_CONTRACT = {"TABLESPEC_REPORT_BUCKET", "TABLESPEC_REPORT_PREFIX", "TABLESPEC_SPEC",
                "TABLESPEC_REGIONS", "TABLESPEC_ORG_ROLE_NAME", "TABLESPEC_ORG_OUS",
                "TABLESPEC_EXCLUDE_ACCOUNTS", "TABLESPEC_INCLUDE_MANAGEMENT",
                "TABLESPEC_EXTERNAL_ID", "TABLESPEC_ALLOW_UNKNOWN", "TABLESPEC_ENV",
                "TABLESPEC_SAMPLE_ITEMS"}


def statements(values: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The statements of a role policy resource, by Sid."""
    policy = json.loads(values["policy"])
    return {s["Sid"]: s for s in policy["Statement"]}


def actions(values: dict[str, Any]) -> set[str]:
    return {a for s in statements(values).values() for a in s["Action"]}


def test_three_functions_from_one_package_with_the_handlers_contract(hub: Hub) -> None:
    state = hub.resources
    functions = {k: state[f'aws_lambda_function.fn["{k}"]'] for k in HANDLERS}
    assert {k: f["handler"] for k, f in functions.items()} == HANDLERS
    assert {f["runtime"] for f in functions.values()} == {"python3.11"}
    assert len({f["source_code_hash"] for f in functions.values()}) == 1
    env = {k: f["environment"][0]["variables"] for k, f in functions.items()}
    for name, variables in env.items():
        assert set(variables) >= ENV_CONTRACT, name
        assert variables["TABLESPEC_REGIONS"] == ",".join(REGIONS)
        assert variables["TABLESPEC_REPORT_BUCKET"] == hub.outputs["report_bucket"]
        assert (variables["TABLESPEC_ORG_ROLE_NAME"], variables["TABLESPEC_INCLUDE_MANAGEMENT"]
                ) == ("tablespec-audit", "false")
        assert "TABLESPEC_ORG_ROLE" not in variables  # that one makes the audit read the org
    assert env["merge"]["TABLESPEC_TOPIC_ARN"] == hub.outputs["alert_topic_arn"]
    assert "TABLESPEC_TOPIC_ARN" not in env["shard"]  # a shard never alerts


def test_only_the_shard_role_leaves_the_account_and_only_into_the_member_role(hub: Hub) -> None:
    state = hub.resources
    policy = {k: state[f'aws_iam_role_policy.fn["{k}"]'] for k in HANDLERS}
    bucket = f"arn:aws:s3:::{hub.outputs['report_bucket']}"
    shard = statements(policy["shard"])
    assert shard["AssumeMemberRole"]["Resource"] == "arn:aws:iam::*:role/tablespec-audit"
    assume = [(k, s) for k, p in policy.items() for s in statements(p).values()
              if "sts:AssumeRole" in s["Action"]]
    assert [k for k, _ in assume] == ["shard"]
    assert actions(policy["shard"]) == {"sts:AssumeRole", "s3:PutObject", "logs:CreateLogStream",
                                        "logs:PutLogEvents"}
    assert actions(policy["list-shards"]) == {
        "organizations:ListAccounts", "organizations:ListAccountsForParent",
        "organizations:ListOrganizationalUnitsForParent", "organizations:DescribeOrganization",
        "s3:PutObject", "logs:CreateLogStream", "logs:PutLogEvents"}
    merge = statements(policy["merge"])
    assert actions(policy["merge"]) == {"s3:GetObject", "s3:ListBucket", "s3:PutObject",
                                        "sns:Publish", "logs:CreateLogStream",
                                        "logs:PutLogEvents"}
    assert merge["ListShardReports"]["Resource"] == bucket
    assert merge["ListShardReports"]["Condition"] == {"StringLike": {"s3:prefix": ["tablespec/*"]}}
    for name in HANDLERS:  # every object statement stays under the prefix
        for s in statements(policy[name]).values():
            if s["Action"][0].startswith("s3:") and s["Action"] != ["s3:ListBucket"]:
                assert s["Resource"] == f"{bucket}/tablespec/*", (name, s)


def test_the_state_machine_role_invokes_the_three_and_runs_its_own_children(hub: Hub) -> None:
    state = hub.resources
    policy = statements(state["aws_iam_role_policy.state_machine"])
    arns = sorted(state[f'aws_lambda_function.fn["{k}"]']["arn"] for k in HANDLERS)
    assert sorted(policy["InvokeFunctions"]["Resource"]) == sorted(
        [*arns, *(f"{a}:*" for a in arns)])
    machine = hub.outputs["state_machine_arn"]
    assert policy["StartMapChildren"]["Resource"] == machine
    assert policy["ManageMapChildren"]["Action"] == ["states:DescribeExecution",
                                                     "states:StopExecution"]
    assert policy["ManageMapChildren"]["Resource"] == (
        machine.replace(":stateMachine:", ":execution:") + "/*")
    bucket = f"arn:aws:s3:::{hub.outputs['report_bucket']}"
    assert policy["ReadShardList"] == {"Sid": "ReadShardList", "Effect": "Allow",
                                       "Action": ["s3:GetObject"],
                                       "Resource": f"{bucket}/tablespec/*"}
    assert policy["WriteMapResults"]["Resource"] == f"{bucket}/tablespec/map-runs/*"
    sm = state["aws_sfn_state_machine.audit"]
    assert (sm["type"], sm["role_arn"]) == ("STANDARD", hub.state_machine_role)


def test_an_eventbridge_schedule_starts_the_state_machine(hub: Hub, moto_endpoint: str) -> None:
    events = session_for(credentials(moto_endpoint, MANAGEMENT)).client(
        "events", region_name=HUB_REGION, endpoint_url=moto_endpoint)
    rule = events.describe_rule(Name="tablespec-org-audit-schedule")
    assert rule["ScheduleExpression"] == "cron(0 6 * * ? *)"
    [target] = events.list_targets_by_rule(Rule=rule["Name"])["Targets"]
    assert target["Arn"] == hub.outputs["state_machine_arn"]
    role = hub.resources["aws_iam_role_policy.schedule"]
    assert statements(role)["StartAudit"]["Resource"] == hub.outputs["state_machine_arn"]
    assert target["RoleArn"].endswith(":role/tablespec-org-audit-schedule")


def test_the_bucket_blocks_public_access_and_expires_reports(hub: Hub) -> None:
    state = hub.resources
    block = state["aws_s3_bucket_public_access_block.reports"]
    assert all(block[k] for k in ("block_public_acls", "block_public_policy",
                                  "ignore_public_acls", "restrict_public_buckets"))
    [rule] = state["aws_s3_bucket_lifecycle_configuration.reports"]["rule"]
    assert rule["status"] == "Enabled" and rule["expiration"][0]["days"] > 0


def test_the_stackset_deployed_the_member_role_to_every_member_account(
    hub: Hub, org_world: Org, moto_endpoint: str
) -> None:
    expected = json.loads((ORG / "member-role" / "audit-policy.json").read_text())
    for account in org_world.accounts.values():
        iam = session_for(credentials(moto_endpoint, account)).client(
            "iam", region_name="us-east-1", endpoint_url=moto_endpoint)
        role = iam.get_role(RoleName="tablespec-audit")["Role"]
        [statement] = role["AssumeRolePolicyDocument"]["Statement"]
        assert statement["Principal"] == {"AWS": hub.outputs["shard_role_arn"]}
        assert "Condition" not in statement  # no external_id in this hub
        assert iam.list_role_policies(RoleName="tablespec-audit")["PolicyNames"] == [
            "tablespec-audit-read"]
        policy = iam.get_role_policy(RoleName="tablespec-audit",
                                     PolicyName="tablespec-audit-read")["PolicyDocument"]
        # moto keeps a policy made by CloudFormation as the Python repr of the template's
        # mapping (AWS returns the JSON document, which boto3 decodes)
        assert (ast.literal_eval(policy) if isinstance(policy, str) else policy) == expected


def test_the_member_role_module_applies_with_an_external_id(
    hub: Hub, moto_endpoint: str, tmp_path: Path
) -> None:
    """The module as the README uses it for an account a StackSet does not reach (AWS skips the
    management account; moto's StackSet does not, so it runs here in an account of its own)."""
    root = terraform.stage(ORG, tmp_path / "tree", "member-role", offline_provider=False)
    (root / "provider.tf").write_text(
        'provider "aws" {\n  region      = "us-east-1"\n  max_retries = 1\n}\n')
    tf = terraform.Terraform(tmp_path, env={"AWS_ENDPOINT_URL": moto_endpoint,
                                            "AWS_DEFAULT_REGION": HUB_REGION,
                                            **credentials(moto_endpoint, STANDALONE)})
    tf.run(root, "init", "-input=false", "-backend=false")
    tf.run(root, "apply", "-auto-approve", "-input=false", "-lock=false",
           "-var=role_name=security/tablespec-audit", "-var=external_id=ext-1",
           f"-var=trusted_role_arn={hub.outputs['shard_role_arn']}", "-var=sample_items=true")
    iam = session_for(credentials(moto_endpoint, STANDALONE)).client(
        "iam", region_name="us-east-1", endpoint_url=moto_endpoint)
    role = iam.get_role(RoleName="tablespec-audit")["Role"]
    assert role["Arn"] == f"arn:aws:iam::{STANDALONE}:role/security/tablespec-audit"
    [statement] = role["AssumeRolePolicyDocument"]["Statement"]
    assert statement["Condition"] == {"StringEquals": {"sts:ExternalId": "ext-1"}}
    policy = iam.get_role_policy(RoleName="tablespec-audit", PolicyName="tablespec-audit-read")
    assert policy["PolicyDocument"] == json.loads(
        (ORG / "member-role" / "audit-policy-sampling.json").read_text())
