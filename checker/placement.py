"""Which spec table and environment each table a source found belongs to."""

from __future__ import annotations

from dataclasses import dataclass

from checker.model import TableState, Unknown
from checker.naming import Naming
from checker.spec.model import Spec


@dataclass(frozen=True)
class Place:
    """Where a table belongs: its logical table and environment, as far as they are known."""

    logical: str | None  # the {table} part of its name
    environment: str | None
    follows_pattern: bool  # False: the name follows no pattern of the spec (not checked)


class Placer:
    """Places states by the spec's naming pattern, then its environment tag."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.naming = Naming(spec.pattern, spec.project, spec.environments)

    def place(self, state: TableState) -> Place:
        """The place of *state*; an unknown name is placed by its environment tag alone."""
        if isinstance(state.name, Unknown):
            tags = state.tags
            tag = tags.get(self.spec.environment_tag) if isinstance(tags, dict) else None
            env = tag if tag in self.spec.environments else None
            return Place(None, env, True)
        m = self.naming.match(state.name)
        if m is None:
            return Place(None, None, False)
        return Place(m.table, m.environment, True)

    def render(self, table: str, environment: str) -> str:
        """The name *table* should have in *environment*."""
        return self.naming.render(table, environment)
