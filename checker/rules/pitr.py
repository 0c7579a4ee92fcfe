"""pitr: point-in-time recovery where the spec requires it."""

from __future__ import annotations

from checker.findings import Severity
from checker.rules.base import Rule, Subject, Verdict, decide, failed, not_evaluated, passed
from checker.specfile.model import TableSpec
from checker.unknown import Unknown


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
            return failed(f"PITR is off in {s.environment}; enable point-in-time recovery",
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
    fix="Enable point_in_time_recovery (PointInTimeRecoverySpecification) in the "
    "environments the spec lists.",
    example="point_in_time_recovery {\n  enabled = true\n}",
    evaluate=_pitr,
)


def _period_judged(table: TableSpec, environment: str) -> bool:
    return table.pitr_min_recovery_days is not None and environment in table.pitr_required_in


def _period(s: Subject) -> list[Verdict]:
    field = "point_in_time_recovery.recovery_period_in_days"
    least = s.table.pitr_min_recovery_days
    expected = f"at least {least} days"

    def judge(days: int | None) -> Verdict:
        if days is None:
            return not_evaluated("PITR is off (TS-PITR-001)", expected, "PITR off", field)
        if least is not None and days < least:
            return failed(f"PITR keeps {days} days of restore points; the spec asks for at "
                          f"least {least}: set recovery_period_in_days = {least} or more",
                          expected, f"{days} days", field)
        return passed(f"PITR keeps {days} days of restore points", expected, f"{days} days",
                      field)

    return [decide(s.state.pitr_recovery_days, judge, expected, field)]


PITR_PERIOD = Rule(
    id="TS-PITR-002",
    check="pitr",
    severity=Severity.MEDIUM,
    title="Point-in-time recovery keeps restore points as long as the spec asks",
    why="PITR restores to any second of its recovery period only: a shorter period (settable "
    "since 2025, 1 to 35 days) can leave a bad write found late beyond reach.",
    fix="Set point_in_time_recovery.recovery_period_in_days (RecoveryPeriodInDays) to the "
    "spec's minimum or more, or leave it unset (35 days).",
    example="point_in_time_recovery {\n  enabled                 = true\n"
    "  recovery_period_in_days = 35\n}",
    evaluate=_period,
    applies=_period_judged,
)

RULES = [PITR, PITR_PERIOD]
