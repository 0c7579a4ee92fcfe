"""pitr: point-in-time recovery where the spec requires it."""

from __future__ import annotations

from checker.findings import Severity
from checker.model import Unknown
from checker.rules.base import Rule, Subject, Verdict, decide, failed, passed


def _pitr(s: Subject) -> list[Verdict]:
    field = "point_in_time_recovery.enabled"
    required = s.environment in s.table.pitr_required_in
    pitr = s.state.pitr
    if not required:
        actual = "unknown" if isinstance(pitr, Unknown) else ("on" if pitr else "off")
        return [passed(f"PITR is not required in {s.environment} (it is {actual})",
                       "optional", actual, field)]

    def judge(on: bool) -> Verdict:
        if not on:
            return failed(f"PITR is off in {s.environment}; enable point_in_time_recovery",
                          "enabled", "disabled", field)
        return passed("PITR is on", "enabled", "enabled", field)

    return [decide(pitr, judge, "enabled", field)]


PITR = Rule(
    id="TS-PITR-001",
    check="pitr",
    severity=Severity.HIGH,
    title="Point-in-time recovery is on where the spec requires it",
    why="Without PITR a bad write or delete cannot be rolled back: continuous backups give "
    "35 days of restore points.",
    fix="Enable point_in_time_recovery in the environments the spec lists.",
    example="point_in_time_recovery {\n  enabled = true\n}",
    evaluate=_pitr,
)

RULES = [PITR]
