"""One table's verdict on every rule, computed once per resource and shared by all checks.

Kept free of Checkov imports: it takes a conf dict and returns tablespec statuses, so it
can be tested without Checkov and `checks.py` stays a thin shell around it.
"""

from __future__ import annotations

import gc
import os
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from checker.batch import Batch
from checker.checkov.adapter import locate, matching, read
from checker.checkov.cfn import locate_cfn, matching_cfn
from checker.checkov.locate import Located
from checker.engine import evaluate
from checker.errors import RunError
from checker.findings import Finding, Reason, Severity, Status
from checker.model import TableState
from checker.naming.placement import Placer
from checker.specfile.discover import SPEC_VARIABLE, find_spec
from checker.specfile.load import load_spec
from checker.specfile.model import Spec
from checker.unknown import Unknown

ENV_VARIABLE = "TABLESPEC_ENV"
# What Checkov is told of an unknown: FAILED on a critical or high rule and UNKNOWN below
# ("severity", the default), FAILED always ("fail"), or UNKNOWN always ("unknown"). Checkov
# leaves UNKNOWN out of its report, so what it cannot tell must fail where it matters.
UNKNOWN_VARIABLE = "TABLESPEC_CHECKOV_UNKNOWN"
UNKNOWN_MODES = ("severity", "fail", "unknown")
# The decisive status of several findings of one rule on one table, strongest first.
_ORDER = (Status.FAIL, Status.UNKNOWN, Status.WAIVED, Status.PASS)


@dataclass(frozen=True)
class RuleResult:
    """What one check reports: a tablespec status and the lines that explain it."""

    status: Status
    details: tuple[str, ...]
    reason: Reason | None = None  # an unknown's: None when the rule does not apply at all


@dataclass(frozen=True)
class TableVerdicts:
    """Every rule's result on one table; *otherwise* for rules with no finding."""

    results: dict[str, RuleResult]
    otherwise: RuleResult

    def for_rule(self, rule_id: str) -> RuleResult:
        """The result of *rule_id* on this table."""
        return self.results.get(rule_id, self.otherwise)


def _everywhere(status: Status, why: str,
                reason: Reason | None = Reason.UNKNOWN_VALUE) -> TableVerdicts:
    """*status* on every rule; an unknown cannot tell (*reason*), or the table is no spec
    table's (None: no rule applies)."""
    return TableVerdicts({}, RuleResult(status, (why,),
                                        reason if status is Status.UNKNOWN else None))


def for_checkov(result: RuleResult, severity: Severity, mode: str) -> RuleResult:
    """What Checkov reports of *result* under $TABLESPEC_CHECKOV_UNKNOWN *mode*: an unknown
    that must not pass unseen is FAILED, its details saying it cannot tell. One that only
    follows from another finding (not evaluated), or a rule that does not apply, stays
    UNKNOWN."""
    if result.status is not Status.UNKNOWN or result.reason in (None, Reason.NOT_EVALUATED):
        return result
    if mode == "unknown" or (mode == "severity" and severity.rank < Severity.HIGH.rank):
        return result
    first, *rest = result.details or ("",)
    said = first if "cannot tell" in first else f"cannot tell: {first}"
    return RuleResult(Status.FAIL, (said, *rest), result.reason)


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


def unknown_mode() -> str:
    """$TABLESPEC_CHECKOV_UNKNOWN, as written (default: by severity)."""
    return os.environ.get(UNKNOWN_VARIABLE, "").strip().lower() or "severity"


def forget_specs() -> None:
    """Drop the loaded specs (tests that rewrite a spec file in one process)."""
    _SPECS.clear()


_PLACER: list[tuple[Spec, Placer]] = []  # the last spec's: a placer indexes every spec table


def _placer(spec: Spec) -> Placer:
    """The Placer of *spec*, made once for all the tables of a run, not once per table."""
    if not _PLACER or _PLACER[0][0] is not spec:
        _PLACER[:] = [(spec, Placer(spec))]
    return _PLACER[0][1]


def _place(state: TableState, spec: Spec) -> tuple[list[str], str | None] | TableVerdicts:
    """(environments, logical table) placed as the CLI places it (the name, else the
    environment tag; a module's name that fits one table in every environment, each of
    them), then by $TABLESPEC_ENV; or, where it cannot be placed, the verdicts that says."""
    place = _placer(spec).place(state)
    if not place.follows_pattern:  # not a table of the spec: no rule applies
        return _everywhere(Status.UNKNOWN, f"{state.name} does not follow the naming pattern "
                           f"{spec.pattern!r} of {spec.path}: not a table of the spec", None)
    env = place.environment or os.environ.get(ENV_VARIABLE)
    if env:
        return [env], place.logical
    if place.any_environment:
        return list(spec.environments), place.logical
    why = state.name.reason if isinstance(state.name, Unknown) else "no name"
    return _everywhere(Status.UNKNOWN, (
        f"the environment of {why if place.logical is None else place.logical} cannot be "
        f"told: no name or {spec.environment_tag} tag gives it, and ${ENV_VARIABLE} is not "
        "set"))


def _reason(reasons: list[Reason | None]) -> Reason | None:
    """The reason of several unknowns: one that is not "not evaluated" first."""
    return next((r for r in reasons if r not in (None, Reason.NOT_EVALUATED)),
                next((r for r in reasons if r is not None), None))


def _result(findings: list[Finding]) -> RuleResult:
    status = next(s for s in _ORDER if any(f.status is s for f in findings))
    decisive = [f for f in findings if f.status is status]
    lines: list[str] = []
    for f in decisive:
        lines += [f"{f.table} ({f.placed()}): {f.message}", f"expected: {f.expected}",
                  f"actual: {f.actual}"]
    reason = _reason([f.reason for f in decisive]) if status is Status.UNKNOWN else None
    return RuleResult(status, tuple(lines), reason)


def judge_state(state: TableState, spec: Spec) -> TableVerdicts:
    """Run every rule on *state*, held to the one spec table its name maps to (in each
    environment it may be in)."""
    placed = _place(state, spec)
    if isinstance(placed, TableVerdicts):
        return placed
    envs, table = placed
    return _combined([_judge_in(state, spec, table, env) for env in envs])


def _judge_in(state: TableState, spec: Spec, table: str | None, env: str) -> TableVerdicts:
    tables = {table: spec.tables[table]} if table in spec.tables else {}
    try:
        found = evaluate(replace(spec, tables=tables),
                         Batch(state.location.file or "?", [state]), environment=env)
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


def _combined(results: list[TableVerdicts]) -> TableVerdicts:
    """The verdicts of several instances Checkov reports as one resource (or of one table
    in each environment it may be in): per rule, the strongest status of those it applies
    to, with their lines."""
    if len(results) == 1:
        return results[0]
    rules = {r for v in results for r in v.results}
    out = {}
    for rule in rules:
        each = [v.for_rule(rule) for v in results]
        applies = [r for r in each if r.status is not Status.UNKNOWN or r.reason is not None]
        each = applies or each
        status = next(s for s in _ORDER if any(r.status is s for r in each))
        decisive = [r for r in each if r.status is status]
        out[rule] = RuleResult(status, tuple(line for r in decisive for line in r.details),
                               _reason([r.reason for r in decisive]))
    return TableVerdicts(out, results[0].otherwise)


_READ: dict[tuple[int, str], tuple[Any, list[TableState] | str]] = {}  # one per file per run


def _states(located: Located, graph: Any) -> list[TableState] | str:
    """The file's tables, read once per Checkov run (a run has a graph of its own)."""
    key = (id(graph), located.path)
    if key not in _READ:
        if len({k[0] for k in _READ}) >= 8:  # another run: forget the old reads
            _READ.clear()
        try:
            found: list[TableState] | str = read(located)
        except RunError as err:
            found = f"tablespec cannot read {located.path}: {err.message}"
        _READ[key] = (graph, found)  # the graph is kept, so that its id stays its own
    return _READ[key][1]


def _spec() -> Spec | TableVerdicts:
    """The spec, or the verdicts that say why there is none (or the unknown mode is bad):
    FAILED, not UNKNOWN, as Checkov drops unknowns silently."""
    loaded = current_spec()
    if isinstance(loaded, str):
        return _everywhere(Status.FAIL, loaded)
    if unknown_mode() not in UNKNOWN_MODES:
        return _everywhere(Status.FAIL, f"tablespec: ${UNKNOWN_VARIABLE} must be one of "
                           f"{', '.join(UNKNOWN_MODES)}")
    return loaded


def judge(conf: dict[str, Any], graph: Any, file: str = "") -> TableVerdicts:
    """Every rule's result on the table *conf* stands for, read from its file (*file*: where
    Checkov reports it)."""
    loaded = _spec()
    if isinstance(loaded, TableVerdicts):
        return loaded
    located = locate(conf, graph, file)
    if isinstance(located, str):
        return _everywhere(Status.UNKNOWN, located)
    return judge_located(located, graph, loaded)


def judge_located(located: Located, graph: Any, loaded: Spec) -> TableVerdicts:
    """Every rule's result on the resource *located* names, read from its file."""
    states = _states(located, graph)
    if isinstance(states, str):
        return _everywhere(Status.UNKNOWN, states)
    mine = matching_cfn(states, located.path, located.address) if located.cfn else matching(
        states, located.address)
    if not mine:
        return _everywhere(Status.UNKNOWN, f"tablespec reads no table {located.address} in "
                           f"{located.path}")
    return _combined([judge_state(s, loaded) for s in mine])


_CACHE: dict[tuple[str, str], tuple[dict[str, Any], TableVerdicts]] = {}


def _once(key: tuple[str, str], conf: dict[str, Any],
          compute: Callable[[], TableVerdicts]) -> TableVerdicts:
    """*compute*(), once per resource: every check of a table asks with the same conf
    object, which is kept and compared, so a later run in the same process (same key, new
    conf) is judged afresh."""
    hit = _CACHE.get(key)
    if hit is not None and hit[0] is conf:
        return hit[1]
    # Checkov holds hundreds of MB of objects: the passes of the cyclic collector that
    # reading a plan or judging a table set off walk them all, for trees that hold no
    # cycle (measured in Checkov: the 1,000-table plan read in 0.61 s instead of 0.05 s)
    collecting = gc.isenabled()
    gc.disable()
    try:
        verdicts = compute()
    finally:
        if collecting:
            gc.enable()
    _CACHE[key] = (conf, verdicts)
    return verdicts


def judge_cfn(entity_path: str) -> TableVerdicts:
    """Every rule's result on the CloudFormation resource of *entity_path*, read from the
    template Checkov is checking."""
    loaded = _spec()
    if isinstance(loaded, TableVerdicts):
        return loaded
    located = locate_cfn(entity_path)
    if isinstance(located, str):
        return _everywhere(Status.UNKNOWN, located)
    return judge_located(located[0], located[1], loaded)


def cached_judge_cfn(conf: dict[str, Any], entity_path: str) -> TableVerdicts:
    """judge_cfn(), once per resource."""
    return _once(("cfn", entity_path), conf, lambda: judge_cfn(entity_path))


def cached_judge(conf: dict[str, Any], file: str, graph: Any) -> TableVerdicts:
    """judge(), once per resource (keyed by file and address)."""
    return _once((file, str(conf.get("__address__"))), conf, lambda: judge(conf, graph, file))
