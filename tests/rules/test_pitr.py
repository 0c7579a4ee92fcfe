"""pitr: point-in-time recovery where the spec requires it."""

from __future__ import annotations

from checker.findings import Status
from checker.model import Unknown
from tests.rules.harness import EVENTS, Case

PASS, FAIL, UNKNOWN = Status.PASS, Status.FAIL, Status.UNKNOWN
FIELD = "point_in_time_recovery.enabled"

CASES = [
    Case("TS-PITR-001", PASS, EVENTS, FIELD),
    Case("TS-PITR-001", FAIL, EVENTS, FIELD, {"pitr": False}),
    Case("TS-PITR-001", UNKNOWN, EVENTS, FIELD, {"pitr": Unknown("pitr known after apply")}),
    # not required in dev: off passes, unknown passes
    Case("TS-PITR-001", PASS, EVENTS, FIELD, {"pitr": False}, env="dev"),
    Case("TS-PITR-001", PASS, EVENTS, FIELD, {"pitr": Unknown("p")}, env="dev"),
]
