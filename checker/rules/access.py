"""access: every account and region the run covers could be read.

It judges no table: it answers, once per place, for an account or region that could not be
read at all (a role that cannot be assumed, ListTables denied by a policy or an SCP, a region
not enabled, a shard of a fan-out that left no report). Its tables are then unknown, and
this one finding says why, instead of one unknown per table and rule.
"""

from __future__ import annotations

from checker.findings import Severity
from checker.rules.base import Rule, Subject, Unread, Verdict, unknown
from checker.specfile.model import TableSpec

EXPECTED = "the account and region readable"


def _tables(table: TableSpec, environment: str) -> bool:
    return False  # never about one table


def _none(s: Subject) -> list[Verdict]:
    return []


def _unread(u: Unread) -> list[Verdict]:
    return [unknown(u.reason, EXPECTED)]


ACCESS = Rule(
    id="TS-ACCESS-001",
    check="access",
    severity=Severity.HIGH,
    title="Every account and region in scope can be read",
    why="A place the audit cannot read could hold any drift: its tables are unknown, and a "
    "report that left it out would pass on missing data.",
    fix="Deploy the audit role to the account (trusting the auditing identity, with the "
    "`tablespec permissions` policy), or allow the region for it; exclude the account "
    "(--exclude-account) only if it must not be audited.",
    example='resource "aws_iam_role" "tablespec_audit" {\n'
    '  name               = "tablespec-audit"\n'
    "  assume_role_policy = data.aws_iam_policy_document.trust_hub.json\n}",
    evaluate=_none,
    applies=_tables,
    when_unread=_unread,
)

RULES = [ACCESS]
