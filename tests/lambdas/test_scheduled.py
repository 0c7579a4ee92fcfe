"""Running the audit on a schedule: the Lambda entry point, its Terraform, the Actions workflow."""

from __future__ import annotations

import json
import re
import shlex
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
import yaml

from checker.cli import build_parser, main
from checker.errors import RunError
from checker.lambdas.environment import options
from checker.lambdas.scheduled import handler
from checker.sources.live import api as liveapi
from checker.specfile.model import Spec
from tests.support.audit_helpers import Guard
from tests.support.audit_world import TABLES, World
from tests.support.paths import REPO, checkout_copy
from tests.support.tfplans import PlanFarm

SCHEDULED = REPO / "examples" / "scheduled"
BUCKET = "tablespec-reports"


@pytest.fixture(autouse=True)
def _guarded(read_only: Guard) -> Guard:
    return read_only


@pytest.fixture
def delivery(seeded: World, aws: str, monkeypatch: pytest.MonkeyPatch
             ) -> Iterator[dict[str, Any]]:
    """A report bucket and an alert topic (read back through SQS) in the function's region."""
    monkeypatch.setenv("AWS_DEFAULT_REGION", seeded.region)  # the function's region
    s3 = boto3.client("s3", region_name=seeded.region)
    sns = boto3.client("sns", region_name=seeded.region)
    sqs = boto3.client("sqs", region_name=seeded.region)
    where: Any = {"LocationConstraint": seeded.region}  # a region name the stubs list
    s3.create_bucket(Bucket=BUCKET, CreateBucketConfiguration=where)
    topic = sns.create_topic(Name="tablespec-alerts")["TopicArn"]
    queue = sqs.create_queue(QueueName="tablespec-alerts")["QueueUrl"]
    queue_arn = sqs.get_queue_attributes(QueueUrl=queue, AttributeNames=["QueueArn"])
    sns.subscribe(TopicArn=topic, Protocol="sqs",
                  Endpoint=queue_arn["Attributes"]["QueueArn"])

    def messages() -> list[dict[str, Any]]:
        got = sqs.receive_message(QueueUrl=queue, MaxNumberOfMessages=10).get("Messages", [])
        return [json.loads(m["Body"]) for m in got]

    env = {"TABLESPEC_REPORT_BUCKET": BUCKET, "TABLESPEC_TOPIC_ARN": topic,
           "TABLESPEC_SPEC": str(REPO / "specs" / "tables.yaml"), "TABLESPEC_ENV": "prod",
           "TABLESPEC_REGIONS": seeded.region}
    yield {"s3": s3, "messages": messages, "env": env}
    for obj in s3.list_objects_v2(Bucket=BUCKET).get("Contents", []):
        s3.delete_object(Bucket=BUCKET, Key=obj["Key"])
    s3.delete_bucket(Bucket=BUCKET)
    sns.delete_topic(TopicArn=topic)
    sqs.delete_queue(QueueUrl=queue)


def test_lambda_writes_the_json_report_and_stays_quiet_when_clean(
    delivery: dict[str, Any], seeded: World
) -> None:
    out = handler({}, None, env=delivery["env"])
    assert out["status"] == "pass" and out["summary"]["failed"] == 0
    s3 = delivery["s3"]
    keys = sorted(o["Key"] for o in s3.list_objects_v2(Bucket=BUCKET)["Contents"])
    assert "tablespec/latest.json" in keys and len(keys) == 2
    report = json.loads(s3.get_object(Bucket=BUCKET, Key="tablespec/latest.json")["Body"].read())
    assert report["source"] == {"kind": "live", "target": f"{seeded.account}/{seeded.region}",
                                "scope": [{"account": seeded.account, "region": seeded.region}]}
    dated = next(k for k in keys if k != "tablespec/latest.json")
    assert out["report"] == f"s3://{BUCKET}/{dated}"
    assert delivery["messages"]() == []


def test_lambda_publishes_to_sns_when_something_fails(delivery: dict[str, Any],
                                                      seeded: World) -> None:
    ddb = seeded.writers.dynamodb
    table = TABLES["interaction-events"]
    ddb.update_continuous_backups(TableName=table, PointInTimeRecoverySpecification={
        "PointInTimeRecoveryEnabled": False})
    try:
        out = handler({}, None, env=delivery["env"])
    finally:
        ddb.update_continuous_backups(TableName=table, PointInTimeRecoverySpecification={
            "PointInTimeRecoveryEnabled": True})
    assert out["status"] == "fail"
    [message] = delivery["messages"]()
    assert message["Subject"] == (f"tablespec audit: 1 failing, 0 unknown "
                                  f"({seeded.account}/{seeded.region})")
    assert "FAIL TS-PITR-001 interaction-events (prod)" in message["Message"]
    assert out["report"] in message["Message"]


def test_lambda_alerts_and_fails_when_the_audit_cannot_run(delivery: dict[str, Any]) -> None:
    env = {**delivery["env"], "TABLESPEC_ENV": "", "TABLESPEC_REGIONS": "sa-east-1"}
    with pytest.raises(RunError, match="no table follows the naming pattern"):
        handler({}, None, env=env)
    [message] = delivery["messages"]()
    assert message["Subject"] == "tablespec audit could not run"


def test_lambda_alerts_and_raises_on_an_unexpected_error(
    delivery: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    import checker.lambdas.scheduled as module

    def broken(*_: Any, **__: Any) -> Any:
        raise KeyError("TableArn")

    monkeypatch.setattr(module, "audit", broken)
    with pytest.raises(KeyError):
        handler({}, None, env=delivery["env"])
    [message] = delivery["messages"]()
    assert message["Subject"] == "tablespec audit failed (a bug in tablespec)"
    assert "KeyError: 'TableArn'" in message["Message"]


def test_lambda_alerts_when_a_rule_fails(delivery: dict[str, Any], spec: Spec,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from checker import rules
    from tests.engine.test_engine import BOOM

    monkeypatch.setattr(rules, "RULES", (*rules.RULES, BOOM))
    out = handler({}, None, env=delivery["env"])
    assert out["status"] == "error" and out["exit_code"] == 3
    [message] = delivery["messages"]()
    n = len(spec.tables)  # the rule fails once per table
    assert message["Subject"].startswith(f"tablespec audit: {n} rule evaluation(s) failed (a bug)")
    assert "ZeroDivisionError" in message["Message"] and BOOM.id in message["Message"]


def test_committed_policy_is_what_tablespec_permissions_prints(
    capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["permissions"]) == 0
    printed = json.loads(capsys.readouterr().out)
    committed = json.loads((SCHEDULED / "terraform" / "audit-policy.json").read_text())
    assert committed == printed, "run `tablespec permissions > examples/scheduled/terraform/" \
                                 "audit-policy.json`"
    main_tf = (SCHEDULED / "terraform" / "main.tf").read_text()
    assert main(["permissions", "--sample-items", "1"]) == 0
    sampling = json.loads(capsys.readouterr().out)
    scan = next(st for st in sampling["Statement"] if "dynamodb:Scan" in st["Action"])
    assert f'Sid      = "{scan["Sid"]}"' in main_tf
    assert f'Resource = "{scan["Resource"]}"' in main_tf


AUDIT_VARS = ("-var=sample_items=25", "-var=github_repository=acme/tables",
              "-var=security_hub=true",
              '-var=audit_role_arns=["arn:aws:iam::111111111111:role/tablespec-audit"]')
ORG_VARS = ("-var=audit_org=true", "-var=audit_org_role_name=security/tablespec-audit")


def scheduled_plans(tmp_path: Path) -> bytes:
    """examples/scheduled/terraform validated, then planned as one account's audit and as
    the organization's (cached by the tree's content and Terraform's version)."""
    from checker import terraform

    root = tmp_path / "scheduled"
    shutil.copytree(SCHEDULED / "terraform", root, ignore=shutil.ignore_patterns(
        ".terraform*", "dist", "*.tfstate*"))
    (root / "offline_override.tf").write_text(terraform.OFFLINE_PROVIDER)
    package = tmp_path / "lambda.zip"
    package.write_bytes(b"PK\x05\x06" + b"\0" * 18)  # an empty zip: planning reads its hash
    tf = terraform.Terraform(tmp_path)
    tf.run(root, "init", "-input=false", "-backend=false")
    assert "The configuration is valid" in tf.run(root, "validate")
    plans = {name: json.loads(tf.plan_json(root, f"-var=lambda_zip={package}", *args))
             for name, args in (("audit", AUDIT_VARS), ("org", ORG_VARS))}
    return json.dumps(plans).encode()


@pytest.mark.terraform
def test_scheduled_terraform_validates_and_plans(farm: PlanFarm, tmp_path: Path) -> None:
    plans = json.loads(farm.cached("scheduled", SCHEDULED / "terraform",
                                   (*AUDIT_VARS, *ORG_VARS), lambda: scheduled_plans(tmp_path)
                                   ).read_text(encoding="utf-8"))
    plan = plans["audit"]
    root = SCHEDULED / "terraform"
    after = {rc["address"]: rc["change"]["after"] for rc in plan["resource_changes"]}
    read = json.loads(after["aws_iam_role_policy.audit_read"]["policy"])
    actions = {a for st in read["Statement"] for a in st["Action"]}
    assert actions == {a for st in liveapi.policy(sample=True, security_hub=True)["Statement"]
                       for a in st["Action"]}
    # the function's environment is known only at apply (the bucket's name)
    assert "TABLESPEC_SECURITY_HUB  = tostring(var.security_hub)" in (root / "main.tf").read_text()
    assert options({"TABLESPEC_SECURITY_HUB": "true"}).security_hub
    assert not options({}).security_hub
    main_tf = (root / "main.tf").read_text()
    deliver = main_tf[main_tf.index('resource "aws_iam_role_policy" "deliver"'):]
    deliver = deliver[:deliver.index("\nresource ")]
    assert re.findall(r'"([a-z0-9]+:[A-Za-z]+)"', deliver) == [
        "s3:PutObject", "sns:Publish", "logs:CreateLogStream", "logs:PutLogEvents",
        "sts:AssumeRole", "organizations:DescribeOrganization", "organizations:ListAccounts",
        "organizations:ListAccountsForParent", "organizations:ListOrganizationalUnitsForParent",
        "sts:AssumeRole"]
    org_plan = plans["org"]
    org_after = {rc["address"]: rc["change"]["after"] for rc in org_plan["resource_changes"]}
    assert "aws_lambda_function.audit" in org_after  # its policies are known only at apply
    org_options = options({"TABLESPEC_ORG": "true", "TABLESPEC_ORG_OUS": "ou-ab12-cdefgh12",
                           "TABLESPEC_ORG_ROLE_NAME": "security/tablespec-audit"})
    assert org_options.org and org_options.org_role_name == "security/tablespec-audit"
    assert org_options.ous == ["ou-ab12-cdefgh12"]
    assert not options({"TABLESPEC_ORG": "", "TABLESPEC_ORG_ROLE_NAME": "x"}).org
    fn = after["aws_lambda_function.audit"]
    assert fn["handler"] == "checker.lambdas.scheduled.handler"
    assert (fn["runtime"], fn["timeout"]) == ("python3.11", 300)
    assert "aws_cloudwatch_event_rule.schedule" in after
    assert "aws_iam_role.github[0]" in after


def test_github_workflow_runs_the_audit_on_cron_with_oidc() -> None:
    flow = yaml.safe_load((SCHEDULED / "github" / "tablespec-audit.yml").read_text())
    triggers = flow[True]  # YAML 1.1 reads the key `on` as True
    assert triggers["schedule"][0]["cron"]
    assert flow["permissions"]["id-token"] == "write"
    steps = flow["jobs"]["audit"]["steps"]
    creds = next(s for s in steps if s.get("uses", "").startswith(
        "aws-actions/configure-aws-credentials"))
    assert creds["with"]["role-to-assume"] == "${{ vars.TABLESPEC_AUDIT_ROLE_ARN }}"
    assert "aws-access-key-id" not in creds["with"]
    run = next(s["run"] for s in steps if "tablespec audit" in s.get("run", ""))
    args = build_parser().parse_args(shlex.split(run)[1:])
    assert args.command == "audit" and args.env == "prod" and args.security_hub


class _Context:
    """A Lambda context: only the time the invocation has left."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def get_remaining_time_in_millis(self) -> int:
        return int(self.seconds * 1000)


@pytest.mark.parametrize(("left", "asked", "deadline"), [
    (300, None, 270.0),  # the invocation's time left less 30 s, to write the report
    (40, None, 20.0),  # half of it, when less than 60 s are left
    (300, "60", 60.0),  # TABLESPEC_TIMEOUT, when shorter
    (300, "600", 270.0),  # never later than the invocation allows
    (None, None, 1800.0),  # outside Lambda: the CLI's default
    (None, "0", 0.0),  # no deadline
])
def test_the_lambda_deadline_leaves_the_invocation_time_to_write_the_report(
    left: float | None, asked: str | None, deadline: float
) -> None:
    env = {"TABLESPEC_TIMEOUT": asked} if asked is not None else {}
    got = options(env, _Context(left) if left is not None else None)
    assert got.timeout == pytest.approx(deadline, abs=0.01)
    if left == 300 and asked is None:
        assert got.timeout_label == "270 s: the invocation's time left less 30 s"
    limits = options({"TABLESPEC_CALL_TIMEOUT": "2", "TABLESPEC_MAX_ATTEMPTS": "3",
                      "TABLESPEC_MAX_PAGES": "50"}).limits()
    assert (limits.read_timeout, limits.connect_timeout, limits.attempts, limits.max_pages) == (
        2.0, 2.0, 3, 50)


def test_a_bad_lambda_bound_is_a_run_error() -> None:
    with pytest.raises(RunError, match="TABLESPEC_TIMEOUT=soon: not a number"):
        options({"TABLESPEC_TIMEOUT": "soon"})


def test_the_workflow_copied_into_a_repository_runs_its_shell_steps(
        aws: str, moto_endpoint: str, tmp_path: Path) -> None:
    """The workflow as a team copies it: into a repository of theirs (no tablespec in it), its
    `run:` steps in order with bash, TABLESPEC set to this checkout (where they would name a
    commit of it), against a moto account standing in for theirs."""
    import os
    import subprocess
    import sys
    import sysconfig

    from checker.specfile.load import load_spec
    from tests.support.audit_world import seed

    flow = yaml.safe_load((SCHEDULED / "github" / "tablespec-audit.yml").read_text())
    job = flow["jobs"]["audit"]
    assert job["env"]["TABLESPEC"].startswith("git+https://github.com/OWNER/tablespec@")
    theirs = tmp_path / "their-repo"
    (theirs / ".github" / "workflows").mkdir(parents=True)
    shutil.copy(SCHEDULED / "github" / "tablespec-audit.yml", theirs / ".github" / "workflows")
    (theirs / "specs").mkdir()
    # their own spec: their tables encrypted with AWS owned keys
    text = (REPO / "specs" / "tables.yaml").read_text()
    assert "  encryption: aws_managed\n" in text
    (theirs / "specs" / "tables.yaml").write_text(
        text.replace("  encryption: aws_managed\n", "  encryption: aws_owned\n", 1))
    theirs_spec = load_spec(theirs / "specs" / "tables.yaml")
    world = seed(moto_endpoint, job["env"]["AWS_REGION"], theirs_spec, account="100000000027")
    venv = tmp_path / "venv"  # the runner's Python, with tablespec's dependencies (this suite's)
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    purelib = subprocess.run([str(venv / "bin" / "python"), "-c",
                              "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    Path(purelib, "suite-dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    summary = tmp_path / "summary.md"
    source = checkout_copy(tmp_path / "tablespec")  # pip builds in the tree it installs
    env = {**os.environ, **job["env"], **world.env, "TABLESPEC": str(source),
           "PATH": f"{venv / 'bin'}{os.pathsep}{os.environ['PATH']}",
           "GITHUB_STEP_SUMMARY": str(summary),
           "PIP_DISABLE_PIP_VERSION_CHECK": "1", "PYTHONNOUSERSITE": "1"}
    ran = []
    for step in job["steps"]:
        if "run" not in step:
            continue  # checkout, setup-python, credentials, upload: the runner's, not ours
        done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c",
                               step["run"]], cwd=theirs, env=env, capture_output=True,
                              text=True, timeout=300)
        assert done.returncode == 0, (step["name"], done.stdout[-2000:], done.stderr[-2000:])
        ran.append(step["name"])
    assert ran == ["Install tablespec", "Audit the live tables", "Summary"]
    assert (venv / "bin" / "tablespec").exists()  # installed from TABLESPEC, not their repo
    report = json.loads((theirs / "tablespec-audit.json").read_text())
    assert report["summary"]["failed"] == 0 and report["summary"]["passed"] > 0
    assert "security_hub" in {n["kind"] for n in report["notes"]}
    assert summary.read_text().startswith("### tablespec passed: live")
