"""Two verdicts peer-written Terraform exposed, each on a real plan made against moto:
the AWS managed key asked for through its alias is AWS managed (not a customer key), and a
table with no tags under a provider without default_tags has none (not unknown)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
import yaml

from checker import terraform
from checker.cli import main
from checker.demo.moto import moto_server
from checker.sources.plan import tables_from_plan
from checker.sources.plan.source import aws_managed_keys

REPO = Path(__file__).resolve().parent.parent
SEED = REPO / "specs" / "tables.yaml"
FIXTURE = REPO / "tests" / "fixtures" / "terraform" / "kms-alias"
REGION = "eu-west-1"


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A real plan of the fixture against moto, where alias/aws/dynamodb exists."""
    from tests.tfplans import require_terraform

    require_terraform()
    work = tmp_path_factory.mktemp("kms-alias")
    with moto_server() as endpoint:
        env = {"AWS_ENDPOINT_URL": endpoint, "AWS_DEFAULT_REGION": REGION,
               "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
        ddb = boto3.client("dynamodb", region_name=REGION, endpoint_url=endpoint,
                                aws_access_key_id="testing", aws_secret_access_key="testing")
        # moto makes the aws/dynamodb key (and its alias) on first use, as AWS does
        ddb.create_table(TableName="warm-up", BillingMode="PAY_PER_REQUEST",
                         KeySchema=[{"AttributeName": "k", "KeyType": "HASH"}],
                         AttributeDefinitions=[{"AttributeName": "k", "AttributeType": "S"}],
                         SSESpecification={"Enabled": True, "SSEType": "KMS"})
        root = terraform.stage(FIXTURE, work / "tree", ".", offline_provider=False)
        raw = terraform.Terraform(work, env=env).plan_json(root)
    path = work / "plan.json"
    path.write_bytes(raw)
    yield path


def spec_file(tmp_path: Path, **defaults: Any) -> Path:
    data: dict[str, Any] = yaml.safe_load(SEED.read_text())
    data["defaults"].update(defaults)
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False))
    return path


def findings(plan: Path, spec: Path, tmp_path: Path) -> dict[str, dict[str, Any]]:
    """The player-rewards findings of `tablespec plan` on its encryption and tags."""
    out = tmp_path / "r.json"
    main(["plan", str(plan), "--spec", str(spec), "--format", f"json={out}"])
    return {f["rule_id"]: f for f in json.loads(out.read_text())["findings"]
            if f["table"] == "player-rewards" and f["rule_id"] in ("TS-SSE-001", "TS-TAG-001")}


@pytest.mark.terraform
def test_the_aws_managed_key_through_its_alias_is_not_a_customer_key(
    plan: Path, tmp_path: Path
) -> None:
    raw = json.loads(plan.read_text())
    (state,) = tables_from_plan(raw, "plan.json")
    key = state.encryption.key_arn
    assert isinstance(key, str) and ":key/" in key  # a bare key ARN, as the plan has it
    assert key in aws_managed_keys(raw)  # the data source read it in the plan
    strict = findings(plan, spec_file(tmp_path, encryption="customer_managed"), tmp_path)
    assert (strict["TS-SSE-001"]["status"], strict["TS-SSE-001"]["actual"]) == (
        "fail", "aws_managed")
    managed = findings(plan, spec_file(tmp_path, encryption="aws_managed"), tmp_path)
    assert managed["TS-SSE-001"]["status"] == "pass"


@pytest.mark.terraform
def test_no_default_tags_and_no_tags_is_no_tags_not_unknown(plan: Path, tmp_path: Path) -> None:
    raw = json.loads(plan.read_text())
    (rc,) = [r for r in raw["resource_changes"] if r["type"] == "aws_dynamodb_table"]
    assert rc["change"]["after_unknown"]["tags_all"] is True  # what the plan says
    (state,) = tables_from_plan(raw, "plan.json")
    assert state.tags == {}
    required = findings(plan, SEED, tmp_path)["TS-TAG-001"]
    assert (required["status"], required["actual"]) == ("fail", "no tags")
    none_required = findings(plan, spec_file(tmp_path, tags={"required": []}), tmp_path)
    assert none_required["TS-TAG-001"]["status"] == "pass"


def test_a_key_the_plan_read_as_aws_managed_is_aws_managed_wherever_it_is_passed() -> None:
    """The alias is looked up in another module and the key passed as a plain string."""
    key = "arn:aws:kms:eu-west-1:1:key/abc"
    after = {"name": "hypermage-vr-player-rewards-prod", "hash_key": "playerId",
             "billing_mode": "PAY_PER_REQUEST", "attribute": [{"name": "playerId", "type": "S"}],
             "server_side_encryption": [{"enabled": True, "kms_key_arn": key}]}
    plan = {"format_version": "1.2", "planned_values": {}, "resource_changes": [{
        "address": "aws_dynamodb_table.t", "mode": "managed", "type": "aws_dynamodb_table",
        "name": "t", "change": {"actions": ["create"], "after": after, "after_unknown": {}}}],
        "prior_state": {"values": {"root_module": {"child_modules": [{"resources": [{
            "address": "module.keys.data.aws_kms_alias.ddb", "mode": "data",
            "type": "aws_kms_alias", "name": "ddb",
            "values": {"name": "alias/aws/dynamodb", "target_key_arn": key}}]}]}}}}
    (state,) = tables_from_plan(plan, "plan.json")
    assert state.encryption.known and state.encryption.low.label == "aws_managed"
