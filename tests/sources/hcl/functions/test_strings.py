"""The string functions on hostile input: format widths and sizes, regular expressions that
would make Python's backtracking re run for ages, deep or huge patterns, big results.
Each is an unknown naming its budget (never a hang, a crash or a wrong value), and what
stays within the budgets is computed. Not sent to Terraform: these are tablespec's limits."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from checker.sources.hcl.functions import gobig, graphemes
from checker.sources.hcl.functions.regex import compile_re2
from checker.unknown import Unknown
from tests.sources.hcl.util import local_value


def big(thousands: int, text: str) -> str:
    """An expression: *text* repeated `thousands * 1000` times (Terraform's range stops at
    1,024 values)."""
    return f'replace(join("", [for i in range({thousands}) : format("%01000d", 0)]), "0", "{text}")'


A40 = '${join("", [for i in range(40) : "a"])}'
COLONS = f"${{{big(3, ':')}}}"


def _reason(value: object) -> str:
    """The reason of *value*, asserted to be an Unknown."""
    assert isinstance(value, Unknown), repr(value)[:200]
    return value.reason


@pytest.mark.parametrize(("expr", "says"), [
    ('format("%0999999999d", 1)', "format width of 999,999,999"),
    ('format("%.99999f", 1)', "format width of 99,999"),
    ('format("%999999999999999999999999999s", "a")', "format width of"),
    ('format("%1001s", "a")', "format width of 1,001"),
    ('format("%0999999999[1]v", [1])', "format width of 999,999,999"),
    ('formatlist("%-5000s", ["a"])', "format width of 5,000"),
    ('format(join("", [for i in range(1000) : "%1000[1]d%1000[1]d"]), 1)', "builds a string of"),
    ('indent(2000000, "a\\nb")', "builds a string of 2,000,000 characters"),
    ('indent(100000, join("\\n", range(100)))', "builds a string of"),
    ('split("", join("", [for i in range(200) : format("%01000d", i)]))', "collection of"),
    ('replace(format("%01000d", 0), "//", "${format("%01000d", 0)}${format("%0100d", 0)}")',
     "builds a string of"),
    (f'regex("(a+)+$", "{A40}!")', "regular expression could take"),
    (f'regex("(?:a*)*b", "{A40}")', "regular expression could take"),
    (f'regexall("(a|aa)*b", "{A40}")', "regular expression could take"),
    (f'replace("{A40}!", "/^(a|a)*$/", "x")', "regular expression could take"),
    (f'regex("(.*):(.*):(.*):(.*)x", "{COLONS}")', "regular expression could take"),
    (f'regex("{"(" * 100}a{")" * 100}", "a")', "nests deeper than"),
    (f'regex("a{"(?i)*" * 100}", "a")', "nests deeper than"),
    (f'regex({big(200, "a")}, "a")', "larger than"),
    ('regex("\\\\p{Greek}", "\u03b1")', "no table of Unicode scripts"),
    ('can(regex("\\\\p{Greek}", "\u03b1"))', "no table of Unicode scripts"),
    ('regex("(a*)*", "b")', "repeats a group that can match empty"),
    ('regex("(|a)*", "aa")', "repeats a group that can match empty"),
    ('format("%v", null)', "null argument"),
    ('formatlist("%s", ["a"], null)', "null argument"),
])
def test_beyond_a_budget_is_unknown(tmp_path: Path, expr: str, says: str) -> None:
    started = time.monotonic()
    reason = _reason(local_value(tmp_path, expr))
    assert says in reason, reason
    assert time.monotonic() - started < 20  # a bound on the work, not a speed test


@pytest.mark.parametrize(("expr", "value"), [
    ('length(format("%1000s", "a"))', 1000),
    ('length(format("%.1000f", 1))', 1002),
    (f'length(regexall("[^,]+", {big(20, "x,")}))', 20000),
    (f'replace({big(50, "a b ")}, "/\\\\s+/", "_") == {big(50, "a_b_")}', True),
    (f'regex("^[a-z]+$", {big(100, "q")}) == {big(100, "q")}', True),
    ('replace(lower("Orders Table_2024!"), "/[^a-z0-9]+/", "-")', "orders-table-2024-"),
    (f'regex("^(.*):(.*)$", "a:{COLONS}b")', ["a:" + ":" * 2999, "b"]),
    (f'substr(strrev({big(20, "é👍🏽")}), 39998, 2)', "👍🏽é"),
    (f'substr({big(20, "🇺🇸")}, 100, 5) == "🇺🇸🇺🇸🇺🇸🇺🇸🇺🇸"', True),
])
def test_within_the_budgets_is_computed(tmp_path: Path, expr: str, value: object) -> None:
    started = time.monotonic()
    assert local_value(tmp_path, expr) == value
    assert time.monotonic() - started < 10


def test_graphemes_follow_unicode_rules() -> None:
    assert graphemes.graphemes("e\u0301x") == ["e\u0301", "x"]
    assert graphemes.graphemes("🇺🇸🇬🇧🇫") == ["🇺🇸", "🇬🇧", "🇫"]
    assert graphemes.graphemes("👨\u200d👩\u200d👧!") == ["👨\u200d👩\u200d👧", "!"]
    assert graphemes.graphemes("a\r\nb\n\r") == ["a", "\r\n", "b", "\n", "\r"]
    assert graphemes.graphemes("\u1100\u1161\u11a8\uac00") == ["\u1100\u1161\u11a8", "\uac00"]
    assert graphemes.graphemes("\u0600a\u0915\u093f") == ["\u0600a", "\u0915\u093f"]
    assert graphemes.grapheme_count("a\r\n") == 2
    # textseg's own rules: a ZWJ glues the next pictograph even after a regional indicator,
    # and U+FFFD takes no combining mark
    assert graphemes.graphemes("\U0001f1ec\u200d\U0001f3f4x") == [
        "\U0001f1ec\u200d\U0001f3f4", "x"]
    assert graphemes.graphemes("\ufffd\u0301") == ["\ufffd", "\u0301"]


def test_go_float_formats_exactly() -> None:
    assert gobig.go_float(0, "g", -1) == "0"
    assert gobig.go_float(1_000_000, "g", -1) == "1e+06"
    assert gobig.go_float(2, "e", 3) == "2.000e+00"
    assert gobig.go_float(-1, "f", 0) == "-1"
    assert gobig.go_float(99, "g", 1) == "1e+02"


def test_a_compiled_pattern_is_reused() -> None:
    assert compile_re2("[a-z]+") is compile_re2("[a-z]+")
