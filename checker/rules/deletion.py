"""deletion_protection: deletion protection is on where the spec requires it."""

from __future__ import annotations

from checker.findings import Severity
from checker.rules.base import Rule, Subject, Verdict, decide, failed, passed
from checker.specfile.model import TableSpec


def _required(table: TableSpec, environment: str) -> bool:
    return environment in table.deletion_protection_required_in


def _protected(s: Subject) -> list[Verdict]:
    field = "deletion_protection_enabled"
    got = s.state.deletion_protection

    def judge(on: bool | None) -> Verdict:
        if not on:
            return failed(f"deletion protection is off in {s.environment}; turn "
                          "it on", "enabled", "disabled", field)
        return passed("deletion protection is on", "enabled", "enabled", field)

    return [decide(got, judge, "enabled", field)]


DELETION_PROTECTION = Rule(
    id="TS-DEL-001",
    check="deletion_protection",
    severity=Severity.MEDIUM,
    title="Deletion protection is on where the spec requires it",
    why="Without it one DeleteTable call, or a `terraform destroy` or rename, deletes the "
    "table and its data; with it, deletion needs a deliberate change first.",
    fix="Set deletion_protection_enabled = true (DeletionProtectionEnabled) in the "
    "environments the spec lists.",
    example="deletion_protection_enabled = true",
    evaluate=_protected,
    applies=_required,
)

RULES = [DELETION_PROTECTION]
