"""Safe YAML reading that keeps the line of every mapping key and list item."""

from __future__ import annotations

from typing import Any

import yaml

from checker.errors import RunError, located

try:  # the C parser when present; constructors below stay pure Python
    _Base: type[yaml.SafeLoader] = yaml.CSafeLoader  # type: ignore[assignment]
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Base = yaml.SafeLoader


class LineDict(dict[Any, Any]):
    """A dict that remembers its own line and the line of each key."""

    line: int = 0
    key_lines: dict[Any, int]


class LineList(list[Any]):
    """A list that remembers its own line and the line of each item."""

    line: int = 0
    item_lines: list[int]


class _Loader(_Base):  # type: ignore[misc, valid-type]
    """SafeLoader whose maps and lists carry line numbers and reject duplicate keys."""


def _construct_map(loader: yaml.SafeLoader, node: yaml.MappingNode) -> LineDict:
    explicit = {id(k) for k, _ in node.value if k.tag != "tag:yaml.org,2002:merge"}
    loader.flatten_mapping(node)
    out = LineDict()
    out.line = node.start_mark.line + 1
    out.key_lines = {}
    merged: set[Any] = set()
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        line = key_node.start_mark.line + 1
        if not isinstance(key, str | int | float | bool) and key is not None:
            raise RunError(f"line {line}: a mapping key must be a plain value")
        if key in out.key_lines and key not in merged:
            raise _Located(line, f"duplicate key {key!r} (first at line {out.key_lines[key]})")
        out[key] = loader.construct_object(value_node, deep=True)
        out.key_lines[key] = line
        if id(key_node) not in explicit:
            merged.add(key)  # keys merged in with `<<` may be overridden once
    return out


def _construct_seq(loader: yaml.SafeLoader, node: yaml.SequenceNode) -> LineList:
    out = LineList(loader.construct_object(child, deep=True) for child in node.value)
    out.line = node.start_mark.line + 1
    out.item_lines = [child.start_mark.line + 1 for child in node.value]
    return out


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)
_Loader.add_constructor("tag:yaml.org,2002:seq", _construct_seq)


class _Located(Exception):
    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def read_yaml(path: str, text: str) -> Any:
    """Parse *text* safely; any problem is a RunError naming *path* and the line."""
    try:
        return yaml.load(text, Loader=_Loader)
    except _Located as err:
        raise RunError(located(path, err.line, err.message)) from None
    except yaml.constructor.ConstructorError as err:
        mark = err.problem_mark
        line = mark.line + 1 if mark else None
        problem = err.problem or "unsupported YAML"
        if "could not determine a constructor for the tag" in problem:
            tag = problem.rsplit(" ", 1)[-1].strip("'")
            tag = tag.replace("tag:yaml.org,2002:", "!!")
            problem = f"YAML tag {tag} is not allowed: a spec is plain data"
        raise RunError(located(path, line, problem)) from None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark
        line = mark.line + 1 if mark else None
        raise RunError(located(path, line, f"not valid YAML: {err.problem}")) from None
    except yaml.YAMLError as err:
        raise RunError(located(path, None, f"not valid YAML: {err}")) from None
