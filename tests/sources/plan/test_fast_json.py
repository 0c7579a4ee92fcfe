"""Plan JSON read by msgspec gives what `json.loads` gave: the same values, of the same
types, and for whatever msgspec refuses or would read otherwise the standard library's own
reading and errors; a plan read for its tables keeps the parts they are read from, and its
refusals are the whole plan's."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.cli import main
from checker.errors import RunError
from checker.sources.plan import fastjson, parse_plan_bytes
from checker.sources.plan.fastjson import REFUSED, Parts, decode, long_digit_run, parse_int
from tests.support.paths import REPO

RAW = (REPO / "checker" / "data" / "demo-drift.plan.json").read_bytes()
TABLE_PARTS = set(Parts.__struct_fields__) - {"planned_values"}
ODD = [b'{"a": 18446744073709551616}', b'{"a": -9223372036854775809}', b"[NaN, Infinity]",
       b"1e400", b"-1e-400", b"-0", b"-0.0", b'"\\ud800"', b'"\\udc00x"', b"\xef\xbb\xbf{}",
       b'"\xed\xa0\x80"', b'"\xff"', b'"\x01"', b"[1,]", b'{"a":1,"b":2,"a":3}', b"01",
       b"[" + b"1" * 400 + b"]", b"[-" + b"1" * 400 + b"]", b"[" + b"1" * 399 + b"]",
       b"[0." + b"5" * 500 + b"]", b"4.9e-324", b"2.2250738585072011e-308", b'"\\u0000"',
       b'"\x7f"', b"  {}  ", b"{}\x0c", b"tru", b"[1 2]", b'"\\x"']


def same(a: Any, b: Any) -> bool:
    """Equal, of the same types all the way down (a float's sign and NaN included)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return (a == b or (math.isnan(a) and math.isnan(b))) and \
            math.copysign(1, a) == math.copysign(1, b)
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def stdlib(raw: bytes) -> Any:
    try:
        return json.loads(raw, parse_int=parse_int)
    except (ValueError, RecursionError) as err:
        return type(err)


def fast(raw: bytes) -> Any:
    found = decode(raw)
    return stdlib(raw) if found is REFUSED else found


@pytest.mark.parametrize("raw", ODD)
def test_what_msgspec_reads_otherwise_is_read_by_json(raw: bytes) -> None:
    assert same(fast(raw), stdlib(raw))


JSONS = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-(10**450), 10**450), st.floats(),
              st.text(st.characters(codec=None, exclude_categories=()))),
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.text(max_size=4), inner, max_size=4)),
    max_leaves=20)


@settings(deadline=None)  # a busy machine is no failure
@given(JSONS, st.booleans())
def test_any_json_decodes_as_json_loads_decodes_it(value: Any, ascii_only: bool) -> None:
    raw = json.dumps(value, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")
    assert same(fast(raw), stdlib(raw))


@settings(deadline=None)  # a busy machine is no failure
@given(st.integers(0, 3000), st.integers(395, 405), st.sampled_from([b" ", b"x", b"-"]))
def test_a_run_of_400_digits_is_found_wherever_it_is(at: int, length: int, edge: bytes) -> None:
    raw = b'"' + b"a" * at + edge + b"7" * length + edge + b"b" * 500 + b'"'
    assert long_digit_run(raw) is (length >= 400)


def tables_view(data: dict[str, Any]) -> dict[str, Any]:
    """What a reading of tables uses of a whole plan (its keys sorted: nothing reads their
    order)."""
    keep = TABLE_PARTS | ({"planned_values"} if "resource_changes" not in data else set())
    return {k: data[k] for k in sorted(data) if k in keep}


def outcome(raw: bytes, tables_only: bool) -> Any:
    try:
        data = parse_plan_bytes("plan.json", raw, tables_only=tables_only)
    except RunError as err:
        return err.message
    return tables_view(data) if tables_only else data


def reference(raw: bytes) -> Any:
    """parse_plan_bytes as it was: the standard library alone."""
    saved = fastjson.decode, fastjson.parts
    fastjson.decode = lambda raw: REFUSED
    fastjson.parts = lambda raw: None
    try:
        found = outcome(raw, tables_only=False)
    finally:
        fastjson.decode, fastjson.parts = saved
    return found if isinstance(found, str) else tables_view(found)


@settings(deadline=None)  # a busy machine is no failure
@given(st.integers(0, len(RAW) - 1), st.sampled_from(["cut", "flip", "nul", "nan", "bom"]))
def test_a_damaged_plan_reads_or_fails_as_it_did(at: int, how: str) -> None:
    raw = {"cut": RAW[:at], "flip": RAW[:at] + bytes([RAW[at] ^ 0x55]) + RAW[at + 1:],
           "nul": RAW[:at] + b"\x00" + RAW[at + 1:], "nan": RAW[:at] + b"NaN" + RAW[at:],
           "bom": b"\xef\xbb\xbf" + RAW}[how]
    expected = reference(raw)
    assert same(outcome(raw, tables_only=True), expected)
    whole = outcome(raw, tables_only=False)
    assert same(whole if isinstance(whole, str) else tables_view(whole), expected)


@pytest.mark.parametrize("part", ["resource_changes", "planned_values", "checks", "variables"])
def test_a_plan_refuses_the_nesting_the_standard_library_refuses(part: str) -> None:
    def deepest(read: Any) -> int:
        """The least nesting *read* refuses (its outcome: an error message or the data)."""
        for depth in range(900, 1100):
            nested = b"[" * depth + b"]" * depth
            other = b'"resource_changes": [], ' if part != "resource_changes" else b""
            raw = b'{"format_version": "1.2", ' + other + b'"' + part.encode() + b'": [' + \
                nested + b"]}"
            found = read(raw)
            if isinstance(found, str):
                assert "nested too deeply" in found, found
                return depth
        raise AssertionError("never refused")

    expected = deepest(reference)
    assert deepest(lambda raw: outcome(raw, tables_only=False)) == expected
    assert deepest(lambda raw: outcome(raw, tables_only=True)) == expected


def test_a_plan_without_resource_changes_keeps_its_planned_values() -> None:
    plan = json.loads(RAW)
    plan.pop("resource_changes")
    raw = json.dumps(plan).encode()
    read = parse_plan_bytes("p", raw, tables_only=True)
    assert same(read["planned_values"], plan["planned_values"])
    assert "relevant_attributes" not in read and "relevant_attributes" in plan


def test_a_plan_that_is_not_ascii_is_read_whole() -> None:
    plan = json.loads(RAW)
    plan["checks"] = [{"note": "café"}]
    for text in (json.dumps(plan, ensure_ascii=False), json.dumps(plan)):
        raw = text.encode()
        assert same(outcome(raw, tables_only=True), reference(raw))
    bad = json.dumps(plan, ensure_ascii=False).encode().replace("é".encode(), b"\xff")
    assert outcome(bad, tables_only=True) == reference(bad)
    assert "not UTF-8 text" in str(outcome(bad, tables_only=True))


def test_the_deepest_plan_json_allows_is_read_not_crashed_on(tmp_path: Path) -> None:
    """A table's `after_unknown` nested as deep as `tablespec plan` accepts: the readers
    walk it (which blocks hold a value decided at apply) without running out of stack."""
    plan = json.loads(RAW)
    table = next(r for r in plan["resource_changes"] if r["type"] == "aws_dynamodb_table")
    table["change"]["after_unknown"]["attribute"] = "HOLE"
    text = json.dumps(plan)
    path, report = tmp_path / "deep.json", tmp_path / "report.json"
    spec = str(REPO / "specs" / "tables.yaml")
    for depth in range(1000, 800, -1):  # from refused (exit 2) to the deepest read
        path.write_text(text.replace('"HOLE"', "[" * depth + "true" + "]" * depth))
        code = main(["plan", str(path), "--spec", spec, "--format", f"json={report}"])
        if code != 2:
            break
    assert code == 1 and depth > 900
    keys = [f for f in json.loads(report.read_text())["findings"]
            if f["rule_id"] == "TS-KEY-001" and f["resource"] == table["address"]]
    assert len(keys) == 1 and keys[0]["status"] == "unknown"  # flags Terraform never writes
    assert "after_unknown" in keys[0]["message"]
