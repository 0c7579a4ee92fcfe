"""capacity: an on-demand table, and each of its indexes, caps its throughput; a
provisioned one scales, within the spec's bounds."""

from __future__ import annotations

from checker.findings import Severity
from checker.model import Gsi, OnDemandMax, Scaling
from checker.rules.base import Rule, Subject, Verdict, decide, failed, passed, show, unknown
from checker.specfile.model import AutoscalingPolicy, TableSpec
from checker.unknown import Maybe, Unknown

FIELD = "on_demand_throughput"
_DIMENSIONS = (("read", "max_read_request_units"), ("write", "max_write_request_units"))


def _judged(table: TableSpec, environment: str) -> bool:
    return table.on_demand_max is not None


def _cap(most: tuple[int | None, int | None], what: str, found: Maybe[OnDemandMax],
         field: str) -> Verdict:
    """One table's or index's maximum against the spec's."""
    expected = ", ".join(f"{dim} at most {limit}" for (dim, _), limit in zip(
        _DIMENSIONS, most, strict=True) if limit is not None)

    def judge(got: OnDemandMax) -> Verdict:
        for (dim, attr), limit, have in zip(_DIMENSIONS, most, got, strict=True):
            if limit is None:
                continue
            if have is None:
                return failed(f"{what} sets no maximum {dim} throughput: set one (at most "
                              f"{limit} {dim} request units)", expected,
                              f"no {dim} maximum", f"{field}.{attr}")
            if have > limit:
                return failed(f"{what} allows {have} {dim} request units; the spec allows at "
                              f"most {limit}", expected, f"{dim} {have}", f"{field}.{attr}")
        shown = ", ".join(f"{dim} {show(v)}" for (dim, _), v in zip(_DIMENSIONS, got,
                                                                    strict=True))
        return passed(f"{what} caps its throughput ({shown})", expected, shown, field)

    return decide(found, judge, expected, field)


def _other_mode(s: Subject, mode: str, what: str, field: str) -> list[Verdict] | None:
    """The verdict of a table not billed in *mode* (nothing of *what* to judge), or where
    its mode is not known; None when it is billed in *mode*."""
    found = s.state.billing_mode
    if isinstance(found, Unknown):
        return [unknown(found, f"{what}, if {mode}", field)]
    if found != mode:
        return [passed(f"{show(found)}: not {mode}, no {what} to judge", "n/a", show(found),
                       field)]
    return None


def _on_demand(s: Subject) -> list[Verdict]:
    most = s.table.on_demand_max
    assert most is not None
    other = _other_mode(s, "PAY_PER_REQUEST", "on-demand maximum", FIELD)
    if other is not None:
        return other
    out = [_cap(most, "the table", s.state.on_demand_max, FIELD)]
    gsis = s.state.gsis
    if isinstance(gsis, Unknown):
        return [*out, unknown(gsis, "every index capped", "global_secondary_index")]
    out += [_index(most, g) for g in gsis]
    return out


def _index(most: tuple[int | None, int | None], g: Gsi) -> Verdict:
    field = f"global_secondary_index.{g.name}.{FIELD}"
    return _cap(most, f"index {show(g.name)}", g.on_demand_max, field)


ON_DEMAND_MAX = Rule(
    id="TS-CAP-001",
    check="capacity",
    severity=Severity.MEDIUM,
    title="An on-demand table, and each of its indexes, caps its throughput",
    why="On demand, a runaway client or a hot loop scales a table's throughput, and its bill, "
    "without bound; a maximum makes the excess throttle instead.",
    fix="Set on_demand_throughput (OnDemandThroughput) on the table and on each index, at or "
    "below the spec's maximum.",
    example="on_demand_throughput {\n  max_read_request_units  = 40000\n"
    "  max_write_request_units = 40000\n}",
    evaluate=_on_demand,
    applies=_judged,
)

SCALING_FIELD = "autoscaling"


def _scales_here(table: TableSpec, environment: str) -> bool:
    return table.autoscaling is not None and environment in table.autoscaling.required_in


def _target(policy: AutoscalingPolicy, what: str, dim: str, found: Scaling | None,
            field: str) -> Verdict:
    """One scalable target (or its absence) against the spec's bounds."""
    expected = "a scalable target" + "".join(
        f", {name} {op} {v}" for name, op, v in (("min", ">=", policy.min),
                                                 ("max", "<=", policy.max)) if v is not None)
    if found is None:
        return failed(f"{what} has no {dim} scalable target: register one (with a "
                      f"scaling policy) for its {dim} capacity", expected, "none", field)
    for name, value, limit in (("min", found.min, policy.min), ("max", found.max, policy.max)):
        if limit is None:
            continue
        if isinstance(value, Unknown):
            return unknown(value, expected, field)
        if (value < limit) if name == "min" else (value > limit):
            return failed(f"{what}'s {dim} scalable target ({found.where}) has {name}_capacity "
                          f"{value}; the spec allows {'at least' if name == 'min' else 'at most'}"
                          f" {limit}", expected, f"{name} {value}", field)
    shown = f"min {show(found.min)}, max {show(found.max)}"
    return passed(f"{what} scales its {dim} capacity ({shown})", expected, shown, field)


def _autoscaling(s: Subject) -> list[Verdict]:
    policy = s.table.autoscaling
    assert policy is not None
    other = _other_mode(s, "PROVISIONED", "scalable targets", SCALING_FIELD)
    if other is not None:
        return other
    targets = s.state.scaling
    if isinstance(targets, Unknown):
        return [unknown(targets, "scalable targets", SCALING_FIELD)]
    gsis = s.state.gsis
    names: list[str | None] = [None]
    if isinstance(gsis, Unknown):
        out = [unknown(gsis, "every index scaled", "global_secondary_index")]
    else:
        out = []
        for g in gsis:
            if isinstance(g.name, Unknown):
                out.append(unknown(g.name, "every index scaled", "global_secondary_index"))
            else:
                names.append(g.name)
    for index in names:
        what = "the table" if index is None else f"index {index}"
        field = SCALING_FIELD if index is None else \
            f"global_secondary_index.{index}.{SCALING_FIELD}"
        out += [_target(policy, what, dim, targets.get((index, dim)), f"{field}.{dim}")
                for dim in ("read", "write")]
    return out


AUTOSCALING = Rule(
    id="TS-CAP-002",
    check="capacity",
    severity=Severity.MEDIUM,
    title="A provisioned table, and each of its indexes, scales within the spec's bounds",
    why="Provisioned capacity that does not scale throttles the first traffic peak; bounds "
    "outside the spec's let a table scale to nothing, or without limit.",
    fix="Register read and write scalable targets (aws_appautoscaling_target, "
    "AWS::ApplicationAutoScaling::ScalableTarget, or a global table's AutoScalingSettings) "
    "for the table and each index, with a minimum and maximum capacity within the spec's, "
    "and a scaling policy for each.",
    example='resource "aws_appautoscaling_target" "read" {\n'
    '  service_namespace  = "dynamodb"\n'
    '  resource_id        = "table/${aws_dynamodb_table.t.name}"\n'
    '  scalable_dimension = "dynamodb:table:ReadCapacityUnits"\n'
    "  min_capacity       = 5\n  max_capacity       = 1000\n}",
    evaluate=_autoscaling,
    applies=_scales_here,
)

RULES = [ON_DEMAND_MAX, AUTOSCALING]
