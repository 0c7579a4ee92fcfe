"""Plans damaged value by value and byte by byte: every one ends in a report holding every
spec table (or exit 2 with one line), never a crash, and a value of the wrong type never
passes the check it feeds.

Each value mutation puts a value of another type (or an extreme one) somewhere in a table's
or an alarm's planned values, or in what the plan says is known only after apply, and runs
the whole plan gate on it. Byte damage (a cut, a flipped byte) goes through the CLI.
"""

from __future__ import annotations

import contextlib
import copy
import io
import json
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from checker import pipeline
from checker.cli import main
from checker.report import jsonreport
from checker.sources.plan import parse_plan_bytes, tables_from_plan
from checker.specfile.load import load_spec
from tests.support.paths import REPO

pytestmark = pytest.mark.fuzz

DRIFT = REPO / "checker" / "data" / "demo-drift.plan.json"
SPEC = load_spec(str(REPO / "specs" / "tables.yaml"))
PLAN = parse_plan_bytes("drift.json", DRIFT.read_bytes())
RAW = DRIFT.read_bytes()
ODD: list[Any] = [None, "", "true", "false", "0", "yes", [], {}, [[]], [False], [{}], [""],
                  True, False, 0, -1, 300.7, 1e308, float("inf"), float("nan"), 10**30,
                  "x" * 5000, [[[[[]]]]], {"a": {"b": [1, "c"]}},
                  ["arn:aws:sns:eu-west-1:1:t", None]]
CHANGES = [i for i, rc in enumerate(PLAN["resource_changes"])
           if rc["type"] in ("aws_dynamodb_table", "aws_cloudwatch_metric_alarm")]
# A bool of these blocks feeds these rules: a value that is not a bool never passes them.
FEEDS = {"point_in_time_recovery": ("TS-PITR-001",), "ttl": ("TS-TTL-001", "TS-TTL-002")}


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


def _logical(name: object) -> str | None:
    """The spec table a physical name of the drift plan is (prod)."""
    for table in SPEC.tables:
        if name == f"{SPEC.project}-{table}-prod":
            return table
    return None


@given(st.data())
def test_a_damaged_value_is_read_into_a_report_and_never_passes_its_check(
        data: st.DataObject) -> None:
    plan = copy.deepcopy(PLAN)
    must_not_pass: set[tuple[str, str]] = set()  # (rule, table)
    for _ in range(data.draw(st.integers(1, 4), "mutations")):
        rc = plan["resource_changes"][data.draw(st.sampled_from(CHANGES), "resource")]
        part = data.draw(st.sampled_from(["after", "after_unknown"]), "part")
        paths = [p for p in _leaves(rc["change"][part]) if p]
        value = data.draw(st.sampled_from(ODD), "value")
        if not paths:
            rc["change"][part] = value
            continue
        path = data.draw(st.sampled_from(paths), "path")
        _put(rc["change"][part], path, value)
        table = _logical(rc["change"]["after"].get("name")) if isinstance(
            rc["change"].get("after"), dict) else None
        if (part == "after" and rc["type"] == "aws_dynamodb_table" and table is not None
                and path[0] in FEEDS and path[-1] == "enabled" and not isinstance(value, bool)):
            must_not_pass.update((rule, table) for rule in FEEDS[path[0]])
    states = tables_from_plan(plan, "drift.json")
    outcome = pipeline.run(SPEC, [pipeline.Batch("drift.json", states)], kind="plan",
                           target="drift.json")
    report = json.loads(jsonreport.render(outcome.report))
    assert outcome.exit_code in (0, 1)
    assert set(SPEC.tables) <= {f["table"] for f in report["findings"]}
    passed = {(f["rule_id"], f["table"]) for f in report["findings"] if f["status"] == "pass"}
    assert not passed & must_not_pass, "a value of the wrong type passed its check"


@given(at=st.integers(0, len(RAW) - 1), how=st.sampled_from(["cut", "flip", "nul"]))
def test_damaged_bytes_are_exit_2_with_one_line_or_a_whole_report(
        tmp_path_factory: pytest.TempPathFactory, at: int, how: str) -> None:
    damaged = {"cut": RAW[:at], "flip": RAW[:at] + bytes([RAW[at] ^ 0x55]) + RAW[at + 1:],
               "nul": RAW[:at] + b"\x00" + RAW[at + 1:]}[how]
    where = tmp_path_factory.mktemp("plan")
    path, out = where / "plan.json", where / "report.json"
    path.write_bytes(damaged)
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["plan", str(path), "--spec", str(REPO / "specs" / "tables.yaml"),
                     "--format", "json", "-o", str(out)])
    lines = err.getvalue().splitlines()
    if code == 2:
        assert len(lines) == 1 and lines[0].startswith("tablespec: "), lines
        assert "Traceback" not in lines[0]
        return
    assert code in (0, 1), err.getvalue()
    report = json.loads(out.read_text())
    assert set(SPEC.tables) <= {f["table"] for f in report["findings"]}
