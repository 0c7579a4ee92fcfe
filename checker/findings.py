"""What a run says: findings with their status and severity, and the report's notes."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from checker.model import Location
from checker.unknown import Reason

__all__ = ["Finding", "Gate", "Note", "NoteKind", "Reason", "Severity", "Status", "Waived"]


class Status(StrEnum):
    """The verdict of one finding."""

    PASS = "pass"
    FAIL = "fail"
    UNKNOWN = "unknown"
    WAIVED = "waived"


class Severity(StrEnum):
    """How much a failing finding matters."""

    CRITICAL = "critical"
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def rank(self) -> int:
        """0 for low up to 3 for critical."""
        return _SEVERITY_RANK[self]


_SEVERITY_RANK: Final = {
    Severity.LOW: 0,
    Severity.MEDIUM: 1,
    Severity.HIGH: 2,
    Severity.CRITICAL: 3,
}


@dataclass(frozen=True, slots=True)
class Waived:
    """The waiver that waives a finding: who answers for it, until when, and why."""

    owner: str
    expires: str  # YYYY-MM-DD
    reason: str


@dataclass(slots=True)
class Finding:
    """One rule's verdict on one (table, environment), as the report carries it.

    Not frozen: a large plan makes tens of thousands, and frozen construction is ~4x slower.
    """

    rule_id: str
    check: str
    table: str
    environment: str
    resource: str
    location: Location | None
    status: Status
    severity: Severity
    message: str
    expected: str
    actual: str
    field: str = ""
    reason: Reason | None = None
    region: str | None = None  # the table's or the replica's region; None: not known
    replica: bool = False  # about a replica of a global table (not in the JSON report)
    waiver: Waived | None = None  # the waiver of a waived finding (None: inline skip)

    def placed(self, regions: bool = False) -> str:
        """`environment`, or `environment, region` for a replica (and for every finding
        with *regions*: a report that spans several regions)."""
        shown = self.region and (regions or self.replica)
        return f"{self.environment}, {self.region}" if shown else self.environment


class NoteKind(StrEnum):
    """What a report note is about, so that code downstream can tell notes apart."""

    STALE_WAIVER = "stale_waiver"  # a waiver or inline skip that matched no finding
    IGNORED_TABLES = "ignored_tables"  # tables outside the naming pattern, not checked
    OTHER_ENVIRONMENTS = "other_environments"  # tables of environments the run does not check
    OTHER_ROOTS = "other_roots"  # spec tables declared in roots the run was not given
    NOTHING_CHECKED = "nothing_checked"  # a place read that held no table of the spec
    TABLE_DELETED = "table_deleted"  # a table deleted while the audit read it
    NOT_SAMPLED = "not_sampled"  # TTL values not sampled (audit without --sample-items)
    NOT_AUDITED = "not_audited"  # an account the spec lists that the audit did not read
    NOT_READ = "not_read"  # an account or region that could not be read: its tables unknown
    OVERLAPPING = "overlapping_reports"  # merge: one account/region in several reports
    SOURCE = "source"  # how the source was read (e.g. a module evaluated through its callers)
    SECURITY_HUB = "security_hub"  # audit --security-hub: what was imported and archived
    SECURITY_HUB_FAILED = "security_hub_failed"  # findings that did not reach Security Hub


@dataclass(frozen=True, slots=True)
class Note:
    """Something the report says besides its findings."""

    kind: NoteKind
    message: str


@dataclass(frozen=True)
class Gate:
    """The exit policy: which findings fail a run."""

    fail_on: Severity | None = None  # only failures of this severity or above; None: any
    unknown_fails: bool = False  # audit: an unknown value means a missing permission or fault

    @classmethod
    def of(cls, fail_on: Severity | str | None = None, unknown_fails: bool = False) -> Gate:
        """The gate a run's options ask for (every command, the audit and its Lambdas build
        theirs here): failures at or above *fail_on* (a severity or its name; None: any)
        fail the run, and with *unknown_fails* unknown findings too."""
        return cls(Severity(fail_on) if isinstance(fail_on, str) else fail_on, unknown_fails)

    def failing(self, findings: list[Finding]) -> list[Finding]:
        """Findings that make the run fail (never a `not_evaluated` one: it follows a failure)."""
        return [f for f in findings if self._fails(f) and self._severe(f)]

    def below(self, findings: list[Finding]) -> list[Finding]:
        """Failures that do not fail the run because they are below `fail_on`."""
        return [f for f in findings if self._fails(f) and not self._severe(f)]

    def _fails(self, f: Finding) -> bool:
        if f.status is Status.FAIL:
            return True
        return (self.unknown_fails and f.status is Status.UNKNOWN
                and f.reason is not Reason.NOT_EVALUATED)

    def _severe(self, f: Finding) -> bool:
        return self.fail_on is None or f.severity.rank >= self.fail_on.rank
