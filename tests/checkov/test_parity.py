"""Checkov with our policies agrees with tablespec, on every shape and deviation.

Plan mode: the (resource, rule) pairs Checkov passes and fails are exactly those
`tablespec plan` passes and fails (what tablespec calls unknown, Checkov leaves out of its
report). HCL mode: Checkov may stay silent where its parser cannot see, but never
contradicts `tablespec hcl` on the same tree.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from checker import terraform
from checker.checkov.checks import covered_rules
from checker.findings import Status
from tests.checkov.harness import (
    SPEC,
    InProcess,
    Pair,
    checkov_pairs,
    tablespec_pairs,
    tablespec_plan,
    with_status,
)
from tests.tfplans import DEVIATIONS, SHAPES, PlanFarm, deviation_files, deviation_names

pytestmark = [pytest.mark.terraform, pytest.mark.usefixtures("project_spec")]
COVERED = {r.id for r in covered_rules()}
CASES = [(shape, dev) for shape in SHAPES for dev in [None, *deviation_names()]]
IDS = [f"{shape}-{dev or 'base'}" for shape, dev in CASES]


def _expected_failure(deviation: str | None, findings: list[dict[str, object]],
                      fails: set[Pair]) -> None:
    """The deviation's own (table, rule), when we cover the rule, is among Checkov's failures."""
    if deviation is None:
        assert not fails, f"compliant tables fail: {sorted(fails)}"
        return
    expect = yaml.safe_load((DEVIATIONS / deviation / "expect.yaml").read_text())
    if expect["rule"] in COVERED:
        # (unless the plan alone cannot tell: a block it shows only after apply, which the
        # plan with its source decides; both Checkov and tablespec say unknown then)
        hits = {(f["resource"], f["rule_id"]) for f in findings
                if f["table"] == expect["table"] and f["rule_id"] == expect["rule"]
                and f["status"] == "fail"}
        assert hits <= fails and (hits or any(
            f["table"] == expect["table"] and f["rule_id"] == expect["rule"]
            and f["status"] == "unknown" and "--source-dir" in str(f["message"])
            for f in findings)), f"{expect['rule']} on {expect['table']}: {sorted(fails)}"


@pytest.mark.parametrize(("shape", "deviation"), CASES, ids=IDS)
def test_plan_mode_reports_exactly_what_tablespec_does(
        farm: PlanFarm, checkov: InProcess, shape: str, deviation: str | None) -> None:
    plan = farm.plans(CASES)[(shape, deviation)]
    findings = tablespec_plan(plan)
    theirs = tablespec_pairs(findings, COVERED)
    ours = checkov_pairs(checkov.plan(plan))
    judged = {p: s for p, s in theirs.items() if s in (Status.PASS, Status.FAIL)}
    assert ours == judged
    _expected_failure(deviation, findings, with_status(ours, Status.FAIL))


def _staged(tmp_path: Path, shape: str, deviation: str | None) -> Path:
    """The tree tests/tfplans.py plans, staged the same way."""
    s = SHAPES[shape]
    extra = deviation_files(shape, deviation) if deviation else {}
    return terraform.stage(s.tree, tmp_path / "tree", s.root, extra)


@pytest.mark.parametrize(("shape", "deviation"), CASES, ids=IDS)
def test_hcl_mode_never_contradicts_tablespec(
        farm: PlanFarm, checkov: InProcess, tmp_path: Path, shape: str,
        deviation: str | None) -> None:
    root = _staged(tmp_path, shape, deviation)
    theirs = tablespec_pairs(tablespec_plan(root, command="hcl"), COVERED)
    ours = checkov_pairs(checkov.hcl(root))
    assert with_status(ours, Status.PASS) <= with_status(theirs, Status.PASS)
    assert with_status(ours, Status.FAIL) <= with_status(theirs, Status.FAIL)
    assert not with_status(ours, Status.UNKNOWN, Status.WAIVED)


def test_hcl_mode_judges_a_literal_tree_fully(
        farm: PlanFarm, checkov: InProcess, tmp_path: Path) -> None:
    """The inline shape is all literals: HCL mode sees everything the plan (with its source)
    does."""
    root = _staged(tmp_path, "inline", None)
    theirs = tablespec_pairs(tablespec_plan(farm.plan("inline"), SPEC, "plan", "--source-dir",
                                            str(root)), COVERED)
    ours = checkov_pairs(checkov.hcl(root))
    assert ours == {p: s for p, s in theirs.items() if s in (Status.PASS, Status.FAIL)}
    assert ours and set(ours.values()) == {Status.PASS}
