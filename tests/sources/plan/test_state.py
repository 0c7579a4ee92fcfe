"""Plans made against existing state: apply the example to a moto server, then plan again."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from checker import terraform
from checker.cli import main
from tests.support.moto import REGION, moto_server
from tests.support.paths import REPO
from tests.support.tfplans import SHAPES, PlanFarm

pytestmark = pytest.mark.terraform

SPEC = str(REPO / "specs" / "tables.yaml")


@pytest.fixture(scope="module")
def applied(farm: PlanFarm, tmp_path_factory: pytest.TempPathFactory
            ) -> Iterator[tuple[terraform.Terraform, Path]]:
    """The prod example applied to a fresh moto account."""
    work = tmp_path_factory.mktemp("applied")
    shape = SHAPES["module"]
    root = terraform.stage(shape.tree, work / "tree", shape.root)
    with moto_server() as endpoint:
        tf = terraform.Terraform(work, env={"AWS_ENDPOINT_URL": endpoint,
                                            "AWS_DEFAULT_REGION": REGION})
        tf.run(root, "init", "-input=false", "-backend=false")
        tf.run(root, "apply", "-auto-approve", "-input=false", "-lock=false")
        yield tf, root


def check(tf: terraform.Terraform, root: Path, tmp_path: Path, *plan_args: str
          ) -> tuple[int, dict[str, Any], dict[str, Any]]:
    raw = tf.plan_json(root, *plan_args)
    plan = tmp_path / "plan.json"
    plan.write_bytes(raw)
    out = tmp_path / "report.json"
    code = main(["plan", str(plan), "--spec", SPEC, "--format", "json", "-o", str(out),
                 "--env", "prod"])
    return code, json.loads(out.read_text()), json.loads(raw)


def test_no_op_plan_against_state_passes(applied: tuple[terraform.Terraform, Path],
                                         tmp_path: Path) -> None:
    tf, root = applied
    code, report, plan = check(tf, root, tmp_path)
    actions = {tuple(rc["change"]["actions"]) for rc in plan["resource_changes"]}
    assert actions == {("no-op",)}
    assert code == 0, [f for f in report["findings"] if f["status"] != "pass"]
    assert report["summary"] == {"passed": len(report["findings"]), "failed": 0, "unknown": 0,
                                 "waived": 0}


def test_update_in_place_is_judged_on_the_planned_values(
    applied: tuple[terraform.Terraform, Path], tmp_path: Path
) -> None:
    tf, root = applied
    override = root.parent.parent / "modules" / "dynamodb" / "zz_pitr_override.tf"
    override.write_text('resource "aws_dynamodb_table" "interaction_events" {\n'
                        "  point_in_time_recovery {\n    enabled = false\n  }\n}\n")
    try:
        code, report, plan = check(tf, root, tmp_path)
    finally:
        override.unlink()
    updates = [rc["address"] for rc in plan["resource_changes"]
               if rc["change"]["actions"] == ["update"]]
    assert updates == ["module.dynamodb.aws_dynamodb_table.interaction_events"]
    failed = [(f["rule_id"], f["table"], f["resource"]) for f in report["findings"]
              if f["status"] != "pass"]
    assert code == 1
    assert failed == [("TS-PITR-001", "interaction-events", updates[0])]


def test_destroy_plan_reports_every_table_absent(applied: tuple[terraform.Terraform, Path],
                                                 tmp_path: Path) -> None:
    tf, root = applied
    code, report, _ = check(tf, root, tmp_path, "-destroy")
    fails = {(f["rule_id"], f["table"]) for f in report["findings"] if f["status"] == "fail"}
    assert code == 1
    assert fails == {("TS-PRES-001", t) for t in
                     ("player-sessions", "interaction-events", "player-rewards")}


def test_a_renamed_table_is_linked_to_its_old_self(applied: tuple[terraform.Terraform, Path],
                                                   tmp_path: Path) -> None:
    tf, root = applied
    override = root.parent.parent / "modules" / "dynamodb" / "zz_rename_override.tf"
    override.write_text('resource "aws_dynamodb_table" "player_rewards" {\n'
                        '  name = "hypermage-vr-rewards-prod"\n}\n')
    try:
        code, report, _ = check(tf, root, tmp_path)
    finally:
        override.unlink()
    (absent,) = [f for f in report["findings"]
                 if f["rule_id"] == "TS-PRES-001" and f["status"] == "fail"]
    assert code == 1 and absent["table"] == "player-rewards"
    assert ("possibly renamed to hypermage-vr-rewards-prod "
            "(module.dynamodb.aws_dynamodb_table.player_rewards)") in absent["message"]
