"""One pipeline for every command: what sources read -> engine -> waivers -> Report -> exit code.

`plan`, `hcl`, `audit` and the Lambda handler each read their source into batches (one per
place read: a plan file, a Terraform root, an account/region) and call `run`; none of them
words notes, applies waivers or decides the exit code itself.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from checker.engine import evaluate, holds
from checker.errors import RunError
from checker.findings import Finding, Gate, Note, NoteKind
from checker.model import TableState, Unknown
from checker.pooling import Holdings, Pair
from checker.report.common import shown_path
from checker.report.model import Report
from checker.skips import apply_skips, collect
from checker.specfile.model import Spec
from checker.waivers import Waiver, apply_waivers

EXIT_CLEAN, EXIT_FAILED, EXIT_NOT_RUN, EXIT_BUG = 0, 1, 2, 3


@dataclass
class Batch:
    """The tables a source read from one place; each batch is evaluated on its own (but see
    `run`'s *pooled*)."""

    where: str  # a plan file, a Terraform root, `account/region`
    states: Sequence[TableState]
    notes: list[Note] = field(default_factory=list)
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


@dataclass
class Outcome:
    """What a run produced: the report, its exit code, and tracebacks of rules that raised."""

    report: Report
    exit_code: int
    errors: list[str] = field(default_factory=list)


def shown(names: Sequence[str], most: int = 5) -> str:
    """The first few *names*, with `...` when there are more."""
    return ", ".join(names[:most]) + (" ..." if len(names) > most else "")


def waive(findings: list[Finding], waivers: Sequence[Waiver]) -> tuple[list[Finding], list[Note]]:
    """Findings after *waivers*, and a note for each waiver that matched nothing."""
    if not waivers:
        return findings, []
    done = apply_waivers(findings, list(waivers))
    return done.findings, [Note(NoteKind.STALE_WAIVER, f"stale waiver: {w.describe()} matches "
                                "no failing finding; remove it") for w in done.stale]


def _notes(spec: Spec, batch: Batch, several: bool, outside: list[str], others: list[str],
           checked: bool, environment: str | None) -> list[Note]:
    at = f"{batch.where}: " if several else ""
    out = list(batch.notes)
    if outside:
        out.append(Note(NoteKind.IGNORED_TABLES, f"{at}{len(outside)} table(s) outside the "
                        f"naming pattern, not checked: {shown(outside)}"))
    if others:
        which = f"environments other than {environment}" if environment else "other environments"
        out.append(Note(NoteKind.OTHER_ENVIRONMENTS, f"{at}{len(others)} table(s) of {which}, "
                        f"not checked: {shown(others)}"))
    holds = batch.listed if batch.listed is not None else len(batch.states)
    if not checked and not holds:
        out.append(Note(NoteKind.NOTHING_CHECKED, f"{batch.where}: no DynamoDB table; nothing "
                        "checked there (with --env ENV, the spec's tables are required there)"))
    elif not checked:
        out.append(Note(NoteKind.NOTHING_CHECKED, f"{batch.where}: no table follows the naming "
                        f"pattern {spec.pattern!r}; nothing checked there (with --env ENV, the "
                        "spec's tables are required there)"))
    return out


def held(spec: Spec, batch: Batch, environment: str | None = None,
         mismatch_is_finding: bool = False, strict_names: bool = False,
         anywhere: bool = True) -> set[Pair]:
    """The (spec table, environment) pairs *batch* holds, as `run` places its tables (not
    *anywhere*: only tables whose environment is known)."""
    return holds(spec, batch.states, batch.selected or environment, mismatch_is_finding,
                 strict_names, anywhere)


def run(spec: Spec, batches: Sequence[Batch], *, kind: str, target: str,
        environment: str | None = None, waivers: Sequence[Waiver] = (),
        gate: Gate | None = None, notes: Sequence[Note] = (),
        allow_empty: bool = False, mismatch_is_finding: bool = False,
        strict_names: bool = False, empty_is_clean: bool = False,
        untold: str = "pass --env ENV", pooled: bool = False,
        others: Sequence[set[Pair]] = ()) -> Outcome:
    """Evaluate every batch, apply inline skips and waivers, and decide the exit code.

    RunError (exit 2) when *environment* is not the spec's, or when nothing was found to
    report and no batch tells an environment; with *allow_empty*, places that hold no table
    at all are only noted (pre-commit on Terraform that has no DynamoDB table). With
    *mismatch_is_finding* (plan, hcl), a table of another environment than *environment*
    is a finding; otherwise (audit) it is noted. With *empty_is_clean* (an audit of several
    accounts, or one shard of one), finding none of the spec's tables anywhere is a clean
    answer, not an error: each place read says so in a note. *untold* says how to tell
    the environment where nothing does. With *pooled* (a repository's roots, its plans), the
    places are parts of one whole: a spec table a place lacks is no finding there when
    another place answers for it (`pooling`), such as *others*, the pairs held by places
    outside the run (the repository's other roots).
    """
    if environment is not None and environment not in spec.environments:
        raise RunError(f"--env {environment} (or TABLESPEC_ENV): not an environment of "
                       f"{spec.path} ({', '.join(spec.environments)})")
    all_notes: list[Note] = []
    envs: set[str] = set()
    errors: list[str] = []
    findings: list[Finding] = []
    holdings = Holdings([*(held(spec, b, environment, mismatch_is_finding, strict_names)
                           for b in batches), *others] if pooled else [])
    for index, batch in enumerate(batches):
        held_to = batch.selected or environment
        ev = evaluate(spec, batch.states, batch.where, held_to, batch.absent_resource,
                      batch.environment, mismatch_is_finding, strict_names, batch.unreadable,
                      (batch.scope or {}).get("region"),
                      holdings.elsewhere(index) if pooled else ())
        all_notes += _notes(spec, batch, len(batches) > 1, ev.outside, ev.other_environments,
                            bool(ev.environments or ev.findings), held_to)
        findings += ev.findings
        envs.update(ev.environments)
        errors += ev.errors
    if not envs and not findings and not empty_is_clean and not (
            allow_empty and not any(b.states for b in batches)):
        raise RunError(f"{target}: no table follows the naming pattern {spec.pattern!r} of "
                       f"{spec.path}, so the environment is unknown; {untold}")
    findings, skipped = apply_skips(findings, collect([s for b in batches for s in b.states]))
    findings, stale = waive(findings, waivers)
    gate = gate or Gate.of()
    report = Report(kind, target, shown_path(spec.path), findings,
                    [e for e in spec.environments if e in envs],
                    list(dict.fromkeys([*all_notes, *notes, *skipped, *stale])),
                    [b.scope for b in batches if b.scope], gate, len(errors),
                    spec_lines={n: t.line for n, t in spec.tables.items() if t.line})
    code = EXIT_BUG if errors else EXIT_FAILED if gate.failing(findings) else EXIT_CLEAN
    return Outcome(report, code, errors)
