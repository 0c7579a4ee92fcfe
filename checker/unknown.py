"""What tablespec says where a value cannot be known: `Unknown` (with its `Reason`, and the
`Origin` of a value that is a resource's attribute), and the helpers every source, rule and
report share to make and recognise one."""

from __future__ import annotations

from enum import StrEnum
from typing import Final, NamedTuple, TypeAlias, TypeGuard, TypeVar

T = TypeVar("T")


class Reason(StrEnum):
    """Why a finding is not a plain pass or fail."""

    NOT_EVALUATED = "not_evaluated"  # nothing to judge: the table (or alarm) is absent
    UNKNOWN_VALUE = "unknown_value"  # the value is decided at apply, or unresolved
    INVALID_VALUE = "invalid_value"  # the value is not of the type the schema says
    ACCESS_DENIED = "access_denied"  # reading the value was refused
    API_ERROR = "api_error"  # the call failed after its retries (a reset, a server error)
    TIMEOUT = "timeout"  # the call, or the run's deadline, ran out of time
    MALFORMED = "malformed_response"  # the answer is not the documented shape (or never ends)
    RULE_ERROR = "rule_error"  # the rule itself failed: a bug in tablespec


class Origin(NamedTuple):
    """Which resource (or data source) attribute a value is, e.g. an aws_kms_key's arn."""

    type: str  # "aws_kms_key", "data.aws_kms_alias", ...
    address: str  # the instance address, e.g. `module.m.aws_kms_key.k`
    attr: str
    aws_managed: bool = False  # an AWS managed KMS key (alias/aws/...) by construction


class Unknown:
    """A value the source cannot know: the one spelling of "not known" in tablespec.

    *reason* says why and where (the expression and its file:line, the plan attribute, the
    API call); *kind* is the finding's reason. What is known of the value rides along:
    *parts*, for a string known in part (literal text, None where a part is unknown);
    *origin*, the resource attribute the value is; *possible*, the values it can only be
    one of (a rule whose verdict is the same for each of them gives that verdict);
    *decoded*, for JSON text known in part (a `jsonencode()` or policy document of values
    known only in part): the value before encoding, with Unknown leaves.
    """

    __slots__ = ("decoded", "kind", "origin", "parts", "possible", "reason")

    def __init__(self, reason: str, kind: Reason = Reason.UNKNOWN_VALUE, *,
                 parts: tuple[str | None, ...] | None = None, origin: Origin | None = None,
                 possible: tuple[object, ...] | None = None,
                 decoded: object | None = None) -> None:
        self.reason = reason
        self.kind = kind
        self.parts = parts
        self.origin = origin
        self.possible = possible
        self.decoded = decoded

    def __repr__(self) -> str:
        extra = "".join(f", {k}={getattr(self, k)!r}" for k in (
            "parts", "origin", "possible", "decoded") if getattr(self, k) is not None)
        return f"Unknown({self.reason!r}{extra})"

    def __str__(self) -> str:
        """What a message shows: the known parts of a partly known string (`…` where a
        part is not known), else that it is not known."""
        if self.parts:
            return "".join("…" if p is None else p for p in self.parts)
        return "(not known)"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Unknown) and other.reason == self.reason

    def __hash__(self) -> int:
        return hash(("Unknown", self.reason))

    def but(self, reason: str | None = None, **known: object) -> Unknown:
        """A copy with another reason and/or what else is known (`origin=`, `possible=`,
        `parts=`, `decoded=`)."""
        return Unknown(reason if reason is not None else self.reason, self.kind,
                       parts=known.get("parts", self.parts),  # type: ignore[arg-type]
                       origin=known.get("origin", self.origin),  # type: ignore[arg-type]
                       possible=known.get("possible", self.possible),  # type: ignore[arg-type]
                       decoded=known.get("decoded", self.decoded))


def invalid(reason: str) -> Unknown:
    """A value that is not of the type its schema says: unknown, never taken as "on"."""
    return Unknown(reason, Reason.INVALID_VALUE)


# A value of type T, or an explicit Unknown.
Maybe: TypeAlias = T | Unknown
# A setting a source does not read (a state built before the setting was added to it)
NOT_READ: Final = Unknown("this source does not read this setting")


def is_unknown(value: object) -> TypeGuard[Unknown]:
    """True when *value* is an explicit Unknown."""
    return isinstance(value, Unknown)
