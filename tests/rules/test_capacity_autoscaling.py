"""capacity.autoscaling: a provisioned table, and each index, scales within the spec's
bounds where the spec requires it."""

from __future__ import annotations

from dataclasses import replace

import pytest

from checker.findings import Status
from checker.model import Scaling, TableState
from checker.specfile.model import AutoscalingPolicy, Spec
from checker.unknown import Unknown
from tests.rules.harness import EVENTS, SESSIONS, Case, run, states, with_tables

PASS, FAIL, UNKNOWN = Status.PASS, Status.FAIL, Status.UNKNOWN
RULE = "TS-CAP-002"
PROVISIONED = {"billing_mode": "PROVISIONED", "read_capacity": 5, "write_capacity": 5}


def bounded(spec: Spec) -> Spec:
    """Autoscaling required in prod, between 5 and 1000."""
    return with_tables(spec, autoscaling=AutoscalingPolicy(("prod",), 5, 1000))


def targets(spec: Spec, **changes: Scaling | None) -> dict[object, Scaling]:
    """EVENTS's compliant targets, with (index or "table", dim) changes (None: removed)."""
    table = bounded(spec).tables[EVENTS]
    out: dict[object, Scaling] = {
        (index, dim): Scaling(5, 1000, "aws_appautoscaling_target.t")
        for index in (None, *(g.name for g in table.gsis)) for dim in ("read", "write")}
    for key, value in changes.items():
        where, dim = key.rsplit("_", 1)
        index = None if where == "table" else where
        if value is None:
            del out[(index, dim)]
        else:
            out[(index, dim)] = value
    return out


def provisioned(**scaling: object) -> dict[str, object]:
    """A provisioned state change with *scaling* as its targets."""
    return {**PROVISIONED, **scaling}


CASES = [  # SESSIONS has no index
    Case(RULE, PASS, SESSIONS, "autoscaling.read", PROVISIONED, spec=bounded),
    Case(RULE, FAIL, SESSIONS, "autoscaling.write", {**PROVISIONED, "scaling": {
        (None, "read"): Scaling(5, 1000, "t")}}, spec=bounded),
    Case(RULE, UNKNOWN, SESSIONS, "autoscaling", {**PROVISIONED, "scaling": Unknown(
        "aws_appautoscaling_target.t may be the table's: its resource_id is not known")},
        spec=bounded),
]


def verdicts(spec: Spec, change: dict[str, object], env: str = "prod"
             ) -> list[tuple[str, str]]:
    """(status, field) of TS-CAP-002 on EVENTS (its indexes provisioned too, when it is)."""
    sts = states(spec, env, **{EVENTS: change})
    if change.get("billing_mode") == "PROVISIONED":
        sts = [_indexes_provisioned(s) if EVENTS in str(s.name) else s for s in sts]
    found = run(spec, sts, env)
    return sorted((f.status.value, f.field) for f in found
                  if f.rule_id == RULE and f.table == EVENTS)


def _indexes_provisioned(state: TableState) -> TableState:
    assert isinstance(state.gsis, tuple)
    return replace(state, gsis=tuple(replace(g, read_capacity=5, write_capacity=5)
                                     for g in state.gsis))


def test_on_demand_is_not_scaled(spec: Spec) -> None:
    assert verdicts(bounded(spec), {"scaling": {}}) == [("pass", "autoscaling")]


def test_not_judged_outside_required_in(spec: Spec) -> None:
    assert verdicts(bounded(spec), {**PROVISIONED, "scaling": {}}, "dev") == []
    assert verdicts(spec, {**PROVISIONED, "scaling": {}}) == []


def test_each_index_is_held_to_it(spec: Spec) -> None:
    table = bounded(spec).tables[EVENTS]
    index = table.gsis[0].name
    change = {**PROVISIONED, "scaling": targets(spec, **{f"{index}_write": None})}
    fails = [f for s, f in verdicts(bounded(spec), change) if s == "fail"]
    assert fails == [f"global_secondary_index.{index}.autoscaling.write"]


@pytest.mark.parametrize(("low", "high", "expected"), [
    (5, 1000, "pass"), (4, 1000, "fail"), (5, 1001, "fail"), (100, 200, "pass")])
def test_bounds_are_numbers_compared_as_numbers(spec: Spec, low: int, high: int,
                                                expected: str) -> None:
    change = {**PROVISIONED, "scaling": targets(spec, table_read=Scaling(low, high, "t"))}
    assert ("fail" in [s for s, _ in verdicts(bounded(spec), change)]) is (expected == "fail")


def test_an_unknown_bound_is_unknown(spec: Spec) -> None:
    change = {**PROVISIONED, "scaling": targets(spec, table_read=Scaling(
        Unknown("var.min is not known"), 10, "t"))}
    assert ("unknown", "autoscaling.read") in verdicts(bounded(spec), change)
