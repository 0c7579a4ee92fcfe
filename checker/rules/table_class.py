"""table_class: the table class is one the spec allows."""

from __future__ import annotations

from checker.findings import Severity
from checker.rules.base import Rule, Subject, Verdict, decide, failed, passed
from checker.specfile.model import TableSpec

FIELD = "table_class"


def _judged(table: TableSpec, environment: str) -> bool:
    return table.table_classes is not None


def _table_class(s: Subject) -> list[Verdict]:
    allowed = s.table.table_classes or ()
    expected = " or ".join(allowed)

    def judge(found: str) -> Verdict:
        if found not in allowed:
            return failed(f"the table class is {found}; the spec allows {expected}",
                          expected, found, FIELD)
        return passed(f"the table class is {found}", expected, found, FIELD)

    return [decide(s.state.table_class, judge, expected, FIELD)]


TABLE_CLASS = Rule(
    id="TS-CLASS-001",
    check="table_class",
    severity=Severity.LOW,
    title="The table class is one the spec allows",
    why="STANDARD_INFREQUENT_ACCESS halves storage cost but raises the cost of every read and "
    "write: a table on the wrong class pays for the other pattern.",
    fix="Set table_class (TableClass) to a class the spec allows.",
    example='table_class = "STANDARD"',
    evaluate=_table_class,
    applies=_judged,
)

RULES = [TABLE_CLASS]
