"""`tablespec spec init --plan` on real Terraform plans: the example, its drifts, other names,
and values known only after apply.

A draft of the compliant prod plan holds that plan clean, and fails each drift of the demo
exactly as the seed spec does.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from checker import terraform
from checker.cli import main
from tests.support.paths import REPO
from tests.support.tfplans import DEVIATIONS, PlanFarm, deviation_names

pytestmark = pytest.mark.terraform

SEED = REPO / "specs" / "tables.yaml"
EXAMPLE = REPO / "examples" / "terraform"
DEMO_DRIFT = REPO / "checker" / "data" / "demo-drift.plan.json"
PROD_ROOT = REPO / "examples" / "terraform" / "environments" / "prod"
RESOURCES = ("player_sessions", "interaction_events", "player_rewards")

# One table whose PITR, tags and alarm threshold and actions are known only after apply:
# they come from a topic made by the same configuration.
UNKNOWN_TF = """\
terraform {
  required_providers {
    aws = {
      source = "hashicorp/aws"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}

resource "aws_sns_topic" "alerts" {
  name = "dynamodb-alerts"
}

resource "aws_dynamodb_table" "rewards" {
  name         = "shop-rewards-prod"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "playerId"

  attribute {
    name = "playerId"
    type = "S"
  }

  point_in_time_recovery {
    enabled = aws_sns_topic.alerts.arn != ""
  }

  tags = {
    Project = "shop"
    Topic   = aws_sns_topic.alerts.arn
  }
}

resource "aws_dynamodb_table" "orders" {
  name         = "shop-orders-prod"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "orderId"

  attribute {
    name = "orderId"
    type = "S"
  }

  tags = {
    Project = "shop"
  }
}

resource "aws_cloudwatch_metric_alarm" "reads" {
  for_each            = toset(["shop-rewards-prod", "shop-orders-prod"])
  alarm_name          = "${each.key}-reads"
  namespace           = "AWS/DynamoDB"
  metric_name         = "ReadThrottleEvents"
  statistic           = "Sum"
  comparison_operator = "GreaterThanThreshold"
  threshold           = each.key == "shop-orders-prod" ? 10 : length(aws_sns_topic.alerts.arn)
  period              = 300
  evaluation_periods  = 1
  alarm_actions       = [aws_sns_topic.alerts.arn]
  dimensions = {
    TableName = each.key
  }
  depends_on = [aws_dynamodb_table.rewards, aws_dynamodb_table.orders]
}
"""


def plan_of(farm: PlanFarm, tree: Path, root: str, extra: dict[str, str], label: str) -> Path:
    """A real plan of *root* in *tree* with *extra* files, cached like the farm's plans."""
    key = (root, *(f"{rel}\0{text}" for rel, text in sorted(extra.items())))
    return farm.cached(f"init-{label}", tree, key,
                       lambda: terraform.plan_tree(tree, root, extra, workdir=farm.workdir))


def renamed(names: dict[str, str]) -> dict[str, str]:
    """An override giving the example module's tables these names (resource -> name)."""
    body = "".join(f'resource "aws_dynamodb_table" "{r}" {{\n  name = "{n}"\n}}\n'
                   for r, n in names.items())
    return {"modules/dynamodb/init_naming_override.tf": body}


def init(tmp: Path, *args: str) -> Path:
    """`spec init ARGS -o FILE`, which must succeed and validate; returns FILE."""
    out = tmp / "drafted.yaml"
    assert main(["spec", "init", *args, "-o", str(out), "--force"]) == 0
    assert main(["spec", "validate", "--spec", str(out)]) == 0
    return out


def check(tmp: Path, spec: Path, *plans: Path | str, source: Path | None = None
          ) -> tuple[int, dict[str, Any]]:
    """`tablespec plan PLANS --spec SPEC` as JSON (with `--source-dir` *source*)."""
    out = tmp / "report.json"
    extra = ["--source-dir", str(source)] if source else []
    code = main(["plan", *map(str, plans), *extra, "--spec", str(spec), "--format", "json",
                 "-o", str(out)])
    report: dict[str, Any] = json.loads(out.read_text())
    return code, report


def failing(report: dict[str, Any]) -> set[tuple[str, str]]:
    return {(f["rule_id"], f["table"]) for f in report["findings"] if f["status"] == "fail"}


def test_a_draft_of_the_prod_plan_holds_it_clean_and_fails_the_demo_drifts(
    farm: PlanFarm, tmp_path: Path
) -> None:
    prod = farm.plan("module")
    spec = init(tmp_path, "--plan", str(prod), "--source-dir", str(PROD_ROOT))
    drafted = yaml.safe_load(spec.read_text())
    assert drafted["naming"]["pattern"] == "{project}-{table}-{environment}"
    assert drafted["environments"] == ["prod"]
    code, report = check(tmp_path, spec, prod, source=PROD_ROOT)
    assert code == 0 and report["summary"]["failed"] == report["summary"]["unknown"] == 0
    code, drifted = check(tmp_path, spec, DEMO_DRIFT, source=PROD_ROOT)
    _, by_seed = check(tmp_path, SEED, DEMO_DRIFT, source=PROD_ROOT)
    assert code == 1
    assert failing(drifted) == failing(by_seed)
    assert {("TS-PITR-001", "interaction-events"), ("TS-TTL-002", "player-rewards"),
            ("TS-ALARM-002", "player-sessions")} <= failing(drifted)
    threshold = [f for f in drifted["findings"] if f["rule_id"] == "TS-ALARM-002"
                 and f["status"] == "fail"]
    assert threshold and all("500" in f["actual"] for f in threshold)


def test_the_draft_fails_each_deviation_of_the_example_that_the_seed_spec_fails(
    farm: PlanFarm, tmp_path: Path
) -> None:
    spec = init(tmp_path, "--plan", str(farm.plan("module")), "--source-dir", str(PROD_ROOT))
    plans = farm.plans([("module", d) for d in deviation_names()])
    for (_, deviation), plan in plans.items():
        expect = yaml.safe_load((DEVIATIONS / str(deviation) / "expect.yaml").read_text())
        _, mine = check(tmp_path, spec, plan)
        _, seed = check(tmp_path, SEED, plan)
        assert failing(seed) <= failing(mine), (deviation, expect)
        # stricter only where the draft wrote what it saw: the one billing mode of the plan
        assert {rule for rule, _ in failing(mine) - failing(seed)} <= {"TS-BILL-001"}


def test_plans_of_dev_and_prod_require_pitr_and_alarms_in_prod_only(
    farm: PlanFarm, tmp_path: Path
) -> None:
    dev = plan_of(farm, EXAMPLE, "environments/dev", {}, "dev")
    prod = farm.plan("module")
    spec = init(tmp_path, "--plan", str(dev), "--plan", str(prod))
    defaults = yaml.safe_load(spec.read_text())["defaults"]
    assert defaults["pitr"] == {"required_in": ["prod"]}
    assert defaults["alarms"]["required_in"] == ["prod"]
    code, report = check(tmp_path, spec, dev, prod)
    assert code == 0 and report["summary"]["failed"] == 0
    assert {f["environment"] for f in report["findings"]} == {"dev", "prod"}


@pytest.mark.parametrize("style", ["bare", "legacy"])
def test_other_names_draft_a_spec_that_round_trips(farm: PlanFarm, tmp_path: Path,
                                                    style: str) -> None:
    names = ({r: r.replace("_", "-") for r in RESOURCES} if style == "bare" else
             {"player_rewards": "PlayerRewards_prod"})
    plan = plan_of(farm, EXAMPLE, "environments/prod", renamed(names), style)
    spec = init(tmp_path, "--plan", str(plan))
    drafted = yaml.safe_load(spec.read_text())
    tables = drafted["tables"]
    assert set(tables) == {r.replace("_", "-") for r in RESOURCES}
    if style == "bare":
        assert drafted["naming"] == {"pattern": "{table}"}
        assert drafted["environments"] == ["prod"]  # told by the Environment tag
    else:
        assert drafted["naming"]["pattern"] == "{project}-{table}-{environment}"
        assert tables["player-rewards"]["name"] == {"prod": "PlayerRewards_prod"}
    code, report = check(tmp_path, spec, plan)
    assert code == 0 and report["summary"]["failed"] == 0
    assert {f["table"] for f in report["findings"]} == set(tables)


def test_values_known_only_after_apply_are_comments_in_the_draft(
    farm: PlanFarm, tmp_path: Path
) -> None:
    tree = tmp_path / "unknown"
    tree.mkdir()
    (tree / "main.tf").write_text(UNKNOWN_TF)
    plan = plan_of(farm, tree, ".", {}, "unknown")
    spec = init(tmp_path, "--plan", str(plan))
    text = spec.read_text()
    drafted = yaml.safe_load(text)
    assert drafted["project"] == "shop" and drafted["environments"] == ["prod"]
    said = " ".join(line.strip().removeprefix("#").strip() for line in text.splitlines()
                    if line.strip().startswith("#"))
    rewards = drafted["tables"]["rewards"]
    # PITR is on or off only after apply: not required (no table has it known), and said so
    assert "pitr" not in drafted.get("defaults", {}) and "pitr" not in rewards
    assert "TODO: shop-rewards-prod: PITR not known" in said
    # its tags are not known: the orders table's alone make the default
    assert "TODO: shop-rewards-prod: tags not known" in said
    # the rewards alarm's threshold is known only after apply: the orders alarm's is the
    # default, which the rewards table keeps, with a comment
    metrics = drafted["defaults"]["alarms"]["metrics"]
    assert [(m["metric"], m["threshold"]) for m in metrics] == [("ReadThrottleEvents", 10)]
    assert "alarms" not in rewards
    assert "TODO: shop-rewards-prod: settings of alarm shop-rewards-prod-reads not known" in said
    # whether the alarms notify anyone is known only after apply: not required, and said so
    assert metrics[0]["action_required"] is False
    assert "notify anyone is not known" in said
    code, report = check(tmp_path, spec, plan)
    assert code == 0 and report["summary"]["failed"] == 0
