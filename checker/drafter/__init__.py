"""`tablespec spec init`: draft a spec from the tables a plan, Terraform source or the live
account(s) hold.

`draft_spec` takes the tables (TableState, as every source makes them) and returns the
draft's text: the naming inferred from the names (`places`, `names`), each table's settings
(`tables`, `alarms`), the settings every table shares in `defaults:` (`emit`). What could
not be inferred is a comment where it belongs, never a guess. The text always validates.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from checker.drafter.common import Notes, Placement, Seen
from checker.drafter.emit import Document, render
from checker.drafter.places import place
from checker.drafter.tables import draft_table
from checker.errors import RunError
from checker.model import TableState
from checker.specfile.load import parse_spec
from checker.specfile.model import Spec

_NAME = re.compile(r"[A-Za-z0-9_.-]+")


@dataclass
class Draft:
    """A drafted spec: its text, the spec it loads as, and what it had to leave open."""

    text: str
    spec: Spec
    placement: Placement
    notes: Notes

    @property
    def todos(self) -> int:
        """How many TODO comments it holds."""
        return self.notes.count("TODO") + len(self.placement.skipped)

    @property
    def conflicts(self) -> int:
        """How many CONFLICT comments it holds."""
        return self.notes.count("CONFLICT")


def draft_spec(states: Sequence[TableState], origin: str, *, project: str | None = None,
               pattern: str | None = None, roles: bool = False,
               now: datetime | None = None) -> Draft:
    """The draft spec of *states*, read from *origin* (e.g. "the plan plan.json").

    *project* and *pattern* override what the names suggest; *roles* says the live
    accounts were read one role each (`environments` may then list them). RunError when
    there is nothing to draft from or an override is unusable.
    """
    if project is not None and not _NAME.fullmatch(project):
        raise RunError(f"--project {project}: use letters, digits, '-', '_' and '.'")
    notes = Notes()
    placement = place(states, project, pattern, roles, notes)
    if not placement.seen:
        more = len(placement.skipped) - 1
        why = (f"; the name of {placement.skipped[0]} is not known"
               + (f", nor of {more} other(s)" if more else "")) if placement.skipped else ""
        raise RunError(f"{origin}: no DynamoDB table to draft a spec from{why}")
    by_table: dict[str, list[Seen]] = defaultdict(list)
    for s in placement.seen:
        by_table[s.logical].append(s)
    tables = [draft_table(name, by_table[name], placement.environments, notes)
              for name in sorted(by_table)]
    when = (now or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    text = render(Document(origin, when, placement, tables, notes))
    try:
        spec = parse_spec("(draft)", text)
    except RunError as err:  # a bug of the drafting, not of the input
        raise RuntimeError(f"the drafted spec does not validate: {err.message}") from None
    return Draft(text, spec, placement, notes)


__all__ = ["Draft", "draft_spec"]
