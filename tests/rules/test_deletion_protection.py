"""deletion_protection: on where the spec requires it, and not judged elsewhere."""

from __future__ import annotations

from checker.findings import Status
from checker.specfile.model import Spec
from checker.unknown import Unknown
from tests.rules.harness import REWARDS, Case, run, states, with_tables

PASS, FAIL, UNKNOWN = Status.PASS, Status.FAIL, Status.UNKNOWN
FIELD = "deletion_protection_enabled"


def in_prod(spec: Spec) -> Spec:
    """The spec, with deletion protection required in prod."""
    return with_tables(spec, deletion_protection_required_in=("prod",))


CASES = [
    Case("TS-DEL-001", PASS, REWARDS, FIELD, spec=in_prod),
    Case("TS-DEL-001", FAIL, REWARDS, FIELD, {"deletion_protection": False}, spec=in_prod),
    Case("TS-DEL-001", FAIL, REWARDS, FIELD, {"deletion_protection": None}, spec=in_prod),
    Case("TS-DEL-001", UNKNOWN, REWARDS, FIELD,
         {"deletion_protection": Unknown("deletion_protection_enabled known after apply")},
         spec=in_prod),
]


def test_not_judged_where_the_spec_does_not_require_it(spec: Spec) -> None:
    findings = run(spec, states(spec, **{REWARDS: {"deletion_protection": False}}))
    assert not [f for f in findings if f.rule_id == "TS-DEL-001"]
    assert not [f for f in run(in_prod(spec), states(spec, "dev"), "dev")
                if f.rule_id == "TS-DEL-001"]
