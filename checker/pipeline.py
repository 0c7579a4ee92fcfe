"""One pipeline for every command: what sources read -> engine -> waivers -> Report -> exit code.

`plan`, `hcl`, `cfn`, the audit and its Lambdas each read their source into batches (one per
place read: a plan file, a Terraform root, a template, an account/region) and call `run`
with their `RunPolicy`; none of them words the notes about what was or was not checked,
checks the environment asked for, applies waivers or decides the exit code itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from checker.batch import Batch as Batch
from checker.engine import evaluate, holds
from checker.errors import RunError
from checker.findings import Finding, Gate, Note, NoteKind
from checker.pooling import Holdings, Pair
from checker.report.common import shown_path
from checker.report.model import Report
from checker.runpolicy import LENIENT, RunPolicy
from checker.skips import apply_skips, collect
from checker.sources.base import Source
from checker.specfile.model import Spec
from checker.waivers import Waiver, apply_waivers

EXIT_CLEAN, EXIT_FAILED, EXIT_NOT_RUN, EXIT_BUG = 0, 1, 2, 3


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


def check_environment(spec: Spec, environment: str | None) -> None:
    """RunError (exit 2) when *environment* (--env) is not one of the spec's: `run` checks
    it, and a source that reads for long (the audit) asks before it starts."""
    if environment is not None and environment not in spec.environments:
        raise RunError(f"--env {environment} (or TABLESPEC_ENV): not an environment of "
                       f"{spec.path} ({', '.join(spec.environments)})")


def accounts_of(spec: Spec, accounts: Sequence[str], environment: str | None
                ) -> tuple[list[str], list[Note]]:
    """The *accounts* to read for *environment* (--env selects: an account the spec gives
    to another environment is not read), and a note for each one left out."""
    if environment is None:
        return list(accounts), []
    others = [a for a in accounts if spec.accounts.get(a, environment) != environment]
    return [a for a in accounts if a not in others], [Note(
        NoteKind.OTHER_ENVIRONMENTS, f"account {a} is {spec.accounts[a]}, not {environment}: "
        "not read") for a in others]


def _unchecked(at: str, outside: Sequence[str], others: Sequence[str],
               environment: str | None) -> list[Note]:
    """Notes for the tables of a place outside the naming, and of other environments."""
    out = []
    if outside:
        out.append(Note(NoteKind.IGNORED_TABLES, f"{at}{len(outside)} table(s) outside the "
                        f"naming pattern, not checked: {shown(outside)}"))
    if others:
        which = f"environments other than {environment}" if environment else "other environments"
        out.append(Note(NoteKind.OTHER_ENVIRONMENTS, f"{at}{len(others)} table(s) of {which}, "
                        f"not checked: {shown(others)}"))
    return out


def _notes(spec: Spec, batch: Batch, several: bool, outside: list[str], others: list[str],
           checked: bool, environment: str | None) -> list[Note]:
    at = f"{batch.where}: " if several else ""
    out = list(batch.notes)
    # what the place lists that the source left unread (named after the place), then what
    # the engine did not check of what was read
    out += _unchecked(f"{batch.where}: ", batch.outside, batch.other_environments, environment)
    out += _unchecked(at, outside, others, environment)
    holds = batch.listed if batch.listed is not None else len(batch.states)
    if not checked and not holds:
        out.append(Note(NoteKind.NOTHING_CHECKED, f"{batch.where}: no DynamoDB table; nothing "
                        "checked there (with --env ENV, the spec's tables are required there)"))
    elif not checked:
        out.append(Note(NoteKind.NOTHING_CHECKED, f"{batch.where}: no table follows the naming "
                        f"pattern {spec.pattern!r}; nothing checked there (with --env ENV, the "
                        "spec's tables are required there)"))
    return out


def held(spec: Spec, batch: Batch, policy: RunPolicy, environment: str | None = None,
         anywhere: bool = True) -> set[Pair]:
    """The (spec table, environment) pairs *batch* holds, as `run` places its tables (not
    *anywhere*: only tables whose environment is known)."""
    return holds(spec, batch.states, policy, batch.selected or environment, anywhere)


def run(spec: Spec, batches: Sequence[Batch], *, kind: str, target: str,
        policy: RunPolicy = LENIENT, environment: str | None = None,
        waivers: Sequence[Waiver] = (), gate: Gate | None = None, notes: Sequence[Note] = (),
        others: Sequence[set[Pair]] = ()) -> Outcome:
    """Evaluate every batch, apply inline skips and waivers, and decide the exit code.

    *kind* is the report's source kind (plan, hcl, cfn, live); *policy* what differs
    between the commands in how the tables found are treated (`RunPolicy`); *environment*
    the run's --env. RunError (exit 2) when *environment* is not the spec's, or when
    nothing was found to report and no batch tells an environment (unless the policy
    allows it). With `policy.pooled`, a spec table a place lacks is no finding there when
    another place answers for it (`pooling`), such as *others*, the pairs held by places
    outside the run (the repository's other roots).
    """
    check_environment(spec, environment)
    all_notes: list[Note] = []
    envs: set[str] = set()
    errors: list[str] = []
    findings: list[Finding] = []
    pooled = policy.pooled
    holdings = Holdings([*(held(spec, b, policy, environment) for b in batches), *others]
                        if pooled else [])
    for index, batch in enumerate(batches):
        held_to = batch.selected or environment
        ev = evaluate(spec, batch, policy, environment,
                      holdings.elsewhere(index) if pooled else ())
        all_notes += _notes(spec, batch, len(batches) > 1, ev.outside, ev.other_environments,
                            bool(ev.environments or ev.findings), held_to)
        findings += ev.findings
        envs.update(ev.environments)
        errors += ev.errors
    if not envs and not findings and not policy.empty_is_clean and not (
            policy.allow_empty and not any(b.states for b in batches)):
        raise RunError(f"{target}: no table follows the naming pattern {spec.pattern!r} of "
                       f"{spec.path}, so the environment is unknown; {policy.untold}")
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


def check(spec: Spec, source: Source, *, policy: RunPolicy = LENIENT,
          environment: str | None = None, waivers: Sequence[Waiver] = (),
          gate: Gate | None = None) -> Outcome:
    """Read *source* and `run` what it read, under its kind and target."""
    batches = source.read()
    return run(spec, batches, kind=source.kind, target=source.target(batches), policy=policy,
               environment=environment, waivers=waivers, gate=gate)
