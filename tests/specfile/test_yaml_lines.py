"""The spec reader's common path (a plain value into the open mapping or list, its type
resolved once per text): the values are what PyYAML's C loader builds from the same text,
every key and item keeps the line libyaml gives its node, and what the reader refuses it
still refuses, however often a text was seen before."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from checker.errors import RunError
from checker.specfile.yamlread import LineDict, LineList, read_yaml

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-(10**30), 10**30),
                    st.floats(allow_nan=False), st.text(max_size=12),
                    st.sampled_from(["yes", "no", "on", "1", "0x1f", "1_000", "~", "null",
                                     "1e3", ".inf", "2024-01-01", "<<", "01"]))
DATA = st.recursive(SCALARS, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=6), inner, max_size=4)),
    max_leaves=25)


def plain(value: Any) -> Any:
    """*value* without the reader's line bookkeeping."""
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def lines_match(value: Any, node: yaml.Node) -> None:
    """Every mapping key and list item of *value* is at the line of its node in *node*."""
    if isinstance(value, LineDict):
        assert isinstance(node, yaml.MappingNode)
        assert value.line == node.start_mark.line + 1
        for key_node, item_node in node.value:
            key = next(k for k in value if str(k) == str(key_node.value) or k == key_node.value)
            assert value.key_lines[key] == key_node.start_mark.line + 1
            lines_match(value[key], item_node)
    elif isinstance(value, LineList):
        assert isinstance(node, yaml.SequenceNode)
        assert value.item_lines == [n.start_mark.line + 1 for n in node.value]
        for item, item_node in zip(value, node.value, strict=True):
            lines_match(item, item_node)


@settings(deadline=None)  # a busy machine is no failure
@given(DATA.filter(lambda d: isinstance(d, dict | list)), st.sampled_from([None, True, False]))
def test_values_and_lines_are_those_of_the_c_loader(data: Any, flow: bool | None) -> None:
    text = yaml.safe_dump({"root": data}, default_flow_style=flow, sort_keys=False)
    expected = yaml.load(text, Loader=yaml.CSafeLoader)
    try:
        found = read_yaml("t.yaml", text)
    except RunError as err:  # what the reader refuses on purpose: long numbers, `<<`
        assert "characters: at most" in err.message or "`<<`" in err.message, err.message
        return
    assert plain(found) == expected
    node = yaml.compose(text, Loader=yaml.CSafeLoader)
    assert node is not None
    lines_match(found, node)


@pytest.mark.parametrize(("text", "message"), [
    ("a: 1\nb: 1\na: 1\n", "t.yaml:3: duplicate key 'a' (first at line 1)"),
    ("x: [a, b]\nx: 1\n", "t.yaml:2: duplicate key 'x' (first at line 1)"),
    ("a: yes\nb: !!python/int yes\n", "t.yaml:2: YAML tag !!python/int is not allowed"),
    ("a: 2024-01-01\nb: 2024-13-45\n", "t.yaml:2: '2024-13-45' is not a date"),
])
def test_a_text_seen_before_is_refused_where_it_is_wrong(text: str, message: str) -> None:
    with pytest.raises(RunError) as err:
        read_yaml("t.yaml", text)
    assert err.value.message.startswith(message)


def test_the_same_text_is_typed_by_how_it_is_written_each_time() -> None:
    found = read_yaml("t.yaml", "- 1\n- '1'\n- !!str 1\n- 1\n- yes\n- 'yes'\n- yes\n"
                                "- {1: 1, '1': x}\n- &a b\n- *a\n- b\n")
    assert plain(found) == [1, "1", "1", 1, True, "yes", True, {1: 1, "1": "x"}, "b", "b",
                            "b"]
    assert found.item_lines == list(range(1, 12))


def test_a_merge_and_its_keys_keep_their_lines() -> None:
    found = read_yaml("t.yaml", "base: &b\n  x: 1\n  y: 2\nt:\n  <<: *b\n  y: 3\n  z: 4\n")
    assert plain(found["t"]) == {"x": 1, "y": 3, "z": 4}
    assert found["t"].key_lines == {"x": 2, "y": 6, "z": 7}
