"""What a rule is, what it is given, and what it returns."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import TypeVar

from checker.findings import Reason, Severity, Status
from checker.model import Location, TableState
from checker.naming.placement import Place
from checker.specfile.model import Spec, TableSpec
from checker.unknown import Maybe, Unknown

T = TypeVar("T")


@dataclass(frozen=True)
class Subject:
    """One spec table in one environment, and the state a source found for it.

    *duplicates* are further states that claim the same table and environment.
    """

    spec: Spec
    table: TableSpec
    environment: str
    state: TableState
    duplicates: tuple[TableState, ...] = ()
    # What a rule works out once and other rules of its family reuse (every rule of one
    # table is asked about the same Subject).
    memo: dict[object, object] = field(default_factory=dict, compare=False, repr=False)


@dataclass(frozen=True)
class Absence:
    """One spec table in one environment that the source does not hold."""

    spec: Spec
    table: TableSpec
    environment: str
    name: str  # the name the table should have there
    where: str  # what was read: a plan file, a directory, an account/region
    # Tables this place holds that no spec table claims: a rename may hide among them.
    strays: tuple[TableState, ...] = ()


@dataclass(frozen=True)
class Stray:
    """A table the source holds that no spec table claims in the run's environment: not in
    the spec, its name unknown, its environment untold, or another than the run's."""

    spec: Spec
    environment: str  # the run's environment ("(unknown)" when nothing tells it)
    state: TableState
    place: Place  # what the table itself tells: its logical table, its environment, how

    @property
    def logical(self) -> str | None:
        """The {table} part of its name; None when the name is not known."""
        return self.place.logical


@dataclass(frozen=True)
class Unread:
    """A place the source could not read at all (an account whose role cannot be assumed, a
    region whose tables cannot be listed): nothing is known of its tables."""

    where: str  # `account/region`
    environment: str  # its environment, or "(unknown)"
    reason: Unknown  # why it could not be read


@dataclass(slots=True)
class Verdict:
    """A rule's answer before the engine adds table, environment and rule metadata."""

    status: Status
    message: str
    expected: str
    actual: str
    field: str = ""
    resource: str | None = None
    location: Location | None = None
    reason: Reason | None = None


def passed(message: str, expected: str, actual: str, field: str = "",
           resource: str | None = None, location: Location | None = None) -> Verdict:
    """A passing verdict."""
    return Verdict(Status.PASS, message, expected, actual, field, resource, location)


def failed(message: str, expected: str, actual: str, field: str = "",
           resource: str | None = None, location: Location | None = None) -> Verdict:
    """A failing verdict."""
    return Verdict(Status.FAIL, message, expected, actual, field, resource, location)


def unknown(reason: Unknown | str, expected: str, field: str = "",
            resource: str | None = None, location: Location | None = None) -> Verdict:
    """A verdict that cannot be given: *reason* says why (its kind becomes the finding's)."""
    why = reason.reason if isinstance(reason, Unknown) else reason
    kind = reason.kind if isinstance(reason, Unknown) else Reason.UNKNOWN_VALUE
    return Verdict(Status.UNKNOWN, f"cannot tell: {why}", expected, "unknown", field,
                   resource, location, kind)


def decide(value: Maybe[T], judge: Callable[[T], Verdict], expected: str, field: str
           ) -> Verdict:
    """*judge* on *value*; on an Unknown that can only be one of a few values, the verdict
    every one of them gives, when they agree on pass or fail; else unknown, naming what
    would decide it."""
    if not isinstance(value, Unknown):
        return judge(value)
    if value.possible and not any(isinstance(v, Unknown) for v in value.possible):
        verdicts = [judge(v) for v in value.possible]  # type: ignore[arg-type]
        first = verdicts[0]
        if first.status in (Status.PASS, Status.FAIL) and all(
                v.status is first.status for v in verdicts):
            either = " or ".join(dict.fromkeys(show(v) for v in value.possible))
            return replace(first, message=f"{first.message} (whichever it is of {either}: "
                           f"{value.reason})", actual=f"one of {either}")
    return unknown(value, expected, field)


def not_evaluated(message: str, expected: str, actual: str, field: str = "",
                  resource: str | None = None, location: Location | None = None) -> Verdict:
    """Nothing to judge, because what the rule judges is absent (reported once elsewhere)."""
    return Verdict(Status.UNKNOWN, f"not evaluated: {message}", expected, actual, field,
                   resource, location, Reason.NOT_EVALUATED)


def absent_table(a: Absence) -> list[Verdict]:
    """The default for an absent table: not evaluated (its absence is presence's to report)."""
    return [not_evaluated("the table is absent", "table present", "absent")]


def crashed(rule_id: str, err: BaseException) -> Verdict:
    """The verdict standing in for a rule that raised: a bug in tablespec, not in the input."""
    return Verdict(Status.UNKNOWN, f"rule {rule_id} failed: {type(err).__name__}: {err}; "
                   "this is a bug in tablespec", "a verdict", "none", reason=Reason.RULE_ERROR)


def always(table: TableSpec, environment: str) -> bool:
    """Applies to every table in every environment."""
    return True


@dataclass(frozen=True)
class Rule:
    """A check written once against Spec and TableState.

    *evaluate* judges a table the source holds. *when_absent* answers for a spec table the
    source lacks (default: not evaluated); *when_stray*, when set, judges tables no spec
    table claims; *when_unread*, when set, answers for a place that could not be read.
    """

    id: str
    check: str
    severity: Severity
    title: str
    why: str
    fix: str
    example: str
    evaluate: Callable[[Subject], list[Verdict]]
    applies: Callable[[TableSpec, str], bool] = always
    when_absent: Callable[[Absence], list[Verdict]] = absent_table
    when_stray: Callable[[Stray], list[Verdict]] | None = None
    when_unread: Callable[[Unread], list[Verdict]] | None = None


def show(value: object) -> str:
    """A value as reports print it."""
    if isinstance(value, Unknown):
        return "unknown"
    if value is None:
        return "none"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, tuple | list):
        return ", ".join(show(v) for v in value) or "none"
    return str(value)
