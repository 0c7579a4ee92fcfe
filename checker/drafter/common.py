"""What the parts of `spec init` share: environment tokens and order, placed tables, notes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from checker.model import TableState
from checker.naming.inference import ENV_TOKENS

PLACEHOLDER_ENV = "default"  # the one environment when nothing tells any


def env_rank(env: str | None) -> tuple[int, str]:
    """Sort key: dev, test, qa, stage, staging, prod, production, then the others by name."""
    if env is None:
        return (-1, "")
    lowered = env.lower()
    order = ENV_TOKENS.index(lowered) if lowered in ENV_TOKENS else len(ENV_TOKENS)
    return (order, lowered + "\0" + env)


def env_order(envs: Iterable[str | None]) -> list[str]:
    """The distinct environments of *envs* (None left out) in the listing order."""
    return sorted({e for e in envs if e is not None}, key=env_rank)


@dataclass
class Seen:
    """One table found, and where the draft puts it."""

    state: TableState
    name: str  # its physical name
    logical: str  # the spec table it becomes
    env: str | None  # the environment it is drafted under (None: none known)
    told: str | None = None  # the environment the drafted spec itself tells (None: --env)


def at(table: str, key: str = "") -> str:
    """The place of a note about *table* (and one of its keys, e.g. `ttl`, `gsis.INDEX`)."""
    return f"tables:{table}:{key}" if key else f"tables:{table}"


class Notes:
    """Comments for the draft, keyed by the place they go: `naming`, `at("t", "ttl")`..."""

    def __init__(self) -> None:
        self.by_path: dict[str, list[str]] = {}
        self._by_table: dict[str, dict[str, list[str]]] = {}  # table -> key -> notes

    def add(self, path: str, text: str) -> None:
        """Add *text* at *path*, once."""
        found = self.by_path.setdefault(path, [])
        if text not in found:
            found.append(text)
        kind, _, rest = path.partition(":")
        table, _, key = rest.partition(":")
        if kind == "tables" and key:
            self._by_table.setdefault(table, {})[key] = found

    def keys_of(self, table: str) -> dict[str, list[str]]:
        """The notes about the keys of *table*, by key."""
        return self._by_table.get(table, {})

    def at(self, path: str) -> list[str]:
        """The notes at *path*."""
        return self.by_path.get(path, [])

    def count(self, word: str) -> int:
        """How many notes start with *word* (TODO, CONFLICT)."""
        return sum(1 for texts in self.by_path.values() for t in texts if t.startswith(word))


@dataclass
class Placement:
    """The drafted naming: pattern, project, environments, and each table's place."""

    project: str
    project_known: bool  # False: a placeholder project name
    pattern: str
    environments: list[str]
    accounts: dict[str, list[str]] = field(default_factory=dict)  # env -> accounts; {}: a list
    environment_tag: str = "Environment"
    own_names: dict[str, str | dict[str, str]] = field(default_factory=dict)
    seen: list[Seen] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)  # tables not drafted, and why
