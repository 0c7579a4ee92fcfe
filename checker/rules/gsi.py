"""gsi: the spec's global secondary indexes exist with their keys and projection."""

from __future__ import annotations

from checker.model import Gsi, Severity, Unknown
from checker.rules.base import Rule, Subject, Verdict, failed, passed, show, unknown
from checker.rules.keys import compare_key
from checker.spec.model import GsiSpec


def _index(s: Subject) -> dict[str, Gsi] | Unknown:
    gsis = s.state.gsis
    return gsis if isinstance(gsis, Unknown) else {g.name: g for g in gsis}


def _each_required(s: Subject, judge: type[_Judge]) -> list[Verdict]:
    found = _index(s)
    out = []
    for want in s.table.gsis:
        field = f"global_secondary_index.{want.name}"
        if isinstance(found, Unknown):
            out.append(unknown(found, judge.expected(want), field))
        elif want.name not in found:
            if judge is _Exists:
                out.append(failed(f"index {want.name} is missing; add it",
                                  f"index {want.name}", "absent", field))
            else:
                out.append(unknown(f"index {want.name} is absent", judge.expected(want), field))
        else:
            out.append(judge.verdict(want, found[want.name], field))
    return out


class _Judge:
    @staticmethod
    def expected(want: GsiSpec) -> str:
        raise NotImplementedError

    @staticmethod
    def verdict(want: GsiSpec, got: Gsi, field: str) -> Verdict:
        raise NotImplementedError


class _Exists(_Judge):
    @staticmethod
    def expected(want: GsiSpec) -> str:
        return f"index {want.name}"

    @staticmethod
    def verdict(want: GsiSpec, got: Gsi, field: str) -> Verdict:
        return passed(f"index {want.name} exists", f"index {want.name}", "present", field)


class _Keys(_Judge):
    @staticmethod
    def expected(want: GsiSpec) -> str:
        rng = want.range_key.describe() if want.range_key else "no range key"
        return f"hash {want.hash_key.describe()}, range {rng}"

    @staticmethod
    def verdict(want: GsiSpec, got: Gsi, field: str) -> Verdict:
        for what, w, g, sub in (
            ("hash key", want.hash_key, got.hash_key, "hash_key"),
            ("range key", want.range_key, got.range_key, "range_key"),
        ):
            v = compare_key(f"{want.name} {what}", w, g, f"{field}.{sub}")
            if v.status.value != "pass":
                return v
        return passed(f"index {want.name} keys match", _Keys.expected(want),
                      _Keys.expected(want), field)


class _Projection(_Judge):
    @staticmethod
    def expected(want: GsiSpec) -> str:
        extra = f" ({show(want.non_key_attributes)})" if want.projection == "INCLUDE" else ""
        return want.projection + extra

    @staticmethod
    def verdict(want: GsiSpec, got: Gsi, field: str) -> Verdict:
        field = f"{field}.projection_type"
        expected = _Projection.expected(want)
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
    if not extra:
        return [passed("no index beyond the spec", expected, expected, field)]
    return [
        failed(f"index {name} is not in the spec; add it to the spec or remove it",
               expected, name, f"{field}.{name}")
        for name in extra
    ]


def _has_gsis(table: object, environment: str) -> bool:
    return bool(getattr(table, "gsis", ()))


_EXAMPLE = (
    'global_secondary_index {\n  name            = "PlayerIdIndex"\n'
    '  hash_key        = "playerId"\n'
    '  range_key       = "timestamp"\n  projection_type = "ALL"\n}'
)

GSI_EXISTS = Rule(
    id="TS-GSI-001", check="gsi", severity=Severity.HIGH,
    title="Every index in the spec exists",
    why="Queries that use a missing index fail at run time.",
    fix="Add the global_secondary_index block the spec describes.",
    example=_EXAMPLE, evaluate=lambda s: _each_required(s, _Exists), applies=_has_gsis,
)
GSI_KEYS = Rule(
    id="TS-GSI-002", check="gsi", severity=Severity.HIGH,
    title="Index keys match the spec",
    why="An index with other keys does not serve the access pattern it exists for.",
    fix="Set the index's hash_key and range_key as the spec says, with their attribute types.",
    example=_EXAMPLE, evaluate=lambda s: _each_required(s, _Keys), applies=_has_gsis,
)
GSI_PROJECTION = Rule(
    id="TS-GSI-003", check="gsi", severity=Severity.MEDIUM,
    title="Index projection matches the spec",
    why="A narrower projection makes queries fetch from the base table; a wider one costs "
    "storage and write capacity.",
    fix="Set projection_type (and non_key_attributes for INCLUDE) as the spec says.",
    example=_EXAMPLE, evaluate=lambda s: _each_required(s, _Projection), applies=_has_gsis,
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
