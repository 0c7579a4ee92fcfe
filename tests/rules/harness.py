"""Rule cases on TableState objects: no parsing anywhere.

Each family's test module lists `CASES`: one rule, one table, the changes to a compliant
state that make the rule pass, fail or be unknown, and the field the finding is about.
`test_registry.py` runs every case and checks that every registered rule has them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from checker.batch import Batch
from checker.engine import evaluate
from checker.findings import Finding, Reason, Status
from checker.model import TableState
from checker.runpolicy import RunPolicy
from checker.specfile.model import Spec
from tests.support.builders import compliant

SESSIONS, EVENTS, REWARDS = "player-sessions", "interaction-events", "player-rewards"
Verdicts = list[tuple[str, str, str, str]]  # (status, rule id, table, field)


@dataclass(frozen=True)
class Case:
    """What makes *rule* give *status* on *table* (about *field*)."""

    rule: str
    status: Status
    table: str
    field: str
    changes: dict[str, Any] = dataclasses.field(default_factory=dict)  # to its compliant state
    env: str = "prod"
    absent: bool = False  # the source lacks the table
    extra: Callable[[Spec], TableState] | None = None  # one more table the source holds
    spec: Callable[[Spec], Spec] | None = None  # a variant of the project's spec
    also: tuple[tuple[str, str, str, str], ...] = ()  # other findings that do not pass

    @property
    def id(self) -> str:
        """A readable test id."""
        return f"{self.rule}-{self.status.value}-{self.table}-{self.field}"


def states(spec: Spec, env: str = "prod", /, **by_table: dict[str, Any]) -> list[TableState]:
    """A compliant state per spec table, with per-table changes."""
    return [compliant(spec, t, env, **by_table.get(t.name, {})) for t in spec.tables.values()]


def run(spec: Spec, sts: Sequence[TableState], env: str | None = None) -> list[Finding]:
    """Every finding the engine gives on *sts*, as the plan gate runs it."""
    return evaluate(spec, Batch("test", sts), RunPolicy(mismatch_is_finding=True), env).findings


def not_passing(findings: list[Finding]) -> Verdicts:
    """(status, rule id, table, field) of every finding that did not pass."""
    return sorted((f.status.value, f.rule_id, f.table, f.field)
                  for f in findings if f.status is not Status.PASS)


def only(spec: Spec, table: str, env: str = "prod", /, **changes: Any) -> Verdicts:
    """Evaluate with *changes* on one table; return what did not pass."""
    return not_passing(run(spec, states(spec, env, **{table: changes})))


def decisive(findings: list[Finding]) -> Verdicts:
    """(status, rule id, table, field) of every failure and every unknown value.

    Leaves out what is `not_evaluated`: it follows from a failure reported once elsewhere.
    """
    return sorted((f.status.value, f.rule_id, f.table, f.field) for f in findings
                  if f.status is not Status.PASS and f.reason is not Reason.NOT_EVALUATED)


def findings_of(spec: Spec, case: Case) -> list[Finding]:
    """The findings of the whole run a case describes."""
    spec = case.spec(spec) if case.spec else spec
    sts = [compliant(spec, t, case.env, **(case.changes if t.name == case.table else {}))
           for t in spec.tables.values() if not (case.absent and t.name == case.table)]
    if case.extra is not None:
        sts.append(case.extra(spec))
    return run(spec, sts, case.env)


def with_tables(spec: Spec, **changes: Any) -> Spec:
    """*spec* with *changes* made to every table."""
    return replace(spec, tables={n: replace(t, **changes) for n, t in spec.tables.items()})
