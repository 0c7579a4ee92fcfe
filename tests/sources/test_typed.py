"""Values read as their schema type, or `invalid_value`: never on, never a crash."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from checker.sources.typed import boolean, number, shown, string, string_map, strings, whole
from checker.unknown import Reason, Unknown

Read = Callable[[object, str], object]
INVALID = Reason.INVALID_VALUE


@pytest.mark.parametrize(("read", "value", "expected"), [
    (boolean, True, True), (boolean, None, None), (string, "x", "x"), (string, None, None),
    (whole, 300, 300), (whole, 300.0, 300), (whole, None, None), (number, 10, 10.0),
    (number, 2.5, 2.5), (strings, ["a"], ("a",)), (strings, None, ()),
    (string_map, {"a": "b", "c": None}, {"a": "b"}), (string_map, None, {}),
])
def test_a_value_of_its_type_is_read(read: Read, value: object, expected: object) -> None:
    assert read(value, "x") == expected


WRONG: list[tuple[Read, object]] = [
    (boolean, "false"), (boolean, "true"), (boolean, [False]), (boolean, {}), (boolean, 0),
    (string, 5), (string, ["a"]), (string, True), (whole, 300.7), (whole, "300"),
    (whole, True), (whole, 10**5000), (number, float("inf")), (number, float("nan")),
    (number, "10"), (strings, "a"), (strings, {}), (string_map, ["a"]), (string_map, "a"),
]


@pytest.mark.parametrize(("read", "value"), WRONG,
                         ids=[f"{r.__name__}-{shown(v)}" for r, v in WRONG])
def test_a_value_of_another_type_is_invalid_never_on(read: Read, value: object) -> None:
    found = read(value, "t.attr")
    assert isinstance(found, Unknown) and found.kind is INVALID
    assert found.reason.startswith("t.attr is ") and len(found.reason) < 200


def test_elements_of_another_type_are_invalid_one_by_one() -> None:
    got = strings(["arn:a", False, "", [], None], "a")
    assert isinstance(got, tuple) and got[0] == "arn:a" and got[2] == ""
    assert all(isinstance(v, Unknown) and v.kind is INVALID for v in (got[1], got[3], got[4]))
    tags = string_map({"Owner": "", "Tier": 2}, "tags")
    assert isinstance(tags, dict) and tags["Owner"] == ""
    assert isinstance(tags["Tier"], Unknown) and tags["Tier"].kind is INVALID


def test_an_unknown_that_can_only_be_a_few_values_is_read_value_by_value() -> None:
    same = boolean(Unknown("c", possible=(True, True)), "x")
    assert same is True  # every possible value reads the same: that value
    both = boolean(Unknown("c", possible=(True, False)), "x")
    assert isinstance(both, Unknown) and both.possible == (True, False)
    bad = boolean(Unknown("c", possible=(True, "yes")), "x")
    assert isinstance(bad, Unknown) and bad.possible is None  # one is not even a bool
    assert whole(Unknown("later"), "x") == Unknown("later")


def test_values_are_shown_short() -> None:
    assert len(shown("a" * 500)) <= 60
    assert shown(10**5000) == "a number of about 5001 digits"
    assert shown(None) == "null" and shown(False) == "false"
