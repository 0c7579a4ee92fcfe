"""presence: every spec table exists, once."""

from __future__ import annotations

from dataclasses import replace

from checker.findings import Status
from checker.model import TableState
from checker.spec.model import Spec
from tests.builders import compliant
from tests.rules.harness import SESSIONS, Case

PASS, FAIL = Status.PASS, Status.FAIL
NEVER_UNKNOWN = {"TS-PRES-001"}  # a table is there or it is not


def twin(spec: Spec) -> TableState:
    """A second declaration of the sessions table."""
    return replace(compliant(spec, spec.tables[SESSIONS], "prod"), resource="aws_x.twin")


CASES = [
    Case("TS-PRES-001", PASS, SESSIONS, "name"),
    Case("TS-PRES-001", FAIL, SESSIONS, "name", absent=True),
    Case("TS-PRES-001", FAIL, SESSIONS, "name", extra=twin),
]
