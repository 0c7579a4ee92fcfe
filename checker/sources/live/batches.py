"""What the live source is asked to read and what it read of each (account, region), and
how each such place becomes the pipeline's batch (`LiveSource.read`)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import partial

from checker.batch import Batch
from checker.findings import Note, NoteKind
from checker.model import TableState
from checker.naming.placement import Placer
from checker.sources.live.accounts import Unreadable
from checker.sources.live.clients import Region, table_arn
from checker.sources.live.tables import named_only
from checker.unknown import Unknown


@dataclass(frozen=True)
class Selection:
    """Which tables to read, and what to sample."""

    placer: Placer | None  # None: every table listed (`spec init --live`, which has no spec)
    environment: str | None = None
    ttl_attributes: dict[str, str] = field(default_factory=dict)  # logical table -> attribute
    sample_items: int = 0
    # spec key -> the logical tables that judge it, for the keys read with calls of their own
    # (DescribeContributorInsights, GetResourcePolicy: made for those tables alone)
    judging: dict[str, frozenset[str]] = field(default_factory=dict)
    strict_names: bool = False  # --strict-names: tables outside the naming reported by name

    def keys_of(self, logical: str | None) -> frozenset[str]:
        """The spec keys of `judging` that table *logical* judges."""
        return frozenset(k for k, tables in self.judging.items() if logical in tables)


@dataclass
class RegionAudit:
    """What one (account, region) held."""

    region: Region
    states: list[TableState] = field(default_factory=list)
    outside: list[str] = field(default_factory=list)  # not following the naming pattern
    strays: list[str] = field(default_factory=list)  # following it, not in the spec: unread
    other_envs: list[str] = field(default_factory=list)  # another environment than --env
    gone: list[str] = field(default_factory=list)  # deleted while the audit ran
    unreadable: Unknown | None = None  # why its tables could not even be listed


class Progress:
    """Told about the work as it is found and done; silent by default."""

    def add(self, n: int) -> None:
        """*n* more tables to read."""

    def step(self) -> None:
        """One table read."""

    def close(self) -> None:
        """All done."""


def region_batch(audit: RegionAudit, accounts: Mapping[str, str], strict: bool) -> Batch:
    """The batch of one (account, region) read: the tables read, and those that follow the
    naming but are not the spec's by name only; with *strict* (--strict-names) those
    outside the naming too, by name, where otherwise the pipeline notes them."""
    region = audit.region
    notes = [Note(NoteKind.TABLE_DELETED, f"{region.label}: {name} was deleted while the audit "
                  "ran") for name in audit.gone]
    if audit.unreadable is not None:
        notes.append(_not_read(region.label, audit.unreadable.reason))
    states: list[TableState] = [*audit.states,
                                *(named_only(region, name) for name in audit.strays)]
    if strict:  # reported by name, unread: only their naming is judged
        states += [named_only(region, name) for name in audit.outside]
    account = region.account.account_id
    tables = [s for s in audit.states if s.replica is None]  # a replica is listed elsewhere
    listed = len(tables) + len(audit.gone) + len(audit.strays) + len(audit.outside) + len(
        audit.other_envs)
    return Batch(region.label, states, notes, region.table_arn,
                 {"account": account, "region": region.name}, accounts.get(account),
                 audit.unreadable, listed, outside=() if strict else audit.outside,
                 other_environments=audit.other_envs)


def _not_read(where: str, why: str) -> Note:
    return Note(NoteKind.NOT_READ, f"{where}: not read ({why}); every spec table there is "
                "reported unknown")


def unread_batches(account: Unreadable, regions: list[str], accounts: Mapping[str, str]
                   ) -> list[Batch]:
    """An account that could not be entered: each of its regions, every spec table unknown."""
    a = account
    return [Batch(f"{a.account_id}/{r}", [], [_not_read(a.account_id, a.reason.reason)],
                  partial(table_arn, a.partition, r, a.account_id),
                  {"account": a.account_id, "region": r}, accounts.get(a.account_id), a.reason)
            for r in regions]
