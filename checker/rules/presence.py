"""presence: every table in the spec exists, once, in every environment checked."""

from __future__ import annotations

import re

from checker.findings import Severity
from checker.rules.base import Absence, Rule, Subject, Verdict, failed, passed, unknown
from checker.unknown import Unknown


def _present(s: Subject) -> list[Verdict]:
    out = [passed(f"{s.state.resource} declares this table", "table exists", s.state.resource,
                  "name")]
    total = 1 + len(s.duplicates)
    for dup in s.duplicates:
        out.append(failed(f"{dup.name} is declared again by {dup.resource}", "one table",
                          f"{total} declarations", "name", dup.resource, dup.location))
    return out


def _may_be(name: Unknown, wanted: str) -> bool:
    """True when a name not known may turn out to be *wanted*."""
    if name.possible is not None:
        return wanted in name.possible
    if name.parts:
        return re.fullmatch("".join(".*" if p is None else re.escape(p) for p in name.parts),
                            wanted) is not None
    return True


def _absent(a: Absence) -> list[Verdict]:
    unnamed = [s for s in a.strays if isinstance(s.name, Unknown) and _may_be(s.name, a.name)]
    if unnamed:
        name = unnamed[0].name
        assert isinstance(name, Unknown)
        return [unknown(name.but(f"no table is named {a.name} in {a.where}, but the name of "
                                 f"{unnamed[0].resource} is not known, and may be that: "
                                 f"{name.reason}"), f"table {a.name}", "name")]
    here = [s for s in a.strays if s.name == a.name]
    if here:  # the table is there, but tells another environment (its tag)
        s = here[0]
        key = a.spec.environment_tag
        told = s.tags.get(key) if isinstance(s.tags, dict) else None
        says = f"its {key} tag says {told}" if isinstance(told, str) else \
            f"its environment is not {a.environment}"
        return [failed(f"{a.name} is in {a.where} ({s.resource}), but {says}, so it is not "
                       f"the {a.environment} table: set the tag to {a.environment}, or check "
                       "it in its own environment's run", f"table {a.name}",
                       f"{a.name} ({key} {told})" if isinstance(told, str) else a.name,
                       "name", s.resource, s.location)]
    renamed = [s for s in a.strays if s.previous_name == a.name]
    hint = "".join(f"; possibly renamed to {s.name} ({s.resource})" for s in renamed)
    return [failed(f"no table named {a.name} in {a.where}{hint}; create it or restore its "
                   "name", f"table {a.name}", "absent", "name")]


PRESENT = Rule(
    id="TS-PRES-001",
    check="presence",
    severity=Severity.CRITICAL,
    title="Every table in the spec exists",
    why="A table the application expects but that is missing, renamed or being destroyed "
    "breaks the service and loses its data.",
    fix="Declare the table with the name the naming pattern gives, or stop destroying it.",
    example='resource "aws_dynamodb_table" "player_sessions" {\n'
    '  name = "hypermage-vr-player-sessions-prod"\n  # ...\n}',
    evaluate=_present,
    when_absent=_absent,
)

RULES = [PRESENT]
