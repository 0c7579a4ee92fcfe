"""Helpers of the spec init tests: seed tables made by hand, drafts, their data and comments."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

import yaml

from checker import pipeline
from checker.drafter import Draft, draft_spec
from checker.findings import Status
from checker.model import TableState
from checker.runpolicy import RunPolicy
from checker.specfile.load import load_spec
from checker.specfile.model import Spec
from tests.support.builders import compliant
from tests.support.paths import REPO

SEED = load_spec(REPO / "specs" / "tables.yaml")
WHEN = datetime(2030, 1, 2, 3, 4, tzinfo=UTC)


def state(table: str, env: str, name: str | None = None, **changes: Any) -> TableState:
    """A table of the seed spec as it should be in *env* (named *name*), then *changes*."""
    made = compliant(SEED, SEED.tables[table], env, **changes)
    if name is not None:
        made.name = name
    return made


def every(env: str, names: dict[str, str] | None = None, **changes: Any) -> list[TableState]:
    """Every seed table in *env*, some renamed."""
    return [state(t, env, (names or {}).get(t), **changes) for t in SEED.tables]


def draft(states: Sequence[TableState], **options: Any) -> Draft:
    return draft_spec(states, "tables made by hand", now=WHEN, **options)


def failing(spec: Spec, batches: Iterable[Sequence[TableState]], env: str | None = None
            ) -> list[tuple[str, str, str, str]]:
    """(rule, table, environment, message) of every failing finding, each batch on its own."""
    out = pipeline.run(spec, [pipeline.Batch(f"batch{i}", list(b)) for i, b in
                              enumerate(batches)], kind="plan", target="t", environment=env,
                       policy=RunPolicy(mismatch_is_finding=True))
    return [(f.rule_id, f.table, f.environment, f.message) for f in out.report.findings
            if f.status is Status.FAIL]


def data(d: Draft) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(d.text)
    return loaded


def comments(d: Draft) -> list[str]:
    return [line.strip() for line in d.text.splitlines() if line.strip().startswith("#")]


def said(d: Draft) -> str:
    """Every comment of the draft as one line of text."""
    return " ".join(c.removeprefix("#").strip() for c in comments(d))
