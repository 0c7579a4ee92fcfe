"""What a rule is, what it is given, and what it returns."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from checker.model import Location, Severity, Status, TableState, Unknown
from checker.spec.model import Spec, TableSpec

CHECKS = (
    "presence",
    "keys",
    "ttl",
    "encryption",
    "pitr",
    "gsi",
    "alarms",
    "billing",
    "tags",
    "naming",
)


@dataclass(frozen=True)
class Subject:
    """One spec table in one environment, and the state a source found for it."""

    spec: Spec
    table: TableSpec
    environment: str
    state: TableState


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
    """A verdict that cannot be given: *reason* says why."""
    why = reason.reason if isinstance(reason, Unknown) else reason
    return Verdict(Status.UNKNOWN, f"cannot tell: {why}", expected, "unknown", field,
                   resource, location)


def always(table: TableSpec, environment: str) -> bool:
    """Applies to every table in every environment."""
    return True


@dataclass(frozen=True)
class Rule:
    """A check written once against Spec and TableState."""

    id: str
    check: str
    severity: Severity
    title: str
    why: str
    fix: str
    example: str
    evaluate: Callable[[Subject], list[Verdict]]
    applies: Callable[[TableSpec, str], bool] = always

    def __post_init__(self) -> None:
        if self.check not in CHECKS:
            raise ValueError(f"{self.id}: unknown check family {self.check!r}")


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
