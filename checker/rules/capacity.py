"""capacity: an on-demand table, and each of its indexes, caps its throughput."""

from __future__ import annotations

from checker.findings import Severity
from checker.model import Gsi, Maybe, OnDemandMax, Unknown
from checker.rules.base import Rule, Subject, Verdict, decide, failed, passed, show, unknown
from checker.spec.model import TableSpec

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
                return failed(f"{what} sets no maximum {dim} throughput: set "
                              f"on_demand_throughput.{attr} (at most {limit})", expected,
                              f"no {dim} maximum", f"{field}.{attr}")
            if have > limit:
                return failed(f"{what} allows {have} {dim} request units; the spec allows at "
                              f"most {limit}", expected, f"{dim} {have}", f"{field}.{attr}")
        shown = ", ".join(f"{dim} {show(v)}" for (dim, _), v in zip(_DIMENSIONS, got,
                                                                    strict=True))
        return passed(f"{what} caps its throughput ({shown})", expected, shown, field)

    return decide(found, judge, expected, field)


def _on_demand(s: Subject) -> list[Verdict]:
    most = s.table.on_demand_max
    assert most is not None
    mode = s.state.billing_mode
    if isinstance(mode, Unknown):
        return [unknown(mode, "an on-demand maximum, if on demand", FIELD)]
    if mode != "PAY_PER_REQUEST":
        return [passed(f"{show(mode)}: not on demand, no maximum to judge", "n/a", show(mode),
                       FIELD)]
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

RULES = [ON_DEMAND_MAX]
