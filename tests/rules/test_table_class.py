"""table_class: the table class is one the spec allows."""

from __future__ import annotations

from checker.findings import Status
from checker.specfile.model import Spec
from checker.unknown import Unknown
from tests.rules.harness import REWARDS, Case, run, states, with_tables

PASS, FAIL, UNKNOWN = Status.PASS, Status.FAIL, Status.UNKNOWN
FIELD = "table_class"


def standard(spec: Spec) -> Spec:
    """Only the STANDARD class allowed."""
    return with_tables(spec, table_classes=("STANDARD",))


CASES = [
    Case("TS-CLASS-001", PASS, REWARDS, FIELD, spec=standard),
    Case("TS-CLASS-001", FAIL, REWARDS, FIELD, {"table_class": "STANDARD_INFREQUENT_ACCESS"},
         spec=standard),
    Case("TS-CLASS-001", UNKNOWN, REWARDS, FIELD,
         {"table_class": Unknown("table_class known after apply")}, spec=standard),
    Case("TS-CLASS-001", FAIL, REWARDS, FIELD, {"table_class": Unknown(
        "table_class is var.cls", possible=("STANDARD_INFREQUENT_ACCESS",))}, spec=standard),
]


def test_not_judged_where_the_spec_names_no_class(spec: Spec) -> None:
    findings = run(spec, states(spec, **{REWARDS: {"table_class": "STANDARD_INFREQUENT_ACCESS"}}))
    assert not [f for f in findings if f.rule_id == "TS-CLASS-001"]
