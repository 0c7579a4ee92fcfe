"""Safe YAML reading that keeps the line of every mapping key and list item.

The C parser composes the node graph; a small walker builds plain data from it,
keeping lines, refusing duplicate keys and any tag that is not plain YAML data.
"""

from __future__ import annotations

from typing import Any

import yaml

from checker.errors import RunError, located

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_TAG = "tag:yaml.org,2002:"
_STR, _MAP, _SEQ, _MERGE = _TAG + "str", _TAG + "map", _TAG + "seq", _TAG + "merge"
_SCALARS = {_TAG + t for t in ("str", "int", "float", "bool", "null", "timestamp")}


class LineDict(dict[Any, Any]):
    """A dict that remembers its own line and the line of each key."""

    line: int = 0
    key_lines: dict[Any, int]


class LineList(list[Any]):
    """A list that remembers its own line and the line of each item."""

    line: int = 0
    item_lines: list[int]


class _Located(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def _tag_error(node: yaml.Node) -> _Located:
    tag = node.tag.replace(_TAG, "!!")
    return _Located(node.start_mark.line + 1,
                    f"YAML tag {tag} is not allowed: a spec is plain data")


class _Builder:
    """Plain data from a composed node graph."""

    def __init__(self, loader: yaml.SafeLoader) -> None:
        self.loader = loader

    def build(self, node: yaml.Node) -> Any:
        if isinstance(node, yaml.ScalarNode):
            if node.tag == _STR:
                return node.value
            if node.tag not in _SCALARS:
                raise _tag_error(node)
            return self.loader.construct_object(node)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _SEQ:
                raise _tag_error(node)
            seq = LineList(self.build(child) for child in node.value)
            seq.line = node.start_mark.line + 1
            seq.item_lines = [child.start_mark.line + 1 for child in node.value]
            return seq
        if isinstance(node, yaml.MappingNode) and node.tag == _MAP:
            return self._mapping(node)
        raise _tag_error(node)

    def _mapping(self, node: yaml.MappingNode) -> LineDict:
        explicit = {id(k) for k, _ in node.value if k.tag != _MERGE}
        self.loader.flatten_mapping(node)
        out = LineDict()
        out.line = node.start_mark.line + 1
        out.key_lines = {}
        merged: set[Any] = set()
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            key = self.build(key_node)
            if isinstance(key, list | dict):
                raise _Located(line, "a mapping key must be a plain value")
            if key in out.key_lines and key not in merged:
                raise _Located(line, f"duplicate key {key!r} (first at line {out.key_lines[key]})")
            merged.discard(key)
            if id(key_node) not in explicit:
                merged.add(key)  # keys merged in with `<<` may be overridden once
            out[key] = self.build(value_node)
            out.key_lines[key] = line
        return out


def read_yaml(path: str, text: str) -> Any:
    """Parse *text* safely; any problem is a RunError naming *path* and the line."""
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        return None if node is None else _Builder(loader).build(node)
    except _Located as err:
        raise RunError(located(path, err.line, err.message)) from None
    except RecursionError:
        problem = "YAML nested too deeply (or a recursive alias)"
        raise RunError(located(path, None, problem)) from None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark
        line = mark.line + 1 if mark else None
        problem = err.problem or "unsupported YAML"
        raise RunError(located(path, line, f"not valid YAML: {problem}")) from None
    except yaml.YAMLError as err:
        raise RunError(located(path, None, f"not valid YAML: {err}")) from None
    finally:
        loader.dispose()
