"""ttl: TTL on the spec's attribute, no TTL where data must persist, and sampled TTL values
that really expire items (`audit --sample-items`).

A TTL can be enabled on the right attribute while nothing ever expires: the attribute is
missing, a string, in milliseconds, or set further ahead than the data's lifetime.
"""

from __future__ import annotations

from collections.abc import Callable

from checker.findings import Severity
from checker.model import TtlKind, TtlSample, TtlSamples
from checker.rules.base import (
    Absence,
    Rule,
    Subject,
    Verdict,
    decide,
    failed,
    passed,
    show,
    unknown,
)
from checker.specfile.model import TableSpec, TtlSpec
from checker.unknown import Unknown

FIVE_YEARS = 5 * 365 * 24 * 3600  # DynamoDB does not delete items whose TTL is older than this
SHOWN = 3


def _wants_ttl(table: TableSpec, environment: str) -> bool:
    return table.ttl is not None


def _wants_none(table: TableSpec, environment: str) -> bool:
    return table.ttl is None


def _enabled(s: Subject) -> list[Verdict]:
    assert s.table.ttl is not None
    want = s.table.ttl.attribute
    expected = f"enabled on {want}"
    ttl = s.state.ttl
    if isinstance(ttl, Unknown):
        return [unknown(ttl, expected, "ttl")]

    def on_attribute(attribute: str | None) -> Verdict:
        actual = f"enabled on {show(attribute)}"
        if attribute != want:
            return failed(f"TTL reads {show(attribute)}, but items carry their expiry in {want}",
                          expected, actual, "ttl.attribute_name")
        return passed(f"TTL enabled on {want}", expected, actual, "ttl.attribute_name")

    def judge(enabled: bool) -> Verdict:
        if not enabled:
            return failed(f"TTL is off; items never expire (enable it on {want})",
                          expected, "disabled", "ttl.enabled")
        return decide(ttl.attribute, on_attribute, expected, "ttl.attribute_name")

    return [decide(ttl.enabled, judge, expected, "ttl.enabled")]


def _absent(s: Subject) -> list[Verdict]:
    expected = "no TTL"
    ttl = s.state.ttl
    if isinstance(ttl, Unknown):
        return [unknown(ttl, expected, "ttl")]

    def judge(enabled: bool) -> Verdict:
        if enabled:
            return failed("TTL is on for a table whose data must persist; disable TTL",
                          expected, f"enabled on {show(ttl.attribute)}", "ttl.enabled")
        return passed("no TTL: data persists", expected, "disabled", "ttl.enabled")

    return [decide(ttl.enabled, judge, expected, "ttl.enabled")]


# A test on one sampled item: (item, the samples it came in, the spec's TTL) -> bad?
_Test = Callable[[TtlSample, TtlSamples, TtlSpec], bool]


def _horizon(spec: TtlSpec) -> float | None:
    if spec.horizon_hours is None:
        return None
    return (spec.horizon_hours + spec.slack_hours) * 3600


def _past(s: TtlSample, samples: TtlSamples, spec: TtlSpec) -> bool:
    return s.epoch is not None and s.epoch < samples.taken_at - FIVE_YEARS


def _too_far(s: TtlSample, samples: TtlSamples, spec: TtlSpec) -> bool:
    horizon = _horizon(spec)
    return s.epoch is not None and horizon is not None and s.epoch > samples.taken_at + horizon


_CHECKS: tuple[tuple[str, str, _Test], ...] = (
    ("missing", "have no TTL attribute, so they never expire",
     lambda s, _, __: s.kind is TtlKind.MISSING),
    ("type", "hold a TTL that is not a Number, so they never expire",
     lambda s, _, __: s.kind is TtlKind.WRONG_TYPE),
    ("milliseconds", "hold a TTL in milliseconds (or finer), so they never expire",
     lambda s, _, __: s.kind is TtlKind.MILLISECONDS),
    ("past", "hold a TTL more than five years in the past, which DynamoDB ignores", _past),
    ("horizon", "expire later than the spec's horizon allows", _too_far),
)


def _nothing_sampled(a: Absence) -> list[Verdict]:
    return []  # no items to read from a table that is not there; TS-TTL-001 says so once


def _expected(spec: TtlSpec) -> str:
    limit = _horizon(spec)
    ahead = f", at most {show(limit / 3600)}h ahead" if limit is not None else ""
    return f"{spec.attribute}: a Number, epoch seconds{ahead}"


def _values(s: Subject) -> list[Verdict]:
    assert s.table.ttl is not None
    spec = s.table.ttl
    samples = s.state.ttl_samples
    expected = _expected(spec)
    if samples is None:
        return []  # not sampled: TS-TTL-001 already reports the ttl check for this table
    if isinstance(samples, Unknown):
        return [unknown(samples, expected, "ttl.values")]
    n = len(samples.items)
    if n == 0:
        return [passed("no items to sample", expected, "no items", "ttl.values")]
    out = []
    for suffix, problem, test in _CHECKS:
        bad = [item for item in samples.items if test(item, samples, spec)]
        if bad:
            shown = "; ".join(f"{b.key or '(no key)'}: {b.shown}" for b in bad[:SHOWN])
            more = f" (and {len(bad) - SHOWN} more)" if len(bad) > SHOWN else ""
            out.append(failed(f"{len(bad)} of {n} sampled items {problem}: {shown}{more}",
                              expected, f"{len(bad)} of {n}: {shown}{more}",
                              f"ttl.values.{suffix}"))
    if not out:
        out.append(passed(f"all {n} sampled items expire within the horizon", expected,
                          f"{n} of {n} good", "ttl.values"))
    return out


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
    fix="Remove the ttl block (TimeToLiveSpecification), or disable it.",
    example="# no ttl block: items persist",
    evaluate=_absent,
    applies=_wants_none,
)

TTL_VALUES = Rule(
    id="TS-TTL-003",
    check="ttl",
    severity=Severity.HIGH,
    title="Sampled items carry TTL values that expire them",
    why="TTL only deletes items whose attribute is a Number of epoch seconds within the last "
    "five years; a missing, string or millisecond value, or one far beyond the data's "
    "lifetime, keeps the item for good while the table looks correctly configured.",
    fix="Write the TTL attribute as a Number of epoch seconds, no later than the spec's "
    "horizon; backfill the items the audit lists.",
    example="# The items' TTL attribute, written by the application (not Terraform):\n"
    "#   ttl = 1767225600      Number, epoch seconds: expires\n"
    "#   ttl = 1767225600000   milliseconds: never expires\n"
    '#   ttl = "1767225600"    a String: never expires',
    evaluate=_values,
    applies=_wants_ttl,
    when_absent=_nothing_sampled,
)

RULES = [TTL_ENABLED, TTL_ABSENT, TTL_VALUES]
