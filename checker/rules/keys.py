"""keys: hash and range key names and types match the spec."""

from __future__ import annotations

from checker.findings import Severity
from checker.model import Key
from checker.rules.base import Rule, Subject, Verdict, failed, passed, unknown
from checker.specfile.model import KeySpec
from checker.unknown import Maybe, Unknown


def compare_key(what: str, want: KeySpec | None, got: Maybe[Key | None], field: str) -> Verdict:
    """Verdict on one key (also used for GSI keys)."""
    expected = want.describe() if want else "no range key"
    if isinstance(got, Unknown):
        return unknown(got, expected, field)
    if got is None or want is None:
        if got is None and want is None:
            return passed(f"no {what}, as the spec says", expected, "none", field)
        actual = got.describe() if got else "none"
        return failed(f"{what} is {actual}, the spec says {expected}", expected, actual, field)
    for part in (got.name, got.type):
        if isinstance(part, Unknown):
            return unknown(part, expected, field)
    actual = got.describe()
    if got.name != want.name or got.type != want.type:
        return failed(f"{what} is {actual}, the spec says {expected}", expected, actual, field)
    return passed(f"{what} is {actual}", expected, actual, field)


def _hash(s: Subject) -> list[Verdict]:
    return [compare_key("hash key", s.table.hash_key, s.state.hash_key, "hash_key")]


def _range(s: Subject) -> list[Verdict]:
    return [compare_key("range key", s.table.range_key, s.state.range_key, "range_key")]


_WHY = (
    "Keys cannot change after a table is created: a wrong key name or type means "
    "recreating the table and migrating its data."
)

HASH_KEY = Rule(
    id="TS-KEY-001",
    check="keys",
    severity=Severity.CRITICAL,
    title="Hash key name and type match the spec",
    why=_WHY,
    fix="Set `hash_key` (KeySchema HASH) and declare its `attribute` (AttributeDefinitions) "
    "with the type the spec gives.",
    example='hash_key = "playerId"\n\nattribute {\n  name = "playerId"\n  type = "S"\n}',
    evaluate=_hash,
)

RANGE_KEY = Rule(
    id="TS-KEY-002",
    check="keys",
    severity=Severity.CRITICAL,
    title="Range key name and type match the spec",
    why=_WHY,
    fix="Set `range_key` (KeySchema RANGE), or leave it out when the spec has none, and "
    "declare its `attribute`.",
    example='range_key = "sessionId"\n\nattribute {\n  name = "sessionId"\n  type = "S"\n}',
    evaluate=_range,
)

RULES = [HASH_KEY, RANGE_KEY]
