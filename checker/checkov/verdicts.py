"""One table's verdict on every rule, computed once per resource and shared by all checks.

Kept free of Checkov imports: it takes a conf dict and returns tablespec statuses, so it
can be tested without Checkov and `checks.py` stays a thin shell around it.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from checker.checkov.adapter import table_state
from checker.checkov.hclgraph import HclContext
from checker.engine import evaluate
from checker.errors import RunError
from checker.findings import Finding, Status
from checker.model import TableState, Unknown
from checker.placement import Placer
from checker.spec.discover import SPEC_VARIABLE, find_spec
from checker.spec.load import load_spec
from checker.spec.model import Spec

ENV_VARIABLE = "TABLESPEC_ENV"
# The decisive status of several findings of one rule on one table, strongest first.
_ORDER = (Status.FAIL, Status.UNKNOWN, Status.WAIVED, Status.PASS)


@dataclass(frozen=True)
class RuleResult:
    """What one check reports: a tablespec status and the lines that explain it."""

    status: Status
    details: tuple[str, ...]


@dataclass(frozen=True)
class TableVerdicts:
    """Every rule's result on one table; *otherwise* for rules with no finding."""

    results: dict[str, RuleResult]
    otherwise: RuleResult

    def for_rule(self, rule_id: str) -> RuleResult:
        """The result of *rule_id* on this table."""
        return self.results.get(rule_id, self.otherwise)


def _everywhere(status: Status, why: str) -> TableVerdicts:
    return TableVerdicts({}, RuleResult(status, (why,)))


_SPECS: dict[tuple[str | None, str], Spec | str] = {}


def current_spec() -> Spec | str:
    """The spec this process checks against (found and loaded once), or why there is none."""
    key = (os.environ.get(SPEC_VARIABLE), os.getcwd())
    if key not in _SPECS:
        try:
            _SPECS[key] = load_spec(find_spec(None))
        except RunError as err:
            _SPECS[key] = f"tablespec: {err.message}"
    return _SPECS[key]


def forget_specs() -> None:
    """Drop the loaded specs (tests that rewrite a spec file in one process)."""
    _SPECS.clear()


def _place(state: TableState, spec: Spec) -> tuple[str | None, str | None, str]:
    """(environment, logical table, or why it cannot be judged), placed as the CLI places
    it (the name, else the environment tag), then by $TABLESPEC_ENV."""
    place = Placer(spec).place(state)
    if not place.follows_pattern:
        return None, None, (f"{state.name} does not follow the naming pattern "
                            f"{spec.pattern!r} of {spec.path}: not a table of the spec")
    env = place.environment or os.environ.get(ENV_VARIABLE)
    if env:
        return env, place.logical, ""
    why = state.name.reason if isinstance(state.name, Unknown) else "no name"
    return None, None, (f"the environment of {why if place.logical is None else place.logical} "
                        f"cannot be told: no name or {spec.environment_tag} tag gives it, and "
                        f"${ENV_VARIABLE} is not set")


def _result(findings: list[Finding]) -> RuleResult:
    status = next(s for s in _ORDER if any(f.status is s for f in findings))
    lines: list[str] = []
    for f in findings:
        if f.status is status:
            lines += [f"{f.table} ({f.environment}): {f.message}", f"expected: {f.expected}",
                      f"actual: {f.actual}"]
    return RuleResult(status, tuple(lines))


def judge_state(state: TableState, spec: Spec) -> TableVerdicts:
    """Run every rule on *state*, held to the one spec table its name maps to."""
    env, table, why = _place(state, spec)
    if env is None:
        return _everywhere(Status.UNKNOWN, why)
    tables = {table: spec.tables[table]} if table in spec.tables else {}
    try:
        found = evaluate(replace(spec, tables=tables), [state], state.location.file or "?", env)
    except RunError as err:
        return _everywhere(Status.UNKNOWN, err.message)
    # tablespec's own waivers are not applied here: Checkov has its own suppressions
    mine = [f for f in found.findings if f.resource == state.resource]
    by_rule: dict[str, list[Finding]] = {}
    for f in mine:
        by_rule.setdefault(f.rule_id, []).append(f)
    subject = f"{table} ({env})" if table else str(state.name)
    return TableVerdicts({rule: _result(fs) for rule, fs in by_rule.items()},
                         RuleResult(Status.UNKNOWN, (f"does not apply to {subject}",)))


def judge(conf: dict[str, Any], file: str, context: HclContext | None = None) -> TableVerdicts:
    """Every rule's result on the table *conf* describes (HCL: *context* from the graph)."""
    loaded = current_spec()
    if isinstance(loaded, str):  # FAILED, not UNKNOWN: Checkov drops unknowns silently
        return _everywhere(Status.FAIL, loaded)
    if context is not None and context.problem:
        return _everywhere(Status.UNKNOWN, context.problem)
    if context is not None:
        state = table_state(context.conf, file, context.default_tags)
    else:
        state = table_state(conf, file)
    return judge_state(state, loaded)


_CACHE: dict[tuple[str, str], tuple[dict[str, Any], TableVerdicts]] = {}


def cached_judge(conf: dict[str, Any], file: str,
                 context: Callable[[], HclContext | None] | None = None) -> TableVerdicts:
    """judge(), once per resource: every check of a table asks with the same conf object.

    Keyed by file and address; the conf object itself is kept and compared, so a later
    run in the same process (same file name, new conf) is judged afresh.
    """
    key = (file, str(conf.get("__address__")))
    hit = _CACHE.get(key)
    if hit is not None and hit[0] is conf:
        return hit[1]
    verdicts = judge(conf, file, context() if context is not None else None)
    _CACHE[key] = (conf, verdicts)
    return verdicts
