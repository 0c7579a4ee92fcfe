"""ttl: sampled items carry TTL values that will expire them (`audit --sample-items`).

A TTL can be enabled on the right attribute while nothing ever expires: the attribute is
missing, a string, in milliseconds, or set further ahead than the data's lifetime.
"""

from __future__ import annotations

from collections.abc import Callable

from checker.model import Severity, TtlSample, TtlSamples, Unknown
from checker.rules.base import Rule, Subject, Verdict, failed, passed, show, unknown
from checker.spec.model import TableSpec, TtlSpec

MILLIS = 10**11  # epoch seconds reach this in the year 5138; epoch milliseconds passed it in 1973
FIVE_YEARS = 5 * 365 * 24 * 3600  # DynamoDB does not delete items whose TTL is older than this
SHOWN = 3

# A test on one sampled item: (item, the samples it came in, the spec's TTL) -> bad?
_Test = Callable[[TtlSample, TtlSamples, TtlSpec], bool]


def _number(s: TtlSample) -> float | None:
    try:
        return float(s.value) if s.type == "N" and s.value is not None else None
    except ValueError:
        return None


def _horizon(spec: TtlSpec) -> float | None:
    if spec.horizon_hours is None:
        return None
    return (spec.horizon_hours + spec.slack_hours) * 3600


def _too_far(s: TtlSample, samples: TtlSamples, spec: TtlSpec) -> bool:
    value, horizon = _number(s), _horizon(spec)
    return (value is not None and horizon is not None and value < MILLIS
            and value > samples.taken_at + horizon)


_CHECKS: tuple[tuple[str, str, _Test], ...] = (
    ("missing", "have no TTL attribute, so they never expire",
     lambda s, _, __: s.type is None),
    ("type", "hold a TTL that is not a Number, so they never expire",
     lambda s, _, __: s.type is not None and s.type != "N"),
    ("milliseconds", "hold a TTL in milliseconds (or finer), so they never expire",
     lambda s, _, __: (_number(s) or 0) >= MILLIS),
    ("past", "hold a TTL more than five years in the past, which DynamoDB ignores",
     lambda s, samples, __: (v := _number(s)) is not None and v < samples.taken_at - FIVE_YEARS),
    ("horizon", "expire later than the spec's horizon allows", _too_far),
)


def _expected(spec: TtlSpec) -> str:
    limit = _horizon(spec)
    ahead = f", at most {show(limit / 3600)}h ahead" if limit is not None else ""
    return f"{spec.attribute}: a Number, epoch seconds{ahead}"


def _example(s: TtlSample) -> str:
    got = "missing" if s.type is None else f"{s.type} {s.value}"
    return f"{s.key or '(no key)'}: {got}"


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
            shown = "; ".join(_example(b) for b in bad[:SHOWN])
            more = f" (and {len(bad) - SHOWN} more)" if len(bad) > SHOWN else ""
            out.append(failed(f"{len(bad)} of {n} sampled items {problem}: {shown}{more}",
                              expected, f"{len(bad)} of {n}: {shown}{more}",
                              f"ttl.values.{suffix}"))
    if not out:
        out.append(passed(f"all {n} sampled items expire within the horizon", expected,
                          f"{n} of {n} good", "ttl.values"))
    return out


def _wants_ttl(table: TableSpec, environment: str) -> bool:
    return table.ttl is not None


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
)

RULES = [TTL_VALUES]
