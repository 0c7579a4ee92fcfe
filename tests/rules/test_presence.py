"""presence: every spec table exists, once."""

from __future__ import annotations

from dataclasses import replace

from checker.findings import Status
from checker.model import TableState, Unknown
from checker.spec.model import Spec
from tests.builders import compliant
from tests.rules.harness import SESSIONS, Case

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
