"""replicas: a global table has a replica in every region the spec lists."""

from __future__ import annotations

from checker.findings import Status
from checker.specfile.model import ReplicasPolicy, Spec
from checker.unknown import Unknown
from tests.rules.harness import REWARDS, Case, run, states, with_tables

PASS, FAIL, UNKNOWN = Status.PASS, Status.FAIL, Status.UNKNOWN
FIELD = "replica"
EU, DE, US = "eu-west-1", "eu-central-1", "us-east-1"


def two(spec: Spec) -> Spec:
    """In prod, in eu-west-1 and eu-central-1."""
    return with_tables(spec, replicas=ReplicasPolicy(("prod",), (EU, DE)))


def only_two(spec: Spec) -> Spec:
    """In prod, in those two and no other region."""
    return with_tables(spec, replicas=ReplicasPolicy(("prod",), (EU, DE), only=True))


CASES = [
    Case("TS-REPL-001", PASS, REWARDS, FIELD, spec=two),
    Case("TS-REPL-001", PASS, REWARDS, FIELD, {"replica_regions": (DE, US)}, spec=two),
    Case("TS-REPL-001", FAIL, REWARDS, FIELD, {"replica_regions": ()}, spec=two),
    Case("TS-REPL-001", FAIL, REWARDS, FIELD, {"replica_regions": (DE, US)}, spec=only_two),
    Case("TS-REPL-001", UNKNOWN, REWARDS, FIELD,
         {"replica_regions": Unknown("which replicas it has is not known")}, spec=two),
    # the table's own region not known: it may be the one region without a replica
    Case("TS-REPL-001", UNKNOWN, REWARDS, FIELD, {"region": None}, spec=two),
    # ... but not both
    Case("TS-REPL-001", FAIL, REWARDS, FIELD, {"region": None, "replica_regions": ()},
         spec=two),
]


def test_judged_on_the_table_only_and_where_required(spec: Spec) -> None:
    spec = two(spec)
    sts = states(spec, **{REWARDS: {"replica_regions": ()}})
    findings = [f for f in run(spec, sts) if f.rule_id == "TS-REPL-001"]
    assert {f.table for f in findings} == set(spec.tables) and len(findings) == len(sts)
    assert not [f for f in run(spec, states(spec, "dev")) if f.rule_id == "TS-REPL-001"]
