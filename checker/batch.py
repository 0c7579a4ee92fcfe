"""What a source read from one place (a plan file, a Terraform root, a template, an
account/region): its tables, and what the place tells about them, for the pipeline."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from checker.findings import Note
from checker.model import TableState
from checker.unknown import Unknown


@dataclass
class Batch:
    """The tables a source read from one place; each batch is evaluated on its own (but see
    `RunPolicy.pooled`)."""

    where: str  # a plan file, a Terraform root, `account/region`
    states: Sequence[TableState]
    notes: list[Note] = field(default_factory=list)  # what the source says of the place
    # The resource of a spec table this place lacks, from the name it should have.
    absent_resource: Callable[[str], str] = str
    scope: dict[str, str] | None = None  # live: {"account": ..., "region": ...}
    environment: str | None = None  # the place's own environment (an account the spec lists)
    unreadable: Unknown | None = None  # why nothing at all could be read there
    # How many tables the place holds, when the source saw more than `states` (the audit
    # lists every table but reads only those that follow the naming); None: `states`.
    listed: int | None = None
    # The environment the place was read for (Terraform source: the var files or workspace
    # the spec names for it): its tables are held to it, as with --env.
    selected: str | None = None
    # Tables the place lists that the source left unread (the audit reads the tables that
    # follow the naming, of the environment asked for): the pipeline notes them.
    outside: Sequence[str] = ()  # names outside the naming pattern
    other_environments: Sequence[str] = ()  # tables of environments other than the run's
