"""Match table states to the spec and run every rule: states in, findings out."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from checker.errors import RunError
from checker.model import Finding, Location, Severity, Status, TableState, Unknown
from checker.naming import Naming
from checker.rules import RULES
from checker.rules.base import Rule, Subject, Verdict
from checker.rules.naming import IN_SPEC, unexpected, unnamed
from checker.rules.presence import PRESENT, absent
from checker.spec.model import Spec

NOT_EVALUATED = "not evaluated: the table is absent"


@dataclass
class Evaluation:
    """The findings of one run, and what the source held that the spec does not cover."""

    findings: list[Finding]
    environments: list[str]
    ignored: list[str] = field(default_factory=list)
    other_environments: list[str] = field(default_factory=list)


def _finding(
    rule: Rule, verdict: Verdict, table: str, env: str, resource: str, loc: Location | None
) -> Finding:
    return Finding(
        rule_id=rule.id,
        check=rule.check,
        table=table,
        environment=env,
        resource=verdict.resource or resource,
        location=verdict.location or loc,
        status=verdict.status,
        severity=rule.severity,
        message=verdict.message,
        expected=verdict.expected,
        actual=verdict.actual,
        field=verdict.field,
    )


def _environment_of(state: TableState, naming: Naming) -> tuple[str | None, str | None]:
    """(logical table, environment) from the name, else the environment from the tag."""
    if isinstance(state.name, str):
        m = naming.match(state.name)
        return (m.table, m.environment) if m else (None, None)
    tags = state.tags
    env = tags.get("Environment") if isinstance(tags, dict) else None
    return None, env


def evaluate(
    spec: Spec, states: Sequence[TableState], where: str, environment: str | None = None
) -> Evaluation:
    """Every finding for every spec table in every environment the run covers."""
    naming = Naming(spec.pattern, spec.project, spec.environments)
    matched: dict[tuple[str, str], list[TableState]] = defaultdict(list)
    unnamed_states: list[tuple[str | None, TableState]] = []
    seen_envs: set[str] = set()
    ignored: list[str] = []
    for state in states:
        table, env = _environment_of(state, naming)
        if table and env:
            matched[(table, env)].append(state)
            seen_envs.add(env)
        elif isinstance(state.name, Unknown):
            unnamed_states.append((env, state))
            if env in spec.environments:  # the Environment tag stands in for the name
                seen_envs.add(env)
        else:
            ignored.append(str(state.name))
    if environment is not None:
        if environment not in spec.environments:
            known = ", ".join(spec.environments)
            raise RunError(f"--env {environment}: not an environment of {spec.path} ({known})")
        envs = [environment]
    else:
        envs = sorted(seen_envs, key=spec.environments.index)
        if not envs:
            raise RunError(
                f"{where}: no table follows the naming pattern {spec.pattern!r} of "
                f"{spec.path}, so the environment is unknown; pass --env ENV"
            )
    findings: list[Finding] = []
    for env in envs:
        findings.extend(_environment_findings(spec, naming, matched, env, where))
        for env_guess, state in unnamed_states:
            if env_guess in (None, env) and isinstance(state.name, Unknown):
                findings.append(_finding(IN_SPEC, unnamed(state.name), "(unnamed)", env,
                                         state.resource, state.location))
    others = sorted(str(s.name) for (_, env), group in matched.items() if env not in envs
                    for s in group)
    return Evaluation(findings, envs, sorted(ignored), others)


def _environment_findings(
    spec: Spec,
    naming: Naming,
    matched: dict[tuple[str, str], list[TableState]],
    env: str,
    where: str,
) -> Iterable[Finding]:
    for name, table in spec.tables.items():
        states = matched.get((name, env), [])
        physical = naming.render(name, env)
        if not states:
            yield _finding(PRESENT, absent(physical, where), name, env, physical, None)
            for rule in RULES:
                if rule is not PRESENT and rule.applies(table, env):
                    verdict = Verdict(Status.UNKNOWN, NOT_EVALUATED, "table present", "absent")
                    yield _finding(rule, verdict, name, env, physical, None)
            continue
        state = states[0]
        subject = Subject(spec, table, env, state)
        for rule in RULES:
            if rule.applies(table, env):
                for verdict in rule.evaluate(subject):
                    yield _finding(rule, verdict, name, env, state.resource, state.location)
        for dup in states[1:]:
            verdict = Verdict(Status.FAIL, f"{physical} is declared again by {dup.resource}",
                              "one table", f"{len(states)} declarations", "name")
            yield _finding(PRESENT, verdict, name, env, dup.resource, dup.location)
    for (name, table_env), states in sorted(matched.items()):
        if table_env == env and name not in spec.tables:
            for state in states:
                verdict = unexpected(str(state.name), name, spec.path)
                yield _finding(IN_SPEC, verdict, name, env, state.resource, state.location)


def failing(findings: Iterable[Finding], threshold: Severity | None = None,
            unknown_fails: bool = False) -> list[Finding]:
    """Findings that make the run fail."""
    bad = {Status.FAIL, Status.UNKNOWN} if unknown_fails else {Status.FAIL}
    return [
        f for f in findings
        if f.status in bad and (threshold is None or f.severity.rank >= threshold.rank)
    ]
