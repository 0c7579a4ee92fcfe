"""pitr: point-in-time recovery where the spec requires it."""

from __future__ import annotations

from checker.findings import Reason, Status
from checker.specfile.model import Spec
from checker.unknown import Unknown
from tests.rules.harness import EVENTS, Case, run, states, with_tables

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

PERIOD = "point_in_time_recovery.recovery_period_in_days"


def thirty_days(spec: Spec) -> Spec:
    """PITR in prod keeping at least 30 days."""
    return with_tables(spec, pitr_min_recovery_days=30)


CASES += [
    Case("TS-PITR-002", PASS, EVENTS, PERIOD, spec=thirty_days),  # unset: AWS's 35
    Case("TS-PITR-002", FAIL, EVENTS, PERIOD, {"pitr_recovery_days": 7}, spec=thirty_days),
    Case("TS-PITR-002", UNKNOWN, EVENTS, PERIOD,
         {"pitr_recovery_days": Unknown("recovery_period_in_days known after apply")},
         spec=thirty_days),
    Case("TS-PITR-002", FAIL, EVENTS, PERIOD, {"pitr_recovery_days": Unknown(
        "recovery_period_in_days is var.days", possible=(7, 14))}, spec=thirty_days),
]


def test_the_period_is_not_judged_where_pitr_is_off_or_not_required(spec: Spec) -> None:
    off = run(thirty_days(spec), states(spec, **{EVENTS: {"pitr": False,
                                                          "pitr_recovery_days": None}}))
    (period,) = [f for f in off if f.rule_id == "TS-PITR-002" and f.table == EVENTS]
    assert (period.status, period.reason, period.field) == (
        UNKNOWN, Reason.NOT_EVALUATED, PERIOD)
    dev = run(thirty_days(spec), states(spec, "dev", **{EVENTS: {"pitr_recovery_days": 1}}),
              "dev")
    assert not [f for f in dev if f.rule_id == "TS-PITR-002"]
    assert not [f for f in run(spec, states(spec)) if f.rule_id == "TS-PITR-002"]
