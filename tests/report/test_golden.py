"""Golden JSON reports of the committed demo plans, and their freshness against Terraform.

After a change meant to change the reports, `make goldens` rewrites them; read the diff.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest

from checker import __version__
from checker.cli import main
from tests.support.paths import REPO
from tests.support.tfplans import PlanFarm

GOLDEN = REPO / "tests" / "golden"
SOURCE = "examples/terraform/environments/prod"
PLANS = {"prod": "checker/data/demo-prod.plan.json", "drift": "checker/data/demo-drift.plan.json"}


def report_for(plan: str, out: Path) -> tuple[int, dict[str, Any]]:
    """`tablespec plan PLAN --format json` run from the repository root, with the plans'
    root module as their source (as a CI job in that directory has it)."""
    cwd = os.getcwd()
    os.chdir(REPO)
    try:
        code = main(["plan", plan, "--spec", "specs/tables.yaml", "--source-dir", SOURCE,
                     "--format", "json", "-o", str(out)])
    finally:
        os.chdir(cwd)
    return code, json.loads(out.read_text())


def normalised(plan: str) -> dict[str, Any]:
    """The report of *plan* with the version masked, as the golden file holds it."""
    with tempfile.TemporaryDirectory() as tmp:
        _, report = report_for(plan, Path(tmp) / "r.json")
    assert report["tool"] == {"name": "tablespec", "version": __version__}
    report["tool"]["version"] = "X.Y.Z"
    return report


@pytest.mark.parametrize("name", sorted(PLANS))
def test_golden_report(name: str, tmp_path: Path) -> None:
    code, _ = report_for(PLANS[name], tmp_path / "r.json")
    golden = json.loads((GOLDEN / f"demo-{name}.report.json").read_text())
    assert normalised(PLANS[name]) == golden, "run `make goldens` if the change is meant"
    assert code == (0 if name == "prod" else 1)


def test_drift_golden_names_each_drift(tmp_path: Path) -> None:
    _, report = report_for(PLANS["drift"], tmp_path / "r.json")
    fails = sorted((f["rule_id"], f["table"], f["resource"], f["expected"], f["actual"])
                   for f in report["findings"] if f["status"] == "fail")
    assert fails == [
        ("TS-ALARM-002", "player-sessions",
         'module.dynamodb.aws_cloudwatch_metric_alarm.throttle["player_sessions_read"]',
         "Sum GreaterThanThreshold 10, period 300s x 1",
         "Sum GreaterThanThreshold 500, period 300s x 1"),
        ("TS-PITR-001", "interaction-events",
         "module.dynamodb.aws_dynamodb_table.interaction_events", "enabled", "disabled"),
        ("TS-TTL-002", "player-rewards", "module.dynamodb.aws_dynamodb_table.player_rewards",
         "no TTL", "enabled on ttl"),
    ]


@pytest.mark.terraform
def test_committed_demo_plans_match_fresh_plans(farm: PlanFarm, tmp_path: Path) -> None:
    """The committed fallback plans give the same findings as Terraform gives today."""
    from checker.demo import make_plans

    for name, raw in zip(("prod", "drift"), make_plans(), strict=True):
        fresh = tmp_path / f"{name}.json"
        fresh.write_bytes(raw)
        _, got = report_for(str(fresh), tmp_path / "fresh.json")
        _, want = report_for(PLANS[name], tmp_path / "committed.json")
        for report in (got, want):
            for f in report["findings"]:
                f.pop("location")
        assert got["findings"] == want["findings"], f"run `make demo-data` ({name})"
