"""Bounded input: a spec or waiver file that would expand, nest, grow or hold a number
beyond its meaning is exit 2 with one line naming the file and line, never exit 3, and
never with the file's content in the message.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import time
from pathlib import Path

import pytest

from checker.cli import main
from checker.specfile.limits import MAX_BYTES, MAX_SHOWN, brief, key_text
from checker.specfile.load import load_spec
from checker.specfile.ranges import days
from checker.specfile.shape import validate
from checker.specfile.yamlread import read_yaml
from tests.support.builders import alarm_for
from tests.support.paths import REPO
from tests.support.spec_init_util import draft, every, said

SEED = (REPO / "specs" / "tables.yaml").read_text()
DRIFT = str(REPO / "checker" / "data" / "demo-drift.plan.json")


def bomb(levels: int = 9) -> str:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


WIDE = ("[" + "1," * 600_000 + "1]\n", 1, "more than 500,000 values")
HOSTILE = {
    "billion laughs": (bomb(), 5, "aliases expand to more than 100,000 values"),
    "merge bomb": ("a: &a {x: 1, y: 2, z: 3}\n" + "".join(
        f"m{i}: &m{i} {{<<: [" + ", ".join([f"*{'a' if i == 0 else f'm{i - 1}'}"] * 10) + "]}\n"
        for i in range(9)), 6, "aliases expand to more than 100,000 values"),
    "merge chain": ("a: &a {x: 1}\n" + "".join(
        f"m{i}: &m{i} {{<<: [*{'a' if i == 0 else f'm{i - 1}'}], k{i}: 1}}\n"
        for i in range(40)), 17, "alias *m14 nests more than 32 levels deep"),
    "deep flow": ("a: " + "[" * 40 + "]" * 40 + "\n", 1, "nested more than 32 levels deep"),
    "deep block": ("".join(" " * i + f"k{i}:\n" for i in range(40)) + " " * 40 + "v: 1\n", 33,
                   "nested more than 32 levels deep"),
    "cycle": ("a: &a [*a]\n", 1, "alias *a is inside the value it names"),
    "undefined alias": ("a: 1\nb: *nope\n", 2, "alias *nope names no anchor"),
    "anchor twice": ("a: &x 1\nb: &x 2\n", 2, "anchor &x is defined twice (first at line 1)"),
    "two documents": ("a: 1\n---\nb: 2\n", 2, "a second YAML document"),
    "bad date": ("version: 2024-13-45\n", 1, "'2024-13-45' is not a date"),
    "bad int tag": ("version: !!int abc\n", 1, "'abc' is not an integer"),
    "bad bool tag": ("version: !!bool maybe\n", 1, "'maybe' is not a boolean"),
    "long number": ("version: " + "1" * 5000 + "\n", 1, "a number of 5000 characters"),
    "merge of a scalar": ("a: {<<: 1}\n", 1, "`<<` merges a mapping or a list of mappings"),
    "control character": ("a: 1\nb: 2\x00\n", 2, "control characters are not allowed"),
    "python tag": ("a: !!python/name:os.system x\n", 1, "!!python/name:os.system is not"),
}


def first_line(capsys: pytest.CaptureFixture[str]) -> str:
    """The first line a bad input prints: one line per problem (at most MAX_SHOWN and one
    more), each a `tablespec:` line, no traceback."""
    err = capsys.readouterr().err
    lines = err.splitlines()
    assert 1 <= len(lines) <= MAX_SHOWN + 1 and "Traceback" not in err, err
    assert all(line.startswith("tablespec: ") for line in lines), err
    if len(lines) > 1:
        assert "more problem(s)" in lines[0], err
    return lines[0]


@pytest.mark.parametrize("name", list(HOSTILE))
@pytest.mark.parametrize("kind", ["spec", "waivers"])
def test_hostile_yaml_is_exit_2_naming_the_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, kind: str) -> None:
    text, line, words = HOSTILE[name]
    path = tmp_path / "hostile.yaml"
    path.write_text(text)
    spec = str(path) if kind == "spec" else str(REPO / "specs" / "tables.yaml")
    more = ["--waivers", str(path)] if kind == "waivers" else []
    assert main(["plan", DRIFT, "--spec", spec, *more, "--format", "json", "-o",
                 str(tmp_path / "r.json")]) == 2
    err = first_line(capsys)
    assert err.startswith(f"tablespec: {path}:{line}: ") and words in err, err


def test_a_file_too_large_is_refused_before_it_is_read_whole(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "huge.yaml"
    path.write_text(SEED + "#" * MAX_BYTES)
    assert main(["spec", "validate", str(path)]) == 2
    assert first_line(capsys) == (f"tablespec: {path}: the spec is larger than 8 MiB; split it "
                                "or remove what it does not need")


def test_not_utf8_names_the_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "latin.yaml"
    path.write_bytes(b"waivers:\n  - table: caf\xe9\n")
    assert main(["plan", DRIFT, "--waivers", str(path), "--spec", str(REPO / "specs" /
                                                                      "tables.yaml")]) == 2
    assert first_line(capsys) == f"tablespec: {path}:2: the waiver file is not UTF-8 text"


def _limited() -> None:  # the child: at most 1 GB of address space
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


@pytest.mark.parametrize("name", ["billion laughs", "merge bomb", "wide"])
def test_hostile_yaml_ends_within_10_s_and_1_gb(tmp_path: Path, name: str) -> None:
    text, line, words = WIDE if name == "wide" else HOSTILE[name]
    path = tmp_path / "hostile.yaml"
    path.write_text(text)
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "checker.cli", "spec", "validate", str(path)],
                          capture_output=True, text=True, timeout=10, preexec_fn=_limited,
                          cwd=REPO, check=False)
    assert done.returncode == 2 and done.stderr.count("\n") == 1, done.stderr
    assert done.stderr.startswith(f"tablespec: {path}:{line}: ") and words in done.stderr
    assert time.monotonic() - started < 10


def test_aliases_and_merges_read_as_yaml_says() -> None:
    got = read_yaml("m.yaml", "a: &t {x: 1, y: 2}\nb: &m {<<: *t, x: 3}\nc: *m\n"
                              "d: {<<: [{x: 1}, {x: 2, z: 2}], y: 0}\n")
    assert got == {"a": {"x": 1, "y": 2}, "b": {"x": 3, "y": 2}, "c": {"x": 3, "y": 2},
                   "d": {"x": 1, "z": 2, "y": 0}}
    assert got["b"].key_lines == {"x": 2, "y": 1}
    assert list(got["d"]) == ["x", "z", "y"]  # merged keys first, as PyYAML builds them


SPEC_RANGES = [
    ("threshold: 10", "threshold: " + "9" * 401, 38,
     "threshold: must be between 0 and 1e+108 (CloudWatch keeps no larger metric value), "
     "got a 401-digit number"),
    ("threshold: 10", "threshold: .nan", 38, "threshold: must be a finite number, got .nan"),
    ("threshold: 10", "threshold: -1", 38, "threshold: must be between 0 and 1e+108"),
    ("period: 300", "period: 7", 39, "period: must be between 10 and 604800 (10, 20, 30 or"),
    ("period: 300", "period: 301", 39, "period: 301 is not a CloudWatch period"),
    ("period: 300", "period: 300.5", 39, "period: expected a period in seconds, got 300.5"),
    ("evaluation_periods: 1", "evaluation_periods: 300", 40,
     "period 300 x evaluation_periods 300 is 90000s: CloudWatch evaluates at most 86400s"),
    ("evaluation_periods: 1", "evaluation_periods: 1.5", 40, "expected a whole number, got 1.5"),
    ("slack_hours: 24", "slack_hours: 1.0e+300", 53,
     "slack_hours: must be between 0 and 8784 (a year), got 1e+300"),
    ("horizon_hours: 72", "horizon_hours: 8785", 52, "must be between 0 and 8784 (a year)"),
    ("min_capacity: 1", "min_capacity: 0", 26, "must be between 1 and 1000000, got 0"),
    ("required: [Project", "required: [" + ", ".join(f"T{i}" for i in range(51)) + ", Project",
     28, "tags.required: 55 entries: at most 50 (AWS allows 50 tags on a table)"),
]


@pytest.mark.parametrize(("old", "new", "line", "words"), SPEC_RANGES)
def test_numbers_out_of_their_range_are_exit_2_with_the_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], old: str, new: str, line: int,
        words: str) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(SEED.replace(old, new, 1))
    assert main(["plan", DRIFT, "--spec", str(path)]) == 2
    err = first_line(capsys)
    assert err.startswith(f"tablespec: {path}:{line}: ") and words in err, err


@pytest.mark.parametrize(("old", "new"), [
    ("period: 300", "period: 10"), ("period: 300", "period: 604800"),
    ("period: 300", "period: 86400"), ("threshold: 10", "threshold: 1.0e+108"),
    ("threshold: 10", "threshold: 0.5"), ("evaluation_periods: 1", "evaluation_periods: 288"),
    ("slack_hours: 24", "slack_hours: 8784"), ("min_capacity: 1", "min_capacity: 1000000"),
])
def test_numbers_at_the_edge_of_their_range_are_accepted(tmp_path: Path, old: str,
                                                          new: str) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(SEED.replace(old, new, 1))
    assert main(["spec", "validate", str(path)]) == 0


def test_days_are_1_to_35() -> None:
    assert [bool(validate(d, days())) for d in (0, 1, 35, 36, 1.5)] == [
        True, False, False, True, True]


def test_messages_name_values_and_never_dump_them(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    long, path = "Q" * 10_000, tmp_path / "spec.yaml"
    path.write_text(SEED.replace("type: S}", f"type: {long}}}", 1).replace(
        "  player-rewards:", f'  "{long[:500]}\\n":\n    x: 1\n  player-rewards:', 1))
    assert main(["spec", "validate", str(path)]) == 2
    err = capsys.readouterr().err
    assert long[:50] not in err and all(len(line) < 400 for line in err.splitlines()), err
    assert "'QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ'... (10000 characters) is not one of" in err
    assert "tables.'QQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQQ'... (501 characters): " in err
    assert brief(10**401) == "a 402-digit number" and key_text("a\nb") == "'a\\nb'"


def test_spec_validate_lists_at_most_50_problems_and_counts_the_rest(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "spec.yaml"
    path.write_text(SEED.replace("  player-rewards:", "".join(
        f"  t{i}: {{}}\n" for i in range(100)) + "  player-rewards:", 1))
    assert main(["spec", "validate", str(path)]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == MAX_SHOWN + 1 and "(and 199 more problem(s))" in lines[0]
    assert lines[-1] == f"tablespec: {path}: 150 more problem(s) not listed"


def test_tables_share_what_they_take_from_defaults() -> None:
    tables = list(load_spec(REPO / "specs" / "tables.yaml").tables.values())
    assert all(t.alarms is tables[0].alarms and t.required_tags is tables[0].required_tags
               for t in tables)


def test_a_draft_leaves_out_alarm_settings_the_spec_cannot_hold() -> None:
    prod = {t.name: t for t in every("prod")}
    sessions, events = (prod[f"hypermage-vr-{t}-prod"] for t in ("player-sessions",
                                                                  "interaction-events"))
    sessions.alarms = [alarm_for(str(sessions.name), "ReadThrottleEvents", period=7),
                       alarm_for(str(sessions.name), "WriteThrottleEvents",
                                 threshold=float("nan"))]
    events.alarms = [alarm_for(str(events.name), "ReadThrottleEvents", threshold=1e-05)]
    d = draft(list(prod.values()))  # it validates: a bound of the spec never makes it a bug
    assert "period: must be between 10 and 604800" in said(d)
    assert "threshold: must be a finite number, got .nan" in said(d)
    (metric,) = d.spec.tables["interaction-events"].alarms.metrics
    assert metric.threshold == 1e-05 and "threshold: 1.0e-05" in d.text  # 1e-05: a string
