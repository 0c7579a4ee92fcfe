"""The drafted values of one table, and how values seen in several places are settled.

Known values that agree are written. Values that differ between environments are a
CONFLICT: the spec holds every environment to one value, so the one of the most
production-like environment is written and the comment says what else was seen. A value
unknown everywhere (known after apply, unreadable) is a TODO comment, never a guess.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from typing import TypeVar

from checker.drafter.common import Notes, Seen, env_rank
from checker.model import EncLevel, Key, TableState
from checker.specfile.model import (
    AlarmPolicy,
    AutoscalingPolicy,
    PolicyLimits,
    ReplicasPolicy,
    StreamsPolicy,
)
from checker.unknown import Maybe, Unknown

V = TypeVar("V", bound=Hashable)
KeyVal = tuple[str, str]  # (attribute name, type)


@dataclass(frozen=True)
class GsiVal:
    """One index as the spec writes it."""

    hash_key: KeyVal | None  # None: not known
    range_key: KeyVal | None
    projection: str | None  # None: not known
    non_key_attributes: tuple[str, ...] = ()


@dataclass(frozen=True)
class BillingVal:
    """`billing:` of a table."""

    modes: tuple[str, ...]
    min_capacity: int | None = None


@dataclass(frozen=True)
class PitrVal:
    """`pitr:` of a table whose tables keep fewer than 35 days of restore points."""

    required_in: tuple[str, ...]
    min_recovery_days: int


@dataclass(frozen=True)
class CapacityVal:
    """`capacity:` of a table: the highest on-demand maximum seen (read, write), and where
    every provisioned table scales, within which bounds (None: not drafted)."""

    read: int | None = None
    write: int | None = None
    autoscaling: AutoscalingPolicy | None = None


@dataclass(frozen=True)
class ClassesVal:
    """`table_class:` of a table: the classes seen."""

    classes: tuple[str, ...]


Policy = (EncLevel | tuple[str, ...] | BillingVal | AlarmPolicy | StreamsPolicy | ClassesVal
          | PitrVal | CapacityVal | ReplicasPolicy | PolicyLimits)


@dataclass
class TableDraft:
    """What the draft says of one spec table."""

    name: str
    envs: list[str]  # the environments it was seen in
    hash_key: KeyVal | None = None  # None: not known (a placeholder is written)
    range_key: KeyVal | None = None
    ttl: str | bool | None = None  # the attribute, False (no TTL), None: not known
    gsis: dict[str, GsiVal] = field(default_factory=dict)
    # encryption, pitr, deletion_protection, streams, table_class, billing, tags, alarms;
    # None: nothing known
    policies: dict[str, Policy | None] = field(default_factory=dict)


def where(s: Seen) -> str:
    """How a comment names the place a value was seen: its environment, else its name."""
    return s.env or s.name


def agree(found: list[tuple[Seen, V]], what: str, show: Callable[[V], str], path: str,
          notes: Notes) -> tuple[V] | None:
    """The one value of *found* (as a 1-tuple), settled with a CONFLICT comment; None: none."""
    if not found:
        return None
    values = list(dict.fromkeys(v for _, v in found))
    if len(values) == 1:
        return (values[0],)
    places: dict[V, list[str]] = {}
    for s, v in found:
        places.setdefault(v, [])
        if where(s) not in places[v]:
            places[v].append(where(s))
    chosen_at, chosen = max(found, key=lambda sv: env_rank(sv[0].env))
    seen = "; ".join(f"{show(v)} in {', '.join(at)}" for v, at in places.items())
    notes.add(path, f"CONFLICT: {what} differs: {seen}. The spec holds every environment to "
              f"one value: {show(chosen)} (as in {where(chosen_at)}) is written; settle it")
    return (chosen,)


def todo_unknown(s: Seen, what: str, value: Unknown, path: str, notes: Notes) -> None:
    """A TODO comment for a value that could not be known."""
    notes.add(path, f"TODO: {s.name}: {what} not known ({value.reason})")


def key_value(key: Maybe[Key | None]) -> KeyVal | Unknown | None:
    """A key as (name, type), None for no key, or why it is not known."""
    if key is None or isinstance(key, Unknown):
        return key
    if isinstance(key.name, Unknown):
        return key.name
    if isinstance(key.type, Unknown):
        return key.type
    if key.type is None:
        return Unknown(f"attribute {key.name} has no declared type")
    return (key.name, key.type)


def show_key(key: KeyVal | None) -> str:
    """`name (T)`, or `none`."""
    return f"{key[0]} ({key[1]})" if key else "none"


def envs_where(items: list[Seen], test: Callable[[Seen], bool | Unknown], what: str,
               path: str, notes: Notes) -> tuple[str, ...]:
    """The environments where *test* holds for every table seen there (in listing order);
    an environment where it is unknown somewhere is left out, with a TODO comment."""
    out: list[str] = []
    for env in sorted({s.env for s in items if s.env}, key=env_rank):
        here = [s for s in items if s.env == env]
        results = [(s, test(s)) for s in here]
        for s, r in results:
            if isinstance(r, Unknown):
                todo_unknown(s, what, r, path, notes)
        if all(r is True for _, r in results):
            out.append(env)
    return tuple(out)


def flag(state: TableState, attr: str) -> bool | Unknown:
    """*attr* of *state* is True (an Unknown as it is)."""
    value = getattr(state, attr)
    return value if isinstance(value, Unknown) else value is True

