"""Specs and waiver files damaged value by value and line by line: `spec validate` and the
plan gate (in-process, through `main`) end in exit 2 with clear lines naming the file, or
in a report that holds every table of the damaged spec; never a traceback, never exit 3,
and a changed value never passes the check it feeds.

A structural mutation puts a value of another type (or an extreme one) anywhere in the
seed spec, deletes, renames or adds keys, nests a value deep, or shares a part (YAML
aliases); text damage cuts, doubles or breaks lines, adds an alias bomb, a tag or a second
document. A value mutation changes one checked number or name and judges it by the
ranges of docs/spec.md (CloudWatch's periods, a year of hours), written out here again.
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import io
import json
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import event, given
from hypothesis import strategies as st

from checker.cli import main
from checker.specfile.limits import MAX_SHOWN
from checker.specfile.load import load_spec
from tests.support.paths import REPO

pytestmark = pytest.mark.fuzz

SEED = REPO / "specs" / "tables.yaml"
DRIFT = str(REPO / "checker" / "data" / "demo-drift.plan.json")
SPEC: dict[str, Any] = yaml.safe_load(SEED.read_text())
TABLES = tuple(SPEC["tables"])
LONG = "x" * 5000
ODD: list[Any] = [None, True, False, 0, -1, 1.5, 10**30, 10**401, -(10**20), 2**63,
                  float("nan"), float("inf"), float("-inf"), 1e308, 8785, 604_860, "",
                  "a\nb", "\u2028", "{table}", "{nope}", "2024-13-45", LONG, [], {}, [[]],
                  {"a": {"b": [1, "c"]}}, dt.date(2020, 2, 29), "!!python/object", "*x"]
VALUES = st.one_of(st.sampled_from(ODD), st.integers(-(10**6), 10**6),
                   st.floats(), st.text(max_size=12))


@dataclass
class Run:
    """What one `main(argv)` did: its exit code and stderr lines."""

    code: int
    lines: list[str]


def run(argv: list[str]) -> Run:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(argv)
    return Run(code, err.getvalue().splitlines())


def dump(data: Any) -> str:
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10**6)


def paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into *value* (dict keys and list indexes), the root first."""
    out = [path]
    items = value.items() if isinstance(value, dict) else enumerate(
        value if isinstance(value, list) else [])
    for key, item in items:
        out += paths(item, (*path, key))
    return out


def at(root: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        root = root[step]
    return root


PLAUSIBLE = ["prod", "dev", "staging", "qa", "ttl", "playerId", "S", "N", "B", "ALL",
             "KEYS_ONLY", "PROVISIONED", "customer_managed", "aws_owned", "Owner", "Sum",
             "Maximum", "LessThanThreshold", "TS-TTL-002", "TS-PITR-001", "alarms", "tags",
             "player-rewards", "player-sessions", "eu-west-1", "us-east-1", "2020-01-31",
             "{project}-{table}-{environment}", "{table}", "123456789012"]


def _plausible(value: Any) -> st.SearchStrategy[Any]:
    """A value of the type of *value* that a spec could hold."""
    if isinstance(value, bool):
        return st.just(not value)
    if isinstance(value, int | float):
        return st.sampled_from([0, 1, 10, 20, 60, 300, 3600, 86_400, 8784, 0.5, 1e-05])
    if isinstance(value, list) and value:
        return st.sampled_from([value[:-1], value + value[-1:], value[::-1]])
    if isinstance(value, str):
        return st.sampled_from(PLAUSIBLE)
    return st.just(value)


def mutate(data: st.DataObject, spec: Any) -> tuple[Any, list[str]]:
    """One structural change to *spec*: (the new spec, long strings it now holds)."""
    inside = [p for p in paths(spec) if p]
    if not inside:  # an empty mapping or list, or a scalar, is replaced whole
        return copy.deepcopy(data.draw(VALUES, "root")), []
    where = data.draw(st.sampled_from(inside), "path")
    parent, key = at(spec, where[:-1]), where[-1]
    how = data.draw(st.sampled_from(["tweak"] * 4 + ["value", "delete", "add", "rename",
                                                    "deep", "share"]), "how")
    long: list[str] = []
    if how == "tweak":  # a plausible value of the same type: often still a valid spec
        parent[key] = data.draw(_plausible(parent[key]), "tweak")
    elif how == "value":
        parent[key] = copy.deepcopy(data.draw(VALUES, "value"))
    elif how == "delete":
        del parent[key]
    elif how in ("add", "rename") and isinstance(parent, dict):
        name = data.draw(st.one_of(st.text(max_size=8), st.sampled_from([LONG, "a\nb"])))
        parent[name] = data.draw(VALUES, "value") if how == "add" else parent.pop(key)
    elif how == "deep":
        for _ in range(data.draw(st.integers(1, 40), "depth")):
            parent[key] = [parent[key]]
    else:  # share: the same part in two places, which YAML writes as an anchor and alias
        other = data.draw(st.sampled_from(paths(spec)), "other")
        if where[: len(other)] != other:  # not a part that holds it: no cycle
            parent[key] = at(spec, other)
    long += [s for p in paths(spec) if isinstance(s := at(spec, p), str) and len(s) > 64]
    long += [k for p in paths(spec) if p and isinstance(k := p[-1], str) and len(k) > 64]
    return spec, long


BOMB = "\n".join(["bomb0: &b0 [a, a, a, a, a, a, a, a, a, a]"] + [
    f"bomb{i}: &b{i} [" + ", ".join([f"*b{i - 1}"] * 10) + "]" for i in range(1, 9)]) + "\n"
SNIPPETS = ["\x00", "\t", "\x85", "\ufeff", '"', "'", ": ", "- ", "[", "{", "&a ", "*a ",
            "!!python/name:os.system ", "%", "@", "`", "|", ">", "<<: *a\n", "\n---\n"]


def damage(data: st.DataObject, text: str) -> str:
    """One text change: a cut, a doubled or lost line, a snippet, a bomb, a document."""
    how = data.draw(st.sampled_from(["cut", "insert", "double", "drop", "bomb", "doc"]),
                    "damage")
    lines = text.splitlines(keepends=True)
    if how == "cut":
        return text[: data.draw(st.integers(0, len(text)), "cut")]
    if how == "insert":
        pos = data.draw(st.integers(0, len(text)), "pos")
        return text[:pos] + data.draw(st.sampled_from(SNIPPETS), "snippet") + text[pos:]
    if how in ("double", "drop") and lines:
        i = data.draw(st.integers(0, len(lines) - 1), "line")
        lines[i: i + 1] = [lines[i]] * (2 if how == "double" else 0)
        return "".join(lines)
    if how == "bomb":
        return text + BOMB[: data.draw(st.integers(0, len(BOMB)), "bomb")] + "\n"
    return text + "---\nversion: 1\n"


def refused(result: Run, file: Path, long: list[str]) -> None:
    """Exit 2: every line names the file, is short, and dumps no long value."""
    assert result.lines, "exit 2 without a word"
    for line in result.lines:
        assert line.startswith(f"tablespec: {file}"), line
        assert len(line) < 1000 and "Traceback" not in line, line
        assert not any(s[:60] in line for s in long), line


def outcome(tmp: pytest.TempPathFactory, text: str | bytes, long: list[str],
            waivers: bool = False) -> tuple[Run, dict[str, Any] | None]:
    """`spec validate` (of the seed, for a waiver file) and `plan` on *text*: checks the
    outcome classes of both; (the first run that refused, or the plan run; its report)."""
    where = tmp.getbasetemp() / "spec_fuzz"
    where.mkdir(exist_ok=True)
    file, out = where / "input.yaml", where / "report.json"
    file.write_bytes(text if isinstance(text, bytes) else text.encode())
    out.unlink(missing_ok=True)
    args = ["--spec", str(SEED), "--waivers", str(file)] if waivers else ["--spec", str(file)]
    checked = run(["spec", "validate", str(SEED if waivers else file)])
    gate = run(["plan", DRIFT, *args, "--format", "json", "-o", str(out)])
    assert checked.code in (0, 2), checked.lines
    assert gate.code in (0, 1, 2), gate.lines
    event(f"validate {checked.code}, plan {gate.code}")
    if checked.code == 2:
        refused(checked, file, long)
        assert gate.code == 2 and gate.lines == checked.lines, (gate.lines, checked.lines)
        return checked, None
    if gate.code == 2:  # a valid spec that fits no table of the plan; a bad waiver file
        assert 1 <= len(gate.lines) <= MAX_SHOWN + 1, gate.lines  # one line per problem
        if waivers:
            refused(gate, file, long)
        assert gate.lines[0].startswith("tablespec: ") and "Traceback" not in gate.lines[0]
        return gate, None
    report: dict[str, Any] = json.loads(out.read_text())
    tables = set(load_spec(SEED if waivers else file).tables)
    assert tables <= {f["table"] for f in report["findings"]}, "a spec table is missing"
    return gate, report


def mutated(data: st.DataObject, doc: Any) -> tuple[Any, list[str]]:
    """A copy of *doc* after one to three mutations, and the long values they put in."""
    out: Any = copy.deepcopy(doc)
    long: list[str] = []
    for _ in range(data.draw(st.sampled_from([1, 1, 2, 3]), "mutations")):
        out, more = mutate(data, out)
        long += more
    return out, long


@given(st.data())
def test_a_damaged_spec_is_refused_with_its_line_or_checked_whole(
        tmp_path_factory: pytest.TempPathFactory, data: st.DataObject) -> None:
    spec, long = mutated(data, SPEC)
    text = dump(spec)
    for _ in range(data.draw(st.sampled_from([0, 0, 0, 1, 2]), "damages")):
        text = damage(data, text)
    pos = data.draw(st.integers(0, len(text)), "byte")
    not_utf8 = data.draw(st.sampled_from([False, False, False, True]), "not utf-8")
    raw = text[:pos].encode() + b"\xff" + text[pos:].encode() if not_utf8 else text
    outcome(tmp_path_factory, raw, long)


# A checked value, its new values, the values the spec accepts (from docs/spec.md and
# CloudWatch's PutMetricAlarm reference), and the findings (rule, field) it feeds, which
# pass exactly where the plan holds that value: {table: the plan's value}; None where a
# finding fails whatever the value (the alarm of player-sessions has threshold 500).
def _number(v: Any, low: float, high: float) -> bool:
    """A finite number from *low* to *high* (YAML reads 10**401 as an int: finite)."""
    return (isinstance(v, int | float) and not isinstance(v, bool)
            and (isinstance(v, int) or math.isfinite(v)) and low <= v <= high)


def _whole(v: Any, low: int, high: int) -> bool:
    return isinstance(v, int) and _number(v, low, high)


def _half(good: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Values from *good* half the time, odd ones otherwise."""
    return st.booleans().flatmap(lambda b: good if b else VALUES)


@dataclass(frozen=True)
class Target:
    path: tuple[Any, ...]
    values: st.SearchStrategy[Any]
    valid: Callable[[Any], bool]
    feeds: tuple[str, str] | None  # (rule, field)
    plan: dict[str, Any]


_READ = ("defaults", "alarms", "metrics", 0)
_EVERY = dict.fromkeys(TABLES)
TARGETS = [
    Target((*_READ, "threshold"), _half(st.sampled_from([10, 10.0, 500, 1e108, 0.5, 1e-05])),
           lambda v: _number(v, 0, 1e108),
           ("TS-ALARM-002", "alarms.ReadThrottleEvents"),
           {**dict.fromkeys(TABLES, 10), "player-sessions": 500}),
    Target((*_READ, "period"),
           _half(st.sampled_from([10, 20, 30, 60, 300, 3600, 86_460, 604_800, 604_860])),
           lambda v: _whole(v, 10, 604_800) and (v in (10, 20, 30) or v % 60 == 0),
           ("TS-ALARM-002", "alarms.ReadThrottleEvents"),
           {**dict.fromkeys(TABLES, 300), "player-sessions": None}),
    Target((*_READ, "evaluation_periods"), _half(st.integers(0, 300)),
           lambda v: _whole(v, 1, 288),  # x 300 s: at most a day
           ("TS-ALARM-002", "alarms.ReadThrottleEvents"),
           {**dict.fromkeys(TABLES, 1), "player-sessions": None}),
    Target(("tables", "player-sessions", "hash_key", "name"),
           _half(st.sampled_from(["playerId", "sessionId", "a" * 255, "a" * 256, "p.l-a_y"])),
           lambda v: isinstance(v, str) and re.fullmatch(r"[A-Za-z0-9_.-]{1,255}", v)
           is not None, ("TS-KEY-001", "hash_key"), {"player-sessions": "playerId"}),
    Target(("tables", "player-sessions", "ttl", "slack_hours"),
           _half(st.sampled_from([0, 24, 8784, 8784.0, 8784.5])),
           lambda v: _number(v, 0, 8784), None, _EVERY),
    Target(("defaults", "billing", "min_capacity"),
           _half(st.sampled_from([1, 5, 1_000_000, 1_000_001])),
           lambda v: _whole(v, 1, 1_000_000), None, _EVERY),
]


@given(st.sampled_from(range(len(TARGETS))), st.data())
def test_a_changed_value_is_refused_by_its_range_or_never_passes_its_check(
        tmp_path_factory: pytest.TempPathFactory, which: int, data: st.DataObject) -> None:
    target = TARGETS[which]
    value = data.draw(target.values, "value")
    spec: Any = copy.deepcopy(SPEC)
    at(spec, target.path[:-1])[target.path[-1]] = value
    text = dump(spec)
    read = at(yaml.safe_load(text), target.path)  # the value as YAML reads it back
    first, report = outcome(tmp_path_factory, text, [LONG])
    if not target.valid(read):
        assert first.code == 2, f"{read!r} was accepted"
        return
    assert report is not None, first.lines
    if target.feeds is None:
        return
    rule, field = target.feeds
    for f in report["findings"]:
        if f["rule_id"] == rule and f["field"] == field and f["table"] in target.plan:
            should = read == target.plan[f["table"]]
            assert (f["status"] == "pass") == should, (read, f)


def waiver(table: str, rule: str, **more: Any) -> dict[str, Any]:
    return {"table": table, "rule": rule, "reason": "migration, TICKET-1", "owner": "alice",
            "expires": "2999-12-31", **more}


WAIVERS = {"waivers": [waiver("player-rewards", "TS-TTL-002"),
                       waiver("interaction-events", "pitr", environment="prod")]}


def _covers(w: Any, rule: str, check: str, table: str) -> bool:
    """Whether waiver *w*, as YAML reads it, waives *rule* (of *check*) on *table* in prod
    in eu-west-1 today: the oracle, written out again from docs/spec.md."""
    return (isinstance(w, dict) and w.get("table") == table and w.get("rule") in (rule, check)
            and w.get("environment") in (None, "prod") and w.get("region") in (None,
                                                                                "eu-west-1")
            and str(w.get("expires")) >= dt.date.today().isoformat())


@given(st.data())
def test_a_damaged_waiver_file_is_refused_with_its_line_or_waives_only_what_it_says(
        tmp_path_factory: pytest.TempPathFactory, data: st.DataObject) -> None:
    waivers, long = mutated(data, WAIVERS)
    text = dump(waivers)
    if data.draw(st.sampled_from([False, False, False, True]), "damaged"):
        text = damage(data, text)
    _, report = outcome(tmp_path_factory, text, long, waivers=True)
    if report is None:
        return
    read = yaml.load(text, Loader=yaml.CSafeLoader)  # libyaml, as tablespec reads it
    items = read.get("waivers") if isinstance(read, dict) else read
    assert isinstance(items, list)
    for f in report["findings"]:
        if f["status"] == "waived":
            assert any(_covers(w, f["rule_id"], f["check"], f["table"]) for w in items), f
