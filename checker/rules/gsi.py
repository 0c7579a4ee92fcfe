"""gsi: the spec's global secondary indexes exist with their keys and projection."""

from __future__ import annotations

from collections.abc import Callable

from checker.findings import Severity, Status
from checker.model import Gsi
from checker.rules.base import (
    Rule,
    Subject,
    Verdict,
    failed,
    not_evaluated,
    passed,
    show,
    unknown,
)
from checker.rules.keys import compare_key
from checker.specfile.model import GsiSpec, TableSpec
from checker.unknown import Unknown


def _index(s: Subject) -> dict[str, Gsi] | Unknown:
    gsis = s.state.gsis
    return gsis if isinstance(gsis, Unknown) else {g.name: g for g in gsis
                                                  if isinstance(g.name, str)}


def _unnamed(s: Subject) -> Unknown | None:
    """The name of an index whose name is not known (it may be any index), if there is one."""
    gsis = s.state.gsis
    if isinstance(gsis, Unknown):
        return gsis
    return next((g.name for g in gsis if isinstance(g.name, Unknown)), None)


Found = Gsi | None | Unknown  # the index as the source has it: None when absent


def _each_required(s: Subject, judge: Callable[[GsiSpec, Found, str], Verdict]
                   ) -> list[Verdict]:
    """*judge* on every index the spec requires."""
    found = _index(s)
    unnamed = _unnamed(s)
    return [judge(want, found if isinstance(found, Unknown) else found.get(want.name, unnamed),
                  f"global_secondary_index.{want.name}") for want in s.table.gsis]


def _missing(want: GsiSpec, got: Unknown | None, expected: str, field: str) -> Verdict:
    """The verdict when there is no index to judge (its absence is TS-GSI-001's to report)."""
    if got is None:
        return not_evaluated(f"index {want.name} is absent", expected, "absent", field)
    return unknown(got, expected, field)


def _exists(want: GsiSpec, got: Found, field: str) -> Verdict:
    expected = f"index {want.name}"
    if isinstance(got, Unknown):
        return unknown(got, expected, field)
    if got is None:
        return failed(f"index {want.name} is missing; add it", expected, "absent", field)
    return passed(f"index {want.name} exists", expected, "present", field)


def _keys(want: GsiSpec, got: Found, field: str) -> Verdict:
    rng = want.range_key.describe() if want.range_key else "no range key"
    expected = f"hash {want.hash_key.describe()}, range {rng}"
    if got is None or isinstance(got, Unknown):
        return _missing(want, got, expected, field)
    for what, w, g, sub in (
        ("hash key", want.hash_key, got.hash_key, "hash_key"),
        ("range key", want.range_key, got.range_key, "range_key"),
    ):
        v = compare_key(f"{want.name} {what}", w, g, f"{field}.{sub}")
        if v.status is not Status.PASS:
            return v
    return passed(f"index {want.name} keys match", expected, expected, field)


def _projection(want: GsiSpec, got: Found, field: str) -> Verdict:
    extra = f" ({show(want.non_key_attributes)})" if want.projection == "INCLUDE" else ""
    expected = want.projection + extra
    if got is None or isinstance(got, Unknown):
        return _missing(want, got, expected, field)
    field = f"{field}.projection_type"
    for part in (got.projection, got.non_key_attributes):
        if isinstance(part, Unknown):
            return unknown(part, expected, field)
    actual = str(got.projection)
    if got.projection == "INCLUDE":
        actual += f" ({show(got.non_key_attributes)})"
    same_attrs = want.projection != "INCLUDE" or set(want.non_key_attributes) == set(
        got.non_key_attributes if isinstance(got.non_key_attributes, tuple) else ()
    )
    if got.projection != want.projection or not same_attrs:
        return failed(f"index {want.name} projects {actual}, the spec says {expected}; "
                      "changing a projection recreates the index", expected, actual, field)
    return passed(f"index {want.name} projects {actual}", expected, actual, field)


def _extra(s: Subject) -> list[Verdict]:
    found = _index(s)
    field = "global_secondary_index"
    named = {g.name for g in s.table.gsis}
    expected = ", ".join(sorted(named)) or "no other index"
    if isinstance(found, Unknown):
        return [unknown(found, expected, field)]
    extra = sorted(set(found) - named)
    unnamed = _unnamed(s)
    if not extra and unnamed is not None:
        return [unknown(unnamed, expected, field)]
    if not extra:
        return [passed("no index beyond the spec", expected, expected, field)]
    return [
        failed(f"index {name} is not in the spec; add it to the spec or remove it",
               expected, name, f"{field}.{name}")
        for name in extra
    ]


def _has_gsis(table: TableSpec, environment: str) -> bool:
    return bool(table.gsis)


_EXAMPLE = (
    'global_secondary_index {\n  name            = "PlayerIdIndex"\n'
    '  hash_key        = "playerId"\n'
    '  range_key       = "timestamp"\n  projection_type = "ALL"\n}'
)

GSI_EXISTS = Rule(
    id="TS-GSI-001", check="gsi", severity=Severity.HIGH,
    title="Every index in the spec exists",
    why="Queries that use a missing index fail at run time.",
    fix="Add the global_secondary_index (GlobalSecondaryIndexes) the spec describes.",
    example=_EXAMPLE, evaluate=lambda s: _each_required(s, _exists), applies=_has_gsis,
)
GSI_KEYS = Rule(
    id="TS-GSI-002", check="gsi", severity=Severity.HIGH,
    title="Index keys match the spec",
    why="An index with other keys does not serve the access pattern it exists for.",
    fix="Set the index's hash_key and range_key (KeySchema) as the spec says, with their "
    "attribute types.",
    example=_EXAMPLE, evaluate=lambda s: _each_required(s, _keys), applies=_has_gsis,
)
GSI_PROJECTION = Rule(
    id="TS-GSI-003", check="gsi", severity=Severity.MEDIUM,
    title="Index projection matches the spec",
    why="A narrower projection makes queries fetch from the base table; a wider one costs "
    "storage and write capacity.",
    fix="Set projection_type and non_key_attributes (Projection) as the spec says.",
    example=_EXAMPLE, evaluate=lambda s: _each_required(s, _projection), applies=_has_gsis,
)
GSI_EXTRA = Rule(
    id="TS-GSI-004", check="gsi", severity=Severity.LOW,
    title="No index beyond the spec",
    why="Every index doubles writes for the attributes it projects; one nobody specified "
    "is cost without an owner.",
    fix="Add the index to the spec if it is needed, or remove it.",
    example="# only the indexes the spec names",
    evaluate=_extra,
)

RULES = [GSI_EXISTS, GSI_KEYS, GSI_PROJECTION, GSI_EXTRA]
