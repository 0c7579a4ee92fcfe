"""Our checks in Checkov's registry: one per covered rule, named and typed from the registry."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from checker import terraform
from checker.checkov import verdicts
from checker.checkov.checks import CATEGORIES, covered_rules, out_of_reach
from checker.checkov.ids import checkov_id, rule_id_for
from checker.findings import Severity, Status
from checker.rules import RULES
from checker.specfile.discover import SPEC_VARIABLE
from tests.checkov.harness import (
    InProcess,
    checkov_pairs,
    every_rule_spec,
    expected_in_checkov,
    tablespec_plan,
)
from tests.support.paths import REPO

if TYPE_CHECKING:
    from checkov.common.checks.base_check import BaseCheck

pytestmark = pytest.mark.usefixtures("project_spec")
DEMO = REPO / "checker" / "data"


def _ours() -> dict[str, list[BaseCheck]]:
    """Our checks in each registry: Terraform's (HCL and plan) and CloudFormation's."""
    from checkov.cloudformation.checks.resource.registry import cfn_registry
    from checkov.common.checks.base_check_registry import BaseCheckRegistry
    from checkov.terraform.checks.resource.registry import resource_registry

    registered = {"terraform": resource_registry.checks["aws_dynamodb_table"],
                  "cloudformation": cfn_registry.checks["AWS::DynamoDB::GlobalTable"]}
    ours = {k: [c for c in v if rule_id_for(c.id)] for k, v in registered.items()}
    assert sorted(c.id for c in BaseCheckRegistry.get_all_registered_checks()
                  if rule_id_for(c.id)) == sorted(c.id for v in ours.values() for c in v)
    return ours


@pytest.mark.parametrize("framework", ["terraform", "cloudformation"])
def test_one_check_per_covered_rule_even_when_loaded_again(checkov: InProcess,
                                                          framework: str) -> None:
    checkov.plan(DEMO / "demo-prod.plan.json")
    checkov.plan(DEMO / "demo-prod.plan.json")  # Checkov re-imports the policy file each run
    ours = _ours()[framework]
    assert sorted(c.id for c in ours) == sorted(checkov_id(r.id) for r in covered_rules())
    for check in ours:
        rule = next(r for r in RULES if r.id == rule_id_for(check.id))
        assert check.name == f"{rule.id}: {rule.title}"
        assert list(check.categories) == [CATEGORIES[rule.check]]
        assert str(check.severity) == rule.severity.name


def test_out_of_reach_rules_have_no_check_and_a_reason() -> None:
    left_out = [r for r in RULES if out_of_reach(r)]
    assert {r.check for r in left_out} >= {"presence", "alarms"}
    assert not {r.id for r in left_out} & {r.id for r in covered_rules()}
    assert len(left_out) + len(covered_rules()) == len(RULES)


def test_every_check_passes_or_fails_on_the_demo_plans(
    checkov: InProcess, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """(The rewards table's ttl block is left out of the compliant plan, which the plan alone
    cannot tell from a dynamic block: the drifted plan writes one, and it is judged there.)"""
    monkeypatch.setenv(SPEC_VARIABLE, str(every_rule_spec(tmp_path)))
    verdicts.forget_specs()
    results = [r for name in ("demo-prod", "demo-drift")
               for r in checkov.plan(DEMO / f"{name}.plan.json")]
    verdicts.forget_specs()
    assert {r.rule_id for r in results if r.status in (Status.PASS, Status.FAIL)} == {
        r.id for r in covered_rules()}


def test_demo_drift_same_as_tablespec(checkov: InProcess) -> None:
    plan = DEMO / "demo-drift.plan.json"
    theirs = expected_in_checkov(tablespec_plan(plan), {r.id for r in covered_rules()})
    ours = checkov_pairs(checkov.plan(plan))
    assert ours == {p: s for p, s in theirs.items() if s in (Status.PASS, Status.FAIL)}
    assert Status.FAIL in ours.values()


def test_for_each_module_in_hcl_is_silent_not_green(checkov: InProcess, tmp_path: Path) -> None:
    tree = REPO / "tests" / "fixtures" / "terraform" / "foreach"
    root = terraform.stage(tree, tmp_path / "tree", ".", offline_provider=False)
    results = checkov.hcl(root)
    # every verdict unknown: FAILED on the critical and high rules, saying it cannot tell
    # (Checkov leaves the others out of its report)
    assert results and {r.status for r in results} == {Status.FAIL}
    assert all(r.details[0].startswith("cannot tell: ") for r in results), results
    assert {r.rule_id for r in results} <= {
        r.id for r in covered_rules() if r.severity.rank >= Severity.HIGH.rank}
