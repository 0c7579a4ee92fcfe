"""Plans damaged at random, value by value: every one is read into a report, none crashes.

Seeded, so a failure is the same on every run: each mutation puts a value of another type
(or an extreme one) somewhere in a table's or an alarm's planned values, or in what the plan
says is known only after apply, and runs the whole plan gate on it.
"""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path
from typing import Any

import pytest

from checker import pipeline
from checker.report import jsonreport
from checker.sources.plan import parse_plan_bytes, tables_from_plan
from checker.spec.model import Spec

REPO = Path(__file__).resolve().parent.parent
DRIFT = REPO / "checker" / "data" / "demo-drift.plan.json"
ODD: list[Any] = [None, "", "true", "false", "0", "yes", [], {}, [[]], [False], [{}], [""],
                  True, 0, -1, 300.7, 1e308, float("inf"), float("nan"), 10**30, "x" * 5000,
                  [[[[[]]]]], {"a": {"b": [1, "c"]}}, ["arn:aws:sns:eu-west-1:1:t", None]]
RUNS = 300


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into *value* (dict keys and list indexes)."""
    out = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            out += _leaves(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            out += _leaves(item, (*path, i))
    return out


def _put(root: Any, path: tuple[Any, ...], value: Any) -> None:
    for step in path[:-1]:
        root = root[step]
    root[path[-1]] = copy.deepcopy(value)


def _mutate(plan: dict[str, Any], rng: random.Random) -> dict[str, Any]:
    out = copy.deepcopy(plan)
    changes = [rc for rc in out["resource_changes"]
               if rc["type"] in ("aws_dynamodb_table", "aws_cloudwatch_metric_alarm")]
    for _ in range(rng.randint(1, 4)):
        change = rng.choice(changes)["change"]
        part = rng.choice(["after", "after_unknown"])
        paths = [p for p in _leaves(change[part]) if p]
        if paths:
            _put(change[part], rng.choice(paths), rng.choice(ODD))
        else:
            change[part] = rng.choice(ODD)
    return out


def test_random_damage_is_read_into_a_report_never_a_crash(spec: Spec) -> None:
    plan = parse_plan_bytes("drift.json", DRIFT.read_bytes())
    rng = random.Random(20261203)
    for run in range(RUNS):
        damaged = _mutate(plan, rng)
        try:
            states = tables_from_plan(damaged, "drift.json")
            outcome = pipeline.run(spec, [pipeline.Batch("drift.json", states)], kind="plan",
                                   target="drift.json")
            json.loads(jsonreport.render(outcome.report))
        except Exception as err:  # a crash: show the damage that made it
            pytest.fail(f"run {run}: {type(err).__name__}: {err}")
        assert outcome.exit_code in (0, 1), f"run {run}: exit {outcome.exit_code}"
