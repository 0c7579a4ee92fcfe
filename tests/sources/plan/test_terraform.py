"""Real Terraform plans: compliant shapes pass; each one-deviation fixture fails its check."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from checker import rules
from checker.cli import main
from checker.specfile.load import load_spec
from tests.sources.hcl.util import repository
from tests.support.paths import REPO
from tests.support.tfplans import DEVIATIONS, SHAPES, PlanFarm, deviation_names, staged

pytestmark = pytest.mark.terraform

SPEC = str(REPO / "specs" / "tables.yaml")
ALL_JOBS: list[tuple[str, str | None]] = [(s, None) for s in SHAPES]
ALL_JOBS += [(s, d) for d in deviation_names() for s in SHAPES]


def run_json(plan: Path, tmp_path: Path, *extra: str) -> tuple[int, dict[str, Any]]:
    """`tablespec plan PLAN --format json`, in process, through the real CLI."""
    out = tmp_path / "report.json"
    code = main(["plan", str(plan), "--spec", SPEC, "--format", "json", "-o", str(out), *extra])
    return code, json.loads(out.read_text())


def addresses(plan: Path) -> set[str]:
    """Every resource address in the plan's resource_changes."""
    return {rc["address"] for rc in json.loads(plan.read_text())["resource_changes"]}


@pytest.fixture(scope="module")
def matrix(farm: PlanFarm) -> dict[tuple[str, str | None], Path]:
    """Every shape, compliant and with each deviation: made once, in parallel."""
    return farm.plans(ALL_JOBS)


@pytest.mark.parametrize("shape", sorted(SHAPES))
def test_compliant_shape_passes_every_check(
    matrix: dict[tuple[str, str | None], Path], shape: str, tmp_path: Path
) -> None:
    source = staged(shape, None, tmp_path / "tree")
    code, report = run_json(matrix[(shape, None)], tmp_path, "--source-dir", str(source))
    assert code == 0
    assert report["summary"]["failed"] == 0 and report["summary"]["unknown"] == 0
    spec = load_spec(SPEC)
    checks = {(f["table"], f["check"]) for f in report["findings"]}
    assert checks == {(name, r.check) for name, t in spec.tables.items() for r in rules.RULES
                      if r.applies(t, "prod")}


@pytest.mark.parametrize("shape", sorted(SHAPES))
@pytest.mark.parametrize("deviation", deviation_names())
def test_deviation_fails_exactly_its_check(
    matrix: dict[tuple[str, str | None], Path], shape: str, deviation: str, tmp_path: Path
) -> None:
    expect = yaml.safe_load((DEVIATIONS / deviation / "expect.yaml").read_text())
    plan = matrix[(shape, deviation)]
    source = staged(shape, deviation, tmp_path / "tree")
    code, report = run_json(plan, tmp_path, "--source-dir", str(source))
    failures = [f for f in report["findings"] if f["status"] == "fail"]
    assert code == 1
    assert {(f["table"], f["check"]) for f in failures} == {(expect["table"], expect["check"])}
    assert {f["rule_id"] for f in failures} == {expect["rule"]}
    known = addresses(plan)
    for f in failures:
        assert f["environment"] == "prod"
        assert f["expected"] and f["actual"] and f["expected"] != f["actual"]
        if f["check"] != "presence":
            assert f["resource"] in known, f["resource"]
    if expect["check"] == "presence":  # the absent table's other checks: unknown, once each
        rest = [f for f in report["findings"]
                if f["table"] == expect["table"] and f["check"] != "presence"]
        assert rest and all(f["status"] == "unknown" and f["reason"] == "not_evaluated"
                            for f in rest)
    others = [f for f in report["findings"] if f["table"] != expect["table"] or (
        f["check"] != expect["check"] and expect["check"] != "presence")]
    # what follows from the deviation is not evaluated (e.g. the settings of a missing alarm)
    others = [f for f in others if f["reason"] != "not_evaluated"
              or (f["table"], f["check"]) != (expect["table"], expect["check"])]
    assert others and all(f["status"] == "pass" for f in others), [
        (f["rule_id"], f["table"], f["status"], f["message"]) for f in others
        if f["status"] != "pass"
    ]


def test_dev_environment_passes_without_pitr_or_alarms(farm: PlanFarm, tmp_path: Path) -> None:
    plan = farm.plan("dev")
    code, report = run_json(plan, tmp_path)
    assert code == 0
    assert {f["environment"] for f in report["findings"]} == {"dev"}
    pitr = [f for f in report["findings"] if f["rule_id"] == "TS-PITR-001"]
    assert {f["actual"] for f in pitr} == {"off"} and all(f["status"] == "pass" for f in pitr)
    code, report = run_json(plan, tmp_path, "--env", "prod")
    missing = {f["table"] for f in report["findings"]
               if f["rule_id"] == "TS-PRES-001" and f["status"] == "fail"}
    assert code == 1 and missing == {"player-sessions", "interaction-events", "player-rewards"}


def test_binary_plan_file_is_refused_with_the_fix(farm: PlanFarm, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    """A real `terraform plan -out` file, given where JSON is expected."""
    from checker import terraform

    shape = SHAPES["module"]

    def binary_plan() -> bytes:
        root = terraform.stage(shape.tree, repository(tmp_path / "tree"), shape.root)
        terraform.Terraform(tmp_path).plan_json(root)
        return (root / "tablespec.tfplan").read_bytes()

    binary = farm.cached("module-binary", shape.tree, (shape.root,), binary_plan, ".tfplan")
    assert main(["plan", str(binary), "--spec", SPEC]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and str(binary) in err
    assert "binary Terraform plan file" in err and "terraform show -json" in err
