"""Values of the wrong type in a plan: unknown (`invalid_value`), never on, never a crash.

Terraform never writes them; a damaged or hand-edited plan does. Each mutation changes one
value of a `mutated-*` case of the conformance plan (its table or its alarm); `tablespec
plan` and Checkov (which reads the same file) run once over all of them.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from checker.checkov import verdicts
from checker.checkov.checks import covered_rules
from checker.cli import main
from checker.findings import Status
from checker.specfile.discover import SPEC_VARIABLE
from tests.checkov.harness import InProcess, in_checkov
from tests.conformance.modes import NOT_REPORTED, Verdicts, from_checkov, tablespec
from tests.conformance.world import World, make
from tests.support.tfplans import require_terraform

pytestmark = pytest.mark.terraform
TABLE, ALARM = "aws_dynamodb_table.t", "aws_cloudwatch_metric_alarm.a"
INVALID = ("unknown", "invalid_value")
Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Mutation:
    """One value changed in the plan, and the verdict it must give."""

    case: str  # a `mutated-*` case
    resource: str
    path: Path_  # into the resource's planned values
    value: Any
    rule: str
    expect: tuple[str, str | None]  # (status, reason)


MUTATIONS = (
    Mutation("a", TABLE, ("point_in_time_recovery", 0, "enabled"), "false", "TS-PITR-001", INVALID),
    Mutation("b", TABLE, ("point_in_time_recovery", 0, "enabled"), [False], "TS-PITR-001", INVALID),
    Mutation("c", TABLE, ("point_in_time_recovery", 0, "enabled"), {}, "TS-PITR-001", INVALID),
    Mutation("d", TABLE, ("point_in_time_recovery", 0, "enabled"), "true", "TS-PITR-001", INVALID),
    Mutation("a", TABLE, ("server_side_encryption", 0, "enabled"), [False], "TS-SSE-001",
             INVALID),
    Mutation("b", TABLE, ("server_side_encryption", 0, "enabled"), "true", "TS-SSE-001", INVALID),
    Mutation("a", TABLE, ("ttl", 0, "enabled"), {}, "TS-TTL-001", INVALID),
    Mutation("b", TABLE, ("ttl", 0, "enabled"), "true", "TS-TTL-001", INVALID),
    Mutation("a", ALARM, ("period",), 300.7, "TS-ALARM-002", INVALID),
    Mutation("b", ALARM, ("period",), "300", "TS-ALARM-002", INVALID),
    Mutation("c", ALARM, ("threshold",), float("inf"), "TS-ALARM-002", INVALID),
    Mutation("d", ALARM, ("evaluation_periods",), "1", "TS-ALARM-002", INVALID),
    Mutation("a", ALARM, ("alarm_actions",), [[]], "TS-ALARM-003", INVALID),
    Mutation("b", ALARM, ("alarm_actions",), [False], "TS-ALARM-003", INVALID),
    Mutation("c", ALARM, ("alarm_actions",), [{}], "TS-ALARM-003", INVALID),
    Mutation("d", ALARM, ("alarm_actions",), [""], "TS-ALARM-003", ("fail", None)),
    Mutation("e", TABLE, ("name",), None, "TS-PRES-001", INVALID),
    Mutation("f", TABLE, ("name",), 5, "TS-PRES-001", INVALID),
    Mutation("g", TABLE, ("hash_key",), ["id"], "TS-KEY-001", INVALID),
)


def _set(values: Any, path: Path_, value: Any) -> None:
    for step in path[:-1]:
        values = values[step]
    values[path[-1]] = copy.deepcopy(value)


def mutated(plan: dict[str, Any], mutations: tuple[Mutation, ...] = MUTATIONS
            ) -> dict[str, Any]:
    """*plan* with each mutation made where Terraform keeps a resource's planned values."""
    out = copy.deepcopy(plan)
    changes = {rc["address"]: rc for rc in out["resource_changes"]}
    planned = {r["address"]: r for m in [out["planned_values"]["root_module"],
                                         *out["planned_values"]["root_module"]["child_modules"]]
               for r in m.get("resources", [])}
    for m in mutations:
        address = f"module.mutated_{m.case}.{m.resource}"
        change = changes[address]["change"]
        _set(change["after"], m.path, m.value)
        _set(planned[address]["values"], m.path, m.value)
        if change["after_unknown"].get(m.path[0]) is True:  # the plan now knows it
            del change["after_unknown"][m.path[0]]
    return out


@pytest.fixture(scope="module")
def world(moto_endpoint: str, tmp_path_factory: pytest.TempPathFactory) -> World:
    require_terraform()
    return make(tmp_path_factory.mktemp("conformance"), moto_endpoint)


@pytest.fixture(scope="module")
def results(world: World, checkov: InProcess, tmp_path_factory: pytest.TempPathFactory
            ) -> dict[str, Verdicts]:
    """`tablespec plan` and Checkov on the mutated plan."""
    plan = tmp_path_factory.mktemp("mutated") / "plan.json"
    plan.write_text(json.dumps(mutated(json.loads(world.plan.read_text()))), encoding="utf-8")
    code, mine = tablespec("plan", str(plan), "--spec", str(world.spec))
    assert code == 1
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv(SPEC_VARIABLE, str(world.spec))
        verdicts.forget_specs()
        try:
            theirs = from_checkov(checkov.plan(plan))
        finally:
            verdicts.forget_specs()
    return {"plan": mine, "checkov": theirs}


@pytest.mark.parametrize("m", MUTATIONS, ids=[f"{m.case}-{m.rule}-{m.value!r}" for m in MUTATIONS])
def test_a_value_of_the_wrong_type_is_unknown_never_on(results: dict[str, Verdicts],
                                                       m: Mutation) -> None:
    got = results["plan"][(f"mutated-{m.case}", m.rule)]
    assert (got.status, got.reason) == m.expect, got.message
    if m.rule in {r.id for r in covered_rules()}:  # Checkov reads the same file
        theirs = results["checkov"].get((f"mutated-{m.case}", m.rule), NOT_REPORTED)
        assert theirs.status == in_checkov(Status(got.status), got.reason, m.rule).value


def test_an_invalid_value_is_named_with_where_it_stands(results: dict[str, Verdicts]) -> None:
    got = results["plan"][("mutated-a", "TS-PITR-001")]
    assert got.message == ("cannot tell: module.mutated_a.aws_dynamodb_table.t."
                           "point_in_time_recovery[0].enabled is \"false\" (a string), not a bool")


def _run(tmp: Path, text: str, spec: Path) -> tuple[int, str]:
    plan = tmp / "plan.json"
    plan.write_text(text, encoding="utf-8")
    out = tmp / "r.json"
    code = main(["plan", str(plan), "--spec", str(spec), "--format", "json", "-o", str(out)])
    return code, out.read_text() if out.is_file() else ""


def test_numbers_no_parser_can_hold_are_unknown_not_a_crash(world: World, tmp_path: Path) -> None:
    plan = json.loads(world.plan.read_text())
    marked = mutated(plan, (Mutation("a", ALARM, ("period",), 7_007_007, "", INVALID),
                            Mutation("b", ALARM, ("threshold",), float("nan"), "", INVALID)))
    text = json.dumps(marked).replace("7007007", "9" * 5000)  # a 5,000-digit integer
    code, report = _run(tmp_path, text, world.spec)
    assert code == 1, "a bug, not a report"
    found = {(f["table"], f["rule_id"]): f for f in json.loads(report)["findings"]}
    for case in ("mutated-a", "mutated-b"):
        assert (found[(case, "TS-ALARM-002")]["status"],
                found[(case, "TS-ALARM-002")]["reason"]) == INVALID


def test_two_resources_with_one_address_are_refused(world: World, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    plan = json.loads(world.plan.read_text())
    plan["resource_changes"].append(copy.deepcopy(plan["resource_changes"][0]))
    code, _ = _run(tmp_path, json.dumps(plan), world.spec)
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1
    assert plan["resource_changes"][0]["address"] in err and "damaged" in err
