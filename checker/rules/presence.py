"""presence: every table in the spec exists in every environment checked."""

from __future__ import annotations

from checker.model import Severity
from checker.rules.base import Rule, Subject, Verdict, failed, passed


def _present(s: Subject) -> list[Verdict]:
    return [
        passed(
            f"{s.state.resource} declares this table",
            "table exists",
            s.state.resource,
            "name",
        )
    ]


def absent(physical_name: str, where: str) -> Verdict:
    """The verdict for a spec table the source does not have."""
    return failed(
        f"no table named {physical_name} in {where}; create it or restore its name",
        f"table {physical_name}",
        "absent",
        "name",
    )


PRESENT = Rule(
    id="TS-PRES-001",
    check="presence",
    severity=Severity.CRITICAL,
    title="Every table in the spec exists",
    why="A table the application expects but that is missing, renamed or being destroyed "
    "breaks the service and loses its data.",
    fix="Declare the table with the name the naming pattern gives, or stop destroying it.",
    example='resource "aws_dynamodb_table" "player_sessions" {\n'
    '  name = "hypermage-vr-player-sessions-prod"\n  # ...\n}',
    evaluate=_present,
)

RULES = [PRESENT]
