"""Inline skips: `#tablespec:skip=ID:reason` or `#checkov:skip=ID:reason` in a resource block.
`#tablespec:skip=ID@REGION:reason` waives only the findings of that region (a replica's).

The source records the comments as written; here they waive the findings of that resource
(the table, or an alarm) for that rule. ID is a tablespec rule id or the Checkov id of the
same rule; ids of other tools (`CKV_AWS_28`...) are left alone. A skip with one of our ids
that matches no finding is reported like a stale waiver.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from checker import rules
from checker.checkov.ids import rule_id_for
from checker.findings import Finding, Note, NoteKind, Status
from checker.model import InlineSkip, Location, TableState

_OURS = re.compile(r"TS-[A-Z]+-\d+")


@dataclass(frozen=True)
class Skip:
    """One inline skip of one of our rules, on one resource."""

    resource: str
    rule_id: str  # as a tablespec rule id, whichever spelling was written
    written: str
    reason: str
    location: Location
    region: str | None = None

    def covers(self, f: Finding) -> bool:
        """True when *f* is a finding this skip names (its status aside)."""
        return (f.resource == self.resource and f.rule_id == self.rule_id
                and self.region in (None, f.region))

    def where(self) -> str:
        """`file:line` of the comment."""
        loc = self.location
        return f"{loc.file}:{loc.line}" if loc.line else str(loc.file)


def _ours(written: str) -> str | None:
    """The tablespec rule id an inline skip names, or None for another tool's id."""
    if _OURS.fullmatch(written):
        return written
    return rule_id_for(written)


def collect(states: Sequence[TableState]) -> list[Skip]:
    """Every inline skip of one of our rules in the tables and their alarms."""
    found: list[tuple[str, InlineSkip]] = []
    for state in states:
        found += [(state.resource, s) for s in state.skips]
        for alarm in state.alarms:
            found += [(alarm.resource, s) for s in alarm.skips]
    out = []
    for resource, s in found:
        rule_id = _ours(s.id)
        if rule_id is not None:
            out.append(Skip(resource, rule_id, s.id, s.reason.strip(), s.location, s.region))
    return out


def apply_skips(findings: list[Finding], skips: Sequence[Skip]) -> tuple[list[Finding],
                                                                         list[Note]]:
    """Findings after inline skips, and a note for each skip that matched nothing."""
    if not skips:
        return findings, []
    by_key = {(s.resource, s.rule_id, s.region): s for s in skips}
    by_resource: dict[tuple[str, str], list[Skip]] = {}
    for s in by_key.values():
        by_resource.setdefault((s.resource, s.rule_id), []).append(s)
    used: set[tuple[str, str, str | None]] = set()
    out = []
    for f in findings:
        skip = next((s for s in by_resource.get((f.resource, f.rule_id), ()) if s.covers(f)),
                    None)
        if skip is None or f.status not in (Status.FAIL, Status.UNKNOWN):
            out.append(f)
            continue
        used.add((skip.resource, skip.rule_id, skip.region))
        why = skip.reason or "no reason given"
        out.append(replace(f, status=Status.WAIVED, message=f"skipped inline at "
                           f"{skip.where()}: {why} [was: {f.message}]"))
    notes = []
    for key, s in by_key.items():
        if key in used:
            continue
        if s.rule_id not in rules.BY_ID:
            what = f"{s.written} is not a tablespec rule"
        else:
            region = f" in {s.region}" if s.region else ""
            what = f"{s.written} matches no failing finding of {s.resource}{region}"
        notes.append(Note(NoteKind.STALE_WAIVER, f"stale inline skip at {s.where()}: {what}; "
                          "remove it"))
    return out, notes
