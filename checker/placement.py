"""Which spec table and environment each table a source found belongs to."""

from __future__ import annotations

import re
from dataclasses import dataclass

from checker.model import PartlyKnown, TableState, Unknown
from checker.naming import Naming
from checker.spec.model import Spec


@dataclass(frozen=True)
class Place:
    """Where a table belongs: its logical table and environment, as far as they are known."""

    logical: str | None  # the {table} part of its name
    environment: str | None  # None with a logical table: it may be any (a module alone)
    follows_pattern: bool  # False: the name follows no pattern of the spec (not checked)


class Placer:
    """Places states by the spec's naming pattern, then its environment tag."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.naming = Naming(spec.pattern, spec.project, spec.environments)

    def place(self, state: TableState) -> Place:
        """The place of *state*; an unknown name is placed by its environment tag alone."""
        if isinstance(state.name, PartlyKnown):
            return self._partly(state.name)
        if isinstance(state.name, Unknown):
            tags = state.tags
            tag = tags.get(self.spec.environment_tag) if isinstance(tags, dict) else None
            env = tag if tag in self.spec.environments else None
            return Place(None, env, True)
        m = self.naming.match(state.name)
        if m is None:
            return Place(None, None, False)
        return Place(m.table, m.environment, True)

    def _partly(self, name: PartlyKnown) -> Place:
        """A name known in part (a module evaluated alone) matched on its literal parts.

        It is that spec table when the names of one spec table alone fit it; its
        environment is known only when the names of one environment alone fit it.
        """
        fits = re.compile("".join(".*" if p is None else re.escape(p) for p in name.parts))
        hits = [(t, e) for t in self.spec.tables for e in self.spec.environments
                if fits.fullmatch(self.render(t, e))]
        tables = {t for t, _ in hits}
        if len(tables) != 1:
            return Place(None, None, True)  # which table it is cannot be told
        envs = {e for _, e in hits}
        return Place(tables.pop(), envs.pop() if len(envs) == 1 else None, True)

    def render(self, table: str, environment: str) -> str:
        """The name *table* should have in *environment*."""
        return self.naming.render(table, environment)
