"""presence: every spec table exists, once."""

from __future__ import annotations

from dataclasses import replace

from checker.findings import Status
from checker.model import TableState
from checker.specfile.model import Spec
from checker.unknown import Unknown
from tests.rules.harness import SESSIONS, Case
from tests.support.builders import compliant

PASS, FAIL, UNKNOWN = Status.PASS, Status.FAIL, Status.UNKNOWN


def twin(spec: Spec) -> TableState:
    """A second declaration of the sessions table."""
    return replace(compliant(spec, spec.tables[SESSIONS], "prod"), resource="aws_x.twin")


def unnamed(spec: Spec) -> TableState:
    """A table whose name is known only after apply: it may be the absent one."""
    return replace(compliant(spec, spec.tables[SESSIONS], "prod"), resource="aws_x.unnamed",
                   name=Unknown("aws_x.unnamed.name known after apply"), tags={})


def elsewhere(spec: Spec) -> TableState:
    """A table whose name is known in part, and cannot be the sessions table."""
    return replace(unnamed(spec), name=Unknown("var.x has no value", parts=("legacy-", None)))


CASES = [
    Case("TS-PRES-001", PASS, SESSIONS, "name"),
    Case("TS-PRES-001", FAIL, SESSIONS, "name", absent=True),
    Case("TS-PRES-001", FAIL, SESSIONS, "name", extra=twin),
    Case("TS-PRES-001", UNKNOWN, SESSIONS, "name", absent=True, extra=unnamed,
         also=(("unknown", "TS-NAME-001", "(unnamed)", "name"),)),
    Case("TS-PRES-001", FAIL, SESSIONS, "name", absent=True, extra=elsewhere,
         also=(("unknown", "TS-NAME-001", "(unnamed)", "name"),)),
]


def test_a_table_there_under_another_environments_tag_is_named_with_its_tag(
        spec: Spec) -> None:
    from tests.rules.harness import run

    untold = replace(spec, pattern="{project}-{table}")  # the tag alone tells the environment
    there = replace(compliant(untold, untold.tables[SESSIONS], "prod"),
                    name="hypermage-vr-player-sessions", resource="aws_dynamodb_table.s",
                    tags={"Project": "p", "Owner": "o", "CostCenter": "c", "Environment": "dev"})
    (f,) = [f for f in run(untold, [there], "prod")
            if f.rule_id == "TS-PRES-001" and f.table == SESSIONS]
    assert (f.status, f.field, f.resource) == (FAIL, "name", "aws_dynamodb_table.s")
    assert f.message.startswith("hypermage-vr-player-sessions is in test "
                                "(aws_dynamodb_table.s), but its Environment tag says dev")
    assert f.actual == "hypermage-vr-player-sessions (Environment dev)"
    assert "no table named" not in f.message
