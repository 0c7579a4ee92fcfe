"""The values the YAML reader builds (mappings and lists that keep their lines) and the
`Dialect` that says what a reader accepts: specs and waivers read the default (`SPEC`);
CloudFormation templates refuse aliases, keep dates as text and build their short-form
tags (`!Ref`) with `TagBuilder`s."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from checker.specfile.limits import MAX_ALIAS_VALUES, MAX_BYTES, MAX_DEPTH, MAX_VALUES


class LineDict(dict[Any, Any]):
    """A dict that remembers its own line and the line of each key."""

    line: int = 0
    key_lines: dict[Any, int]


def lined(items: Iterable[tuple[Any, Any]], like: object) -> LineDict:
    """A LineDict of *items* at the lines *like* (a LineDict; anything else: line 0) gives
    for itself and for each of its keys: a mapping rebuilt from another keeps its lines."""
    out = LineDict(items)
    out.line = getattr(like, "line", 0)
    lines = getattr(like, "key_lines", {})
    out.key_lines = {key: lines.get(key, 0) for key in out}
    return out


class LineList(list[Any]):
    """A list that remembers its own line and the line of each item."""

    line: int = 0
    item_lines: list[int]


class TagError(Exception):
    """A TagBuilder's refusal of the value under its tag; the reader adds the line."""


TagBuilder = Callable[[Any, int], Any]  # (the value under the tag, its line) -> the value


@dataclass(frozen=True)
class Dialect:
    """What a reader accepts and how its messages name the file; the default reads specs."""

    noun: str = "a spec"  # "a second YAML document (---): a spec is one document"
    plain: str = "a spec is plain data"  # why a YAML tag it does not know is refused
    max_bytes: int = MAX_BYTES
    max_values: int = MAX_VALUES
    max_alias_values: int = MAX_ALIAS_VALUES
    max_depth: int = MAX_DEPTH
    depth_hint: str = " (a spec needs fewer than 10)"
    tags: Mapping[str, TagBuilder] = field(default_factory=dict)  # local tags, e.g. "!Ref"
    no_aliases: str = ""  # why aliases and `<<` merges are refused; "": read them
    dates: bool = True  # False: an untagged date is its text


SPEC = Dialect()
