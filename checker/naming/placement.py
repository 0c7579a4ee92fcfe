"""Which spec table and environment each table a source found belongs to.

The logical table comes from the name: a table's own name first (`tables.<t>.name`), then
the spec's naming pattern. The environment comes, in this order, from the name (when its
pattern has `{environment}`, or its own name is given per environment), the account (when
`environments` lists accounts), the environment tag (`naming.environment_tag`), and last
`--env` for the whole run (decided by the engine, which knows the run).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from checker.model import TableState
from checker.naming.pattern import NamePattern
from checker.specfile.model import Spec, TableSpec
from checker.unknown import Unknown


def carries_environment(spec: Spec, table: TableSpec) -> bool:
    """Whether the names of *table* carry their environment: a name of its own per
    environment, or its own pattern (else the spec's) with {environment}."""
    own = table.own_name
    if isinstance(own, dict):
        return True
    return "{environment}" in (own if isinstance(own, str) else spec.pattern)


@dataclass(frozen=True)
class Place:
    """Where a table belongs, as far as the table itself tells."""

    logical: str | None  # the spec table (or, for a stray, the {table} part of its name)
    environment: str | None  # None: the table does not tell it
    told_by: str | None  # "name", "account" or "tag": what told the environment
    follows_pattern: bool  # False: the name follows no naming of the spec (not checked)
    any_environment: bool = False  # a name known in part, without its environment


class Placer:
    """Places states by the spec's names, accounts and environment tag."""

    def __init__(self, spec: Spec) -> None:
        self.spec = spec
        self.pattern = NamePattern(spec.pattern, spec.project, spec.environments)
        self.literals: dict[str, tuple[str, str | None]] = {}  # name -> (table, env)
        self.own: dict[str, NamePattern] = {}
        for table in spec.tables.values():
            own = table.own_name
            if isinstance(own, dict):
                self.literals.update({name: (table.name, env) for env, name in own.items()})
            elif own is not None:
                self.own[table.name] = NamePattern(own, spec.project, spec.environments,
                                                   table.name)

    def place_name(self, name: str, account: str | None = None) -> Place:
        """The place a name (and the account it is in) tells, before any tag."""
        logical, env = self._split(name)
        follows = logical is not None and (logical in self.spec.tables
                                           or not self.pattern.open)
        if not follows:
            return Place(None, None, None, False)
        if env is not None:
            return Place(logical, env, "name", True)
        by_account = self.spec.accounts.get(account or "")
        return Place(logical, by_account, "account" if by_account else None, True)

    def _split(self, name: str) -> tuple[str | None, str | None]:
        if name in self.literals:
            return self.literals[name]
        for own in self.own.values():
            m = own.match(name)
            if m is not None:
                return m.table, m.environment
        m = self.pattern.match(name)
        return (m.table, m.environment) if m else (None, None)

    def place(self, state: TableState) -> Place:
        """The place of *state*: its name and account, then its environment tag."""
        if isinstance(state.name, Unknown) and state.name.parts:
            return self._partly(state.name.parts)
        if isinstance(state.name, Unknown):
            env = self.spec.accounts.get(state.account or "")
            place = Place(None, env, "account" if env else None, True)
        else:
            place = self.place_name(state.name, state.account)
        if place.environment is None and place.follows_pattern:
            tags = state.tags
            tag = tags.get(self.spec.environment_tag) if isinstance(tags, dict) else None
            if isinstance(tag, str) and tag in self.spec.environments:
                return Place(place.logical, tag, "tag", True)
        return place

    def _partly(self, parts: tuple[str | None, ...]) -> Place:
        """A name known in part (a module evaluated alone) matched on its literal parts.

        It is that spec table when the names of one spec table alone fit it; its
        environment is known when the names of one environment alone fit it (which table
        it is may still not be).
        """
        fits = re.compile("".join(".*" if p is None else re.escape(p) for p in parts))
        hits = [(t, e) for t in self.spec.tables for e in self.spec.environments
                if fits.fullmatch(self.render(t, e))]
        tables = {t for t, _ in hits}
        envs = {e for _, e in hits}
        env = envs.pop() if len(envs) == 1 else None
        if len(tables) != 1:  # which table it is cannot be told; its environment may be
            return Place(None, env, "name" if env else None, True)
        if env is not None:
            return Place(tables.pop(), env, "name", True)
        return Place(tables.pop(), None, None, True, any_environment=True)

    def render(self, table: str, environment: str) -> str:
        """The name *table* should have in *environment*."""
        spec_table = self.spec.tables.get(table)
        own = spec_table.own_name if spec_table else None
        if isinstance(own, dict) and environment in own:
            return own[environment]
        if table in self.own:
            return self.own[table].render(table, environment)
        return self.pattern.render(table, environment)
