"""ttl: TTL on the spec's attribute, and no TTL where data must persist."""

from __future__ import annotations

from checker.model import Severity, Unknown
from checker.rules.base import Rule, Subject, Verdict, failed, passed, show, unknown
from checker.spec.model import TableSpec


def _enabled(s: Subject) -> list[Verdict]:
    assert s.table.ttl is not None
    want = s.table.ttl.attribute
    expected = f"enabled on {want}"
    ttl = s.state.ttl
    if isinstance(ttl, Unknown):
        return [unknown(ttl, expected, "ttl")]
    if isinstance(ttl.enabled, Unknown):
        return [unknown(ttl.enabled, expected, "ttl.enabled")]
    if not ttl.enabled:
        return [failed(f"TTL is off; items never expire (enable it on {want})",
                       expected, "disabled", "ttl.enabled")]
    if isinstance(ttl.attribute, Unknown):
        return [unknown(ttl.attribute, expected, "ttl.attribute_name")]
    actual = f"enabled on {show(ttl.attribute)}"
    if ttl.attribute != want:
        return [failed(f"TTL reads {show(ttl.attribute)}, but items carry their expiry in {want}",
                       expected, actual, "ttl.attribute_name")]
    return [passed(f"TTL enabled on {want}", expected, actual, "ttl.attribute_name")]


def _absent(s: Subject) -> list[Verdict]:
    expected = "no TTL"
    ttl = s.state.ttl
    if isinstance(ttl, Unknown):
        return [unknown(ttl, expected, "ttl")]
    if isinstance(ttl.enabled, Unknown):
        return [unknown(ttl.enabled, expected, "ttl.enabled")]
    if ttl.enabled:
        actual = f"enabled on {show(ttl.attribute)}"
        return [failed("TTL is on for a table whose data must persist; remove the ttl block",
                       expected, actual, "ttl.enabled")]
    return [passed("no TTL: data persists", expected, "disabled", "ttl.enabled")]


def _wants_ttl(table: TableSpec, environment: str) -> bool:
    return table.ttl is not None


def _wants_none(table: TableSpec, environment: str) -> bool:
    return table.ttl is None


TTL_ENABLED = Rule(
    id="TS-TTL-001",
    check="ttl",
    severity=Severity.HIGH,
    title="TTL is enabled on the spec's attribute",
    why="With TTL off, or on an attribute the items do not carry, ephemeral data never "
    "expires: storage grows and retention promises are broken.",
    fix="Enable TTL on the attribute the spec names.",
    example='ttl {\n  enabled        = true\n  attribute_name = "ttl"\n}',
    evaluate=_enabled,
    applies=_wants_ttl,
)

TTL_ABSENT = Rule(
    id="TS-TTL-002",
    check="ttl",
    severity=Severity.CRITICAL,
    title="No TTL on tables whose data must persist",
    why="TTL deletes items for good; on a table of persistent records it silently destroys data.",
    fix="Remove the ttl block (or set enabled = false).",
    example="# no ttl block: items persist",
    evaluate=_absent,
    applies=_wants_none,
)

RULES = [TTL_ENABLED, TTL_ABSENT]
