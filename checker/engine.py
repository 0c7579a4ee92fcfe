"""Match table states to the spec and run every rule: states in, findings out.

The engine knows no rule by name. It places each state (which spec table, which
environment), then asks every registered rule about every (spec table, environment):
`evaluate` when the source holds the table, `when_absent` when it does not,
`when_stray` about tables no spec table claims, and `when_unread` about a place that could
not be read at all; not about a spec table this place lacks when another place of the
same run answers for it (`pooling`). A global table's replicas are the same
spec table in their own regions: each is asked about on its own, and each finding carries
its region. A rule that raises is contained: its finding becomes `unknown` (reason
`rule_error`) and every other finding stands.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Container, Sequence
from dataclasses import dataclass, field
from typing import TypeVar

from checker import rules
from checker.batch import Batch
from checker.findings import Finding
from checker.model import Location, TableState
from checker.naming.placement import Place, Placer
from checker.rules.base import Absence, Rule, Stray, Subject, Unread, Verdict, crashed
from checker.runpolicy import LENIENT, RunPolicy
from checker.specfile.model import Spec
from checker.unknown import Unknown

T = TypeVar("T")
UNPLACED = "(unknown)"  # the environment of a finding on a table whose environment is unknown
PLACE = "*"  # the table of a finding about a whole place (every table there)
UNNAMED = "(unnamed)"  # the table of a finding on a table that is no spec table's, unnamed


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

    def __init__(self, where: str, region: str | None = None) -> None:
        self.where = where
        self.region = region  # of the place read, where it has one (an audited region)
        self.findings: list[Finding] = []
        self.errors: list[str] = []

    def ask(self, rule: Rule, fn: Callable[[T], list[Verdict]], subject: T) -> list[Verdict]:
        try:
            return fn(subject)
        except Exception as err:  # a bug in a rule must not cost the other findings
            import traceback  # only for a rule that raised

            self.errors.append(f"rule {rule.id} on {self.where}:\n{traceback.format_exc()}")
            return [crashed(rule.id, err)]

    def add(self, rule: Rule, verdicts: list[Verdict], table: str, env: str, resource: str,
            state: TableState | None) -> None:
        # what every finding of the call shares, read once (a plan of 1,000 tables makes
        # 20,000 findings); Finding's fields in order
        rule_id, check, severity = rule.id, rule.check, rule.severity
        region = state.region if state is not None else self.region
        replica = state is not None and state.replica is not None
        where = state.location if state is not None else None
        written = state is not None and bool(state.field_locations)
        append = self.findings.append
        for v in verdicts:
            location = v.location
            if location is None and state is not None:
                location = locate(state, v.field) if written else where
            append(Finding(rule_id, check, table, env, v.resource or resource, location,
                           v.status, severity, v.message, v.expected, v.actual, v.field,
                           v.reason, region, replica))


@dataclass
class _Sorted:
    """The states of one place, sorted by where they belong."""

    matched: dict[tuple[str, str], list[TableState]] = field(
        default_factory=lambda: defaultdict(list))
    strays: list[tuple[str | None, Place, TableState]] = field(default_factory=list)
    anywhere: list[tuple[str, TableState]] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)
    outside: list[TableState] = field(default_factory=list)
    others: list[str] = field(default_factory=list)


def _sort(spec: Spec, placer: Placer, states: Sequence[TableState], environment: str | None,
          mismatch_is_finding: bool, strict_names: bool) -> _Sorted:
    out = _Sorted()
    for state in states:
        place = placer.place(state)
        if not place.follows_pattern and strict_names:
            out.strays.append((environment, place, state))
        elif not place.follows_pattern:
            out.outside.append(state)
        elif place.any_environment and place.logical is not None:
            out.anywhere.append((place.logical, state))
            out.seen.update(spec.environments)  # checked for each environment of the spec
        elif place.environment is None and environment is None:
            out.strays.append((None, place, state))  # nothing tells its environment
        elif environment is not None and place.environment not in (None, environment):
            if mismatch_is_finding:  # e.g. a prod table in a dev plan
                out.strays.append((environment, place, state))
            else:  # the audit's --env selects
                out.others.append(str(state.name))
        else:
            env = place.environment or environment
            assert env is not None
            out.seen.add(env)
            if place.logical in spec.tables:
                out.matched[(place.logical, env)].append(state)
            else:
                out.strays.append((env, place, state))
    return out


def holds(spec: Spec, states: Sequence[TableState], policy: RunPolicy = LENIENT,
          environment: str | None = None, anywhere: bool = True) -> set[tuple[str, str]]:
    """The (spec table, environment) pairs *states* hold, placed as `evaluate` places them
    (a table whose environment is not known: in every environment of the spec, unless
    not *anywhere*)."""
    found = _sort(spec, Placer(spec), states, environment, policy.mismatch_is_finding,
                  policy.strict_names)
    return {*(key for key, group in found.matched.items() if group),
            *((name, env) for name, _ in found.anywhere if anywhere
              for env in spec.environments)}


def evaluate(spec: Spec, batch: Batch, policy: RunPolicy = LENIENT,
             environment: str | None = None,
             elsewhere: Container[tuple[str, str]] = ()) -> Evaluation:
    """Every finding for every spec table in every environment this place covers.

    *environment* is the run's `--env` (the batch's `selected` environment instead, where
    it has one); the batch's own `environment` is that of the place itself (an account the
    spec lists), whose spec tables are then expected there. Its *absent_resource* names the
    resource of a table the source lacks, from the name it should have (the live source
    makes it an ARN). With `policy.mismatch_is_finding` (plan, hcl, cfn), a table whose own
    environment is not the run's is a finding; otherwise (audit) it is only noted. With
    `policy.strict_names`, a table outside the spec's naming is a finding too.
    A table whose name is not known, in a place whose environment nothing tells, may be
    any spec table of any environment: every environment of the spec is then checked.
    A place that could not be read at all (the batch's *unreadable* says why) is answered
    for as a whole (`unread`); the batch's scope gives its region, for findings on what it
    does not hold. *elsewhere*: the (spec table, environment) pairs another place of the
    run answers for (`pooling`): this place lacking one of them is no finding.
    """
    states, where, absent_resource = batch.states, batch.where, batch.absent_resource
    environment = batch.selected or environment
    place_environment, unreadable = batch.environment, batch.unreadable
    region = (batch.scope or {}).get("region")
    mismatch_is_finding, strict_names = policy.mismatch_is_finding, policy.strict_names
    if unreadable is not None:
        return unread(where, environment or place_environment, unreadable,
                      absent_resource(PLACE), region)
    placer = Placer(spec)
    found = _sort(spec, placer, states, environment, mismatch_is_finding, strict_names)
    if place_environment is not None:
        found.seen.add(place_environment)
    envs = [environment] if environment else [e for e in spec.environments if e in found.seen]
    if not envs and any(isinstance(s.name, Unknown) for e, _, s in found.strays if e is None):
        envs = list(spec.environments)  # a table of any environment may hide there
    run = _Run(where, region)
    current = rules.RULES  # read now: a test may rebind the registry
    for table_name, any_env in found.anywhere:
        for env in envs:
            found.matched[(table_name, env)].append(any_env)
    untold = [s for e, _, s in found.strays if e is None]  # of any environment, maybe this
    for env in envs:
        here = [(place, s) for e, place, s in found.strays if e == env]
        # where a rename, or a table whose name is not known, may hide
        unclaimed = (*(s for _, s in here), *found.outside, *untold)
        for name in spec.tables:
            states = found.matched.get((name, env), [])
            if states or (name, env) not in elsewhere:
                _table(run, spec, placer, current, name, env, states, unclaimed,
                       absent_resource)
        _strays(run, spec, current, env, here)
    _strays(run, spec, current, UNPLACED, [(p, s) for e, p, s in found.strays if e is None])
    others = found.others + [str(s.name) for (_, e), group in found.matched.items()
                             if e not in envs for s in group]
    return Evaluation(run.findings, envs, sorted(str(s.name) for s in found.outside),
                      sorted(others), run.errors)


def _table(run: _Run, spec: Spec, placer: Placer, current: Sequence[Rule], name: str, env: str,
           found: list[TableState], strays: tuple[TableState, ...],
           absent_resource: Callable[[str], str]) -> None:
    """Every rule that applies, on one spec table in one environment."""
    table = spec.tables[name]
    wanted = [r for r in current if r.applies(table, env)]
    replicas: dict[str, list[TableState]] = defaultdict(list)
    for state in found:
        if state.replica is not None:
            replicas[state.replica].append(state)
    tables = [s for s in found if s.replica is None]
    for group in (tables, *replicas.values()):
        if not group:
            continue
        subject = Subject(spec, table, env, group[0], tuple(group[1:]))
        for rule in wanted:
            run.add(rule, run.ask(rule, rule.evaluate, subject), name, env,
                    group[0].resource, group[0])
    if found:  # replicas alone: the table is declared elsewhere (their global table)
        return
    physical = placer.render(name, env)
    absence = Absence(spec, table, env, physical, run.where, strays)
    for rule in wanted:
        run.add(rule, run.ask(rule, rule.when_absent, absence), name, env,
                absent_resource(physical), None)


def unread(where: str, environment: str | None, why: Unknown, resource: str,
           region: str | None = None) -> Evaluation:
    """The findings for a place that could not be read at all: every rule with `when_unread`
    answers once for the place (its tables are not judged one by one)."""
    run = _Run(where, region)
    env = environment or UNPLACED
    for rule in rules.RULES:
        if rule.when_unread is not None:
            run.add(rule, run.ask(rule, rule.when_unread, Unread(where, env, why)), PLACE, env,
                    resource, None)
    return Evaluation(run.findings, [environment] if environment else [], errors=run.errors)


def _strays(run: _Run, spec: Spec, current: Sequence[Rule], env: str,
            strays: list[tuple[Place, TableState]]) -> None:
    """The rules that judge tables no spec table claims, on each of them."""
    for place, state in strays:
        stray = Stray(spec, env, state, place)
        for rule in current:
            if rule.when_stray is not None:
                run.add(rule, run.ask(rule, rule.when_stray, stray),
                        place.logical or UNNAMED, env, state.resource, state)
