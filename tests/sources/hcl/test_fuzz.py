"""`tablespec hcl` on mutated Terraform: the example tree with values replaced (other types,
huge numbers, deep and pathological expressions), lines deleted, duplicated and swapped,
blocks duplicated, tokens injected.

Each case ends in one outcome class: exit 2 with one stderr line that carries no file
content, or a report (exit 0 or 1) in which every spec table appears; never exit 3, never
a traceback, and never a pass on a mutated value of that check. Run in process through
`checker.cli.main`, with the evaluator's budgets lowered so that each case stays short;
the budgets' real values are tested in tests/sources/hcl/test_budgets.py.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from checker.cli import main
from checker.sources.hcl import budget
from tests.support.paths import REPO

pytestmark = pytest.mark.fuzz

SPEC = str(REPO / "specs" / "tables.yaml")
PROD = "environments/prod/main.tf"
MODULE = "modules/dynamodb/main.tf"
FILES = [PROD, MODULE, "modules/dynamodb/variables.tf", "modules/dynamodb/alarms.tf",
         "modules/dynamodb/outputs.tf"]
TABLES = {"player_sessions": "player-sessions", "interaction_events": "interaction-events",
          "player_rewards": "player-rewards"}
MARKER = "Qz7sentinel"  # written into strings and comments: no error line may carry it
LOWERED = {"MAX_STEPS": 50_000, "MAX_VOLUME": 8_000_000, "MAX_STRING": 20_000,
           "MAX_ELEMENTS": 5_000, "MAX_INSTANCES": 200, "MAX_READ": 400}

_ATTRIBUTE = re.compile(r"^(\s*)([A-Za-z_][\w-]*)(\s*=\s*)(.*[^{\[(\s])\s*$")


@pytest.fixture(scope="module", autouse=True)
def lowered_budgets() -> Iterator[None]:
    """The evaluator's budgets, lowered for this module: pathological cases end sooner."""
    with pytest.MonkeyPatch.context() as patch:
        for name, value in LOWERED.items():
            patch.setattr(budget, name, value)
        yield


class Tree:
    """A git work tree holding a copy of the example Terraform, reset before each case."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="tablespec-hcl-fuzz-"))
        shutil.copytree(REPO / "examples" / "terraform", self.root / "tf")
        subprocess.run(["git", "init", "-q", str(self.root / "tf")], check=True)
        self.original = {f: (self.root / "tf" / f).read_text() for f in FILES}

    def run(self, files: dict[str, str]) -> tuple[int, str, dict[str, Any]]:
        """`tablespec hcl` of the prod root with *files* in place of the originals."""
        for name, text in {**self.original, **files}.items():
            (self.root / "tf" / name).write_text(text)
        out = self.root / "report.json"
        out.unlink(missing_ok=True)
        errors = io.StringIO()
        with contextlib.redirect_stderr(errors):
            code = main(["hcl", str(self.root / "tf" / "environments" / "prod"), "--spec", SPEC,
                         "--env", "prod", "--format", "json", "-o", str(out)])
        report = json.loads(out.read_text()) if out.exists() and code in (0, 1) else {}
        return code, errors.getvalue(), report


@pytest.fixture(scope="module")
def tree() -> Iterator[Tree]:
    """The module's tree, removed after its last case."""
    made = Tree()
    yield made
    shutil.rmtree(made.root, ignore_errors=True)


def outcome(code: int, err: str, report: dict[str, Any], files: dict[str, str]) -> None:
    """Exit 2 with one clean line, or a report naming every spec table; never a bug."""
    assert code != 3 and "Traceback" not in err, err
    event(f"exit {code}")
    if code == 2:
        event(err.split(": ", 2)[-1].split(" (")[0][:50])
        assert err.count("\n") == 1 and err.startswith("tablespec: "), err
        assert MARKER not in err, err
        lines = {ln.strip() for text in files.values() for ln in text.splitlines()}
        leaked = [ln for ln in lines if len(ln) >= 12 and ln in err]
        assert not leaked, (err, leaked)
        return
    assert code in (0, 1) and err == "", err
    assert {f["table"] for f in report["findings"]} >= set(TABLES.values())


# Expressions: scalars of every type, the pathological ones, and compositions.
SAFE_TEXT = st.text(alphabet="abcXYZ019 -_.:/", max_size=12) | st.just(MARKER)
PATHOLOGICAL = [
    "100000000", 'format("%0999999999d", 1)', 'format("%.900f", 1)', "1.0e400", "-1", "2.5",
    "setproduct(range(1000), range(1000), range(1000))", "range(1025)",
    "[for a in range(1024) : [for b in range(1024) : [for c in range(64) : c]]]",
    'join("", [for i in range(1024) : format("%0900d", i)])', "length(range(1000))",
    f'"${{"{MARKER}"}}${{"{MARKER}"}}"', "local.nope", "var.nope", "module.nope.x",
    "aws_nope.x.y", "self.x", "each.key", "count.index", "try(local.nope, 1)",
    "can(local.nope)", "null", "[]", "{}", "toset([1, 1.0, \"1\"])",
    "flatten([[[[1]]], [[2]]])", "jsonencode({a = [1, {b = null}]})", "tonumber(\"1e999\")",
    'replace("aaaa", "", "bb")', 'split("", "abc")', "1 / 0", "0 * 1.0e308 * 1.0e308",
    "(1.0e400 - 1.0e400)", "-1.0e400", '"99999999999999999999999999"', "[1, 2][1.0e400]",
    "var.enable_point_in_time_recovery", "local.common_tags", "lookup({}, \"k\")",
]
# Each function with the numbers of arguments it takes (a few calls take a wrong number).
FUNCTIONS = {
    "length": (1, 1), "merge": (0, 3), "concat": (0, 3), "lookup": (2, 3), "coalesce": (1, 3),
    "keys": (1, 1), "values": (1, 1), "element": (2, 2), "flatten": (1, 1), "contains": (2, 2),
    "toset": (1, 1), "distinct": (1, 1), "compact": (1, 1), "setproduct": (1, 3),
    "zipmap": (2, 2), "tomap": (1, 1), "tolist": (1, 1), "one": (1, 1), "lower": (1, 1),
    "upper": (1, 1), "format": (1, 3), "formatlist": (1, 3), "join": (2, 3), "split": (2, 2),
    "replace": (3, 3), "substr": (3, 3), "max": (1, 3), "min": (1, 3), "abs": (1, 1),
    "range": (1, 3), "tostring": (1, 1), "tonumber": (1, 1), "tobool": (1, 1),
    "jsonencode": (1, 1), "sort": (1, 1), "reverse": (1, 1), "sum": (1, 1), "slice": (3, 3),
    "ceil": (1, 1), "floor": (1, 1), "title": (1, 1), "trimspace": (1, 1),
    "startswith": (2, 2), "trimprefix": (2, 2), "try": (1, 3), "can": (1, 1), "nope": (0, 2),
}


def _call(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """A call of a function, with as many arguments as it takes (one time in ten, any)."""
    def build(name: str) -> st.SearchStrategy[str]:
        low, high = FUNCTIONS[name]
        count = st.integers(low, high) | st.integers(0, 4)
        return count.flatmap(lambda n: st.lists(inner, min_size=n, max_size=n)).map(
            lambda args: f"{name}({', '.join(args)})")
    return st.sampled_from(sorted(FUNCTIONS)).flatmap(build)


SPECIAL_NUMBERS = ["1.0e400", "-1.0e400", "(1.0e400 - 1.0e400)", "0.5", "-0.0",
                   '"99999999999999999999999999"', "9007199254740993"]
SCALARS = st.one_of(
    st.integers(-10**6, 10**6).map(str), st.sampled_from(["true", "false", "null"]),
    st.sampled_from(SPECIAL_NUMBERS),
    SAFE_TEXT.map(lambda s: f'"{s}"'), st.sampled_from(PATHOLOGICAL),
    st.integers(301, 2000).map(lambda n: "9" * n),
)
KEYS = st.sampled_from(["a", "b", "enabled", "Name", '"x y"'])
EXPRS = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=3).map(lambda xs: "[" + ", ".join(xs) + "]"),
    st.lists(st.tuples(KEYS, inner), max_size=3).map(
        lambda kv: "{" + ", ".join(f"{k} = {v}" for k, v in kv) + "}"),
    st.tuples(inner, inner, inner).map(lambda t: f"({t[0]} ? {t[1]} : {t[2]})"),
    st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "%", "==", "!=", "<", "&&", "||"]),
              inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
    _call(inner), _call(inner),
    inner.map(lambda x: f"[for v in {x} : v]"),
    inner.map(lambda x: f'"${{{x}}}-x"'),
    st.tuples(inner, inner).map(lambda t: f"({t[0]})[{t[1]}]"),
    st.tuples(inner, KEYS.filter(lambda k: '"' not in k)).map(lambda t: f"({t[0]}).{t[1]}"),
    inner.map(lambda x: f"({x})[*].a"),
), max_leaves=8)

# Values that are not a bool, nor converted to one by Terraform ("true"/"false"/"1"/"0").
NOT_BOOL = st.one_of(
    SAFE_TEXT.filter(lambda s: s not in ("true", "false", "1", "0")).map(lambda s: f'"{s}"'),
    st.sampled_from(['"True"', '"yes"', '"on"', "[true]", "[]", '["true"]', "{}",
                     "{ enabled = true }", "1", "0", "2.5", "-1", "1.0e400", "tostring(5)",
                     '"${true}x"', "[for i in range(3) : true]", 'format("%d", 3)',
                     'length("abc")', 'format("%0999999999d", 1)', "[true, false]",
                     "setproduct(range(1000), range(1000))"]),
    st.integers().map(str),
    st.lists(st.sampled_from(["true", "false", '"true"']), min_size=1, max_size=3).map(
        lambda xs: "[" + ", ".join(xs) + "]"),
)


@given(site=st.sampled_from(["pitr", "sse", "pitr-argument"]),
       table=st.sampled_from(sorted(TABLES)), value=NOT_BOOL)
def test_a_value_that_is_not_a_bool_never_passes_its_check(tree: Tree, site: str, table: str,
                                                          value: str) -> None:
    t = tree
    files: dict[str, str] = {}
    if site == "pitr-argument":  # through the module's bool variable: every table
        files[PROD] = t.original[PROD].replace("enable_point_in_time_recovery = true",
                                               f"enable_point_in_time_recovery = {value}")
        rule, affected = "TS-PITR-001", set(TABLES.values())
    else:
        line = ("    enabled = var.enable_point_in_time_recovery" if site == "pitr"
                else "    enabled     = true")
        text = t.original[MODULE]
        start = text.index(f'resource "aws_dynamodb_table" "{table}"')
        at = text.index(line, start)
        files[MODULE] = text[:at] + line.split("=")[0] + f"= {value}" + text[at + len(line):]
        rule = "TS-PITR-001" if site == "pitr" else "TS-SSE-001"
        affected = {TABLES[table]}
    code, err, report = t.run(files)
    outcome(code, err, report, files)
    if code == 2:
        return
    judged = [f for f in report["findings"] if f["rule_id"] == rule
              and f["table"] in affected and f["environment"] == "prod"]
    assert {f["table"] for f in judged} == affected
    assert all(f["status"] != "pass" for f in judged), (value, judged)


GARBAGE = ["{", "}", "[", "]", "(", ")", "=", ",", '"', "${", "%{", "<<EOF", "...", "?", ":",
           "=>", "for", "in", "if", "#", "/*", "*/", f'"{MARKER}"', f"# {MARKER}", "\\", "\t",
           "\x00", "\ufeff", "é", "1e3", "0x", ".5"]


@st.composite
def mutation(draw: st.DrawFn, text: str) -> str:
    """*text* with one mutation."""
    lines = text.split("\n")
    i = draw(st.integers(0, len(lines) - 1))
    kind = draw(st.sampled_from(["value", "value", "value", "delete", "duplicate", "swap",
                                 "block", "garbage"]))
    if kind == "value":
        sites = [n for n, ln in enumerate(lines) if _ATTRIBUTE.match(ln)]
        if sites:
            n = draw(st.sampled_from(sites))
            m = _ATTRIBUTE.match(lines[n])
            assert m is not None
            lines[n] = f"{m.group(1)}{m.group(2)}{m.group(3)}{draw(EXPRS)}"
    elif kind == "delete":
        del lines[i]
    elif kind == "duplicate":
        lines.insert(i, lines[i])
    elif kind == "swap":
        j = draw(st.integers(0, len(lines) - 1))
        lines[i], lines[j] = lines[j], lines[i]
    elif kind == "block":
        starts = [n for n, ln in enumerate(lines) if ln and not ln[0].isspace()
                  and ln.rstrip().endswith("{")]
        if starts:
            n = draw(st.sampled_from(starts))
            end = next((k for k in range(n, len(lines)) if lines[k] == "}"), len(lines) - 1)
            lines[end + 1:end + 1] = lines[n:end + 1]
    else:
        token = draw(st.sampled_from(GARBAGE))
        at = draw(st.integers(0, len(lines[i])))
        lines[i] = lines[i][:at] + token + lines[i][at:]
    return "\n".join(lines)


@given(data=st.data(), targets=st.lists(st.sampled_from(FILES), min_size=1, max_size=3))
def test_mutated_terraform_ends_in_one_line_or_a_report_of_every_table(
        tree: Tree, data: st.DataObject, targets: list[str]) -> None:
    t = tree
    files: dict[str, str] = {}
    for name in targets:
        files[name] = data.draw(mutation(files.get(name, t.original[name])), label=name)
    code, err, report = t.run(files)
    outcome(code, err, report, files)


def _table_sites(text: str) -> list[int]:
    """The lines of the module's table blocks that set an argument (all are evaluated)."""
    lines = text.split("\n")
    sites: list[int] = []
    inside = False
    for n, line in enumerate(lines):
        if line.startswith('resource "aws_dynamodb_table"'):
            inside = True
        elif line == "}":
            inside = False
        elif inside and _ATTRIBUTE.match(line):
            sites.append(n)
    return sites


@given(data=st.data(), expr=EXPRS)
def test_an_expression_in_a_table_ends_in_a_value_an_unknown_or_one_line(
        tree: Tree, data: st.DataObject, expr: str) -> None:
    t = tree
    lines = t.original[MODULE].split("\n")
    n = data.draw(st.sampled_from(_table_sites(t.original[MODULE])), label="line")
    m = _ATTRIBUTE.match(lines[n])
    assert m is not None
    lines[n] = f"{m.group(1)}{m.group(2)}{m.group(3)}{expr}"
    files = {MODULE: "\n".join(lines)}
    code, err, report = t.run(files)
    outcome(code, err, report, files)
