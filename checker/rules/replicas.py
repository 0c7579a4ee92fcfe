"""replicas: a global table has a replica in every region the spec lists (only there, with
`only`)."""

from __future__ import annotations

from checker.findings import Severity
from checker.rules.base import Rule, Subject, Verdict, decide, failed, passed, unknown
from checker.specfile.model import ReplicasPolicy, TableSpec
from checker.unknown import Unknown

FIELD = "replica"


def _judged(table: TableSpec, environment: str) -> bool:
    return table.replicas is not None and environment in table.replicas.required_in


def _regions(s: Subject) -> list[Verdict]:
    if s.state.replica is not None:  # judged once, on the table itself
        return []
    policy = s.table.replicas
    assert isinstance(policy, ReplicasPolicy)
    wanted = set(policy.regions)
    expected = ("only in " if policy.only else "in ") + ", ".join(policy.regions)
    own = s.state.region

    def judge(replicas: tuple[str, ...]) -> Verdict:
        present = {*replicas, *([own] if own else [])}
        shown = ", ".join(sorted(present)) or "no replica"
        missing = sorted(wanted - present)
        extra = sorted(present - wanted)
        if policy.only and extra:
            return failed(f"a replica in {', '.join(extra)}, where the spec allows none",
                          expected, shown, FIELD)
        if own is None and len(missing) == 1:  # the table's own region may be that one
            return unknown(Unknown(f"no replica in {missing[0]}, and the region of "
                                   f"{s.state.resource} is not known (it may be that)"),
                           expected, FIELD)
        if missing:
            return failed(f"no replica in {', '.join(missing)}; add a replica there",
                          expected, shown, FIELD)
        if policy.only and own is None:
            return unknown(Unknown(f"the region of {s.state.resource} is not known (it may be "
                                   "outside the regions listed)"), expected, FIELD)
        return passed(f"in {shown}", expected, shown, FIELD)

    return [decide(s.state.replica_regions, judge, expected, FIELD)]


REPLICAS = Rule(
    id="TS-REPL-001",
    check="replicas",
    severity=Severity.HIGH,
    title="A global table has a replica in every region the spec lists",
    why="A region without its replica serves no local reads and has no copy to fail over "
    "to; a replica where none is allowed keeps data where it may not be.",
    fix="Add a replica (a replica block or aws_dynamodb_table_replica; an entry of a "
    "GlobalTable's Replicas) in each listed region, and remove those the spec does not allow.",
    example='replica {\n  region_name = "eu-central-1"\n}',
    evaluate=_regions,
    applies=_judged,
)

RULES = [REPLICAS]
