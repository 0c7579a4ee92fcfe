"""Match table states to the spec and run every rule: states in, findings out.

The engine knows no rule by name. It places each state (which spec table, which
environment), then asks every registered rule about every (spec table, environment):
`evaluate` when the source holds the table, `when_absent` when it does not, and
`when_stray` about tables no spec table claims. A rule that raises is contained: its
finding becomes `unknown` (reason `rule_error`) and every other finding stands.
"""

from __future__ import annotations

import traceback
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from checker import rules
from checker.findings import Finding
from checker.model import Location, TableState
from checker.placement import Placer
from checker.rules.base import Absence, Rule, Stray, Subject, Verdict, crashed
from checker.spec.model import Spec

T = TypeVar("T")


@dataclass
class Evaluation:
    """The findings of one place read, and what it held that the spec does not cover."""

    findings: list[Finding]
    environments: list[str]
    outside: list[str] = field(default_factory=list)  # names outside the naming pattern
    other_environments: list[str] = field(default_factory=list)  # tables of unchecked envs
    errors: list[str] = field(default_factory=list)  # tracebacks of rules that raised


def locate(state: TableState, field_path: str) -> Location:
    """Where *field_path* of *state* is written: its longest written prefix, else the table."""
    written = state.field_locations
    key = field_path
    while key and written:
        if key in written:
            return written[key]
        key = key.rpartition(".")[0]
    return state.location


class _Run:
    """One evaluation: turns rule verdicts into findings, containing rules that raise."""

    def __init__(self, where: str) -> None:
        self.where = where
        self.findings: list[Finding] = []
        self.errors: list[str] = []

    def ask(self, rule: Rule, fn: Callable[[T], list[Verdict]], subject: T) -> list[Verdict]:
        try:
            return fn(subject)
        except Exception as err:  # a bug in a rule must not cost the other findings
            self.errors.append(f"rule {rule.id} on {self.where}:\n{traceback.format_exc()}")
            return [crashed(rule.id, err)]

    def add(self, rule: Rule, verdicts: list[Verdict], table: str, env: str, resource: str,
            state: TableState | None) -> None:
        for v in verdicts:
            location = v.location
            if location is None and state is not None:
                location = locate(state, v.field)
            self.findings.append(Finding(
                rule_id=rule.id, check=rule.check, table=table, environment=env,
                resource=v.resource or resource, location=location, status=v.status,
                severity=rule.severity, message=v.message, expected=v.expected,
                actual=v.actual, field=v.field, reason=v.reason,
            ))


def evaluate(spec: Spec, states: Sequence[TableState], where: str,
             environment: str | None = None,
             absent_resource: Callable[[str], str] = str) -> Evaluation:
    """Every finding for every spec table in every environment this place covers.

    *absent_resource* names the resource of a table the source lacks, from the name it
    should have (the live source makes it an ARN). With no *environment* and no state
    that tells one, the evaluation has no environment and no findings.
    """
    placer = Placer(spec)
    matched: dict[tuple[str, str], list[TableState]] = defaultdict(list)
    strays: list[tuple[str | None, str | None, TableState]] = []  # (env, logical, state)
    seen: set[str] = set()
    outside: list[str] = []
    anywhere: list[tuple[str, TableState]] = []  # spec tables whose environment may be any
    for state in states:
        place = placer.place(state)
        if place.environment is not None:
            seen.add(place.environment)
        if place.logical in spec.tables and place.environment is None:
            anywhere.append((place.logical, state))
            seen.update(spec.environments)  # checked for each environment of the spec
        elif place.logical in spec.tables and place.environment is not None:
            matched[(place.logical, place.environment)].append(state)
        elif place.follows_pattern:
            strays.append((place.environment, place.logical, state))
        else:
            outside.append(str(state.name))
    envs = [environment] if environment else [e for e in spec.environments if e in seen]
    run = _Run(where)
    current = rules.RULES  # read now: a test may rebind the registry
    for table_name, any_env in anywhere:
        for env in envs:
            matched[(table_name, env)].append(any_env)
    for env in envs:
        here = [(logical, s) for e, logical, s in strays if e in (None, env)]
        for name, table in spec.tables.items():
            found = matched.get((name, env), [])
            wanted = [r for r in current if r.applies(table, env)]
            if found:
                subject = Subject(spec, table, env, found[0], tuple(found[1:]))
                for rule in wanted:
                    run.add(rule, run.ask(rule, rule.evaluate, subject), name, env,
                            found[0].resource, found[0])
                continue
            physical = placer.render(name, env)
            absence = Absence(spec, table, env, physical, where, tuple(s for _, s in here))
            for rule in wanted:
                run.add(rule, run.ask(rule, rule.when_absent, absence), name, env,
                        absent_resource(physical), None)
        for logical, state in here:
            stray = Stray(spec, env, state, logical)
            for rule in current:
                if rule.when_stray is not None:
                    run.add(rule, run.ask(rule, rule.when_stray, stray),
                            logical or "(unnamed)", env, state.resource, state)
    others = [str(s.name) for (_, e), group in matched.items() if e not in envs for s in group]
    others += [str(s.name) for e, _, s in strays if e is not None and e not in envs]
    return Evaluation(run.findings, envs, sorted(outside), sorted(others), run.errors)
