"""Safe, bounded YAML reading that keeps the line of every mapping key and list item.

libyaml's parser streams events; a small builder makes plain data from them as they come,
keeping lines, refusing duplicate keys and any tag that is not plain YAML data. It counts
as it goes: a file that nests, or expands through aliases and `<<` merges, beyond the
bounds of `checker.specfile.limits` is refused at the line that crosses them, before it is
built. An alias shares the value of its anchor; nothing is copied.

A `Dialect` says what a reader accepts: specs and waivers read the default (`SPEC`); a
caller may give other bounds, refuse aliases and merges, keep dates as text and build
local tags (`!Name`) with its own `TagBuilder`s, e.g. CloudFormation's short forms.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import yaml

from checker.errors import RunError, located
from checker.specfile.limits import brief
from checker.specfile.yamlscalar import MAP, SEQ, STR, Located, Scalars
from checker.specfile.yamltypes import SPEC, Dialect, LineDict, LineList, TagBuilder, TagError

_Loader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class _Frame:
    """A mapping or list being built: its entries so far, its size and height."""

    out: LineDict | LineList
    anchor: str | None
    tag: str | None  # a Dialect tag whose builder makes the value when the frame ends
    size: int = 1  # values in it, itself included, aliases expanded
    height: int = 1  # levels of nesting in it
    key: tuple[Any, int] | None = None  # a mapping's key waiting for its value, and its line
    merges: list[LineDict] = field(default_factory=list)  # `<<` sources, later ones win
    is_merge: bool = False  # the waiting key is `<<`


@dataclass
class _Anchored:
    value: Any
    line: int
    size: int
    height: int


def _line(event: yaml.Event) -> int:
    mark = event.start_mark
    return mark.line + 1 if mark is not None else 0


class _Builder:
    """Plain data from the event stream of one document, within the bounds."""

    def __init__(self, loader: yaml.SafeLoader, dialect: Dialect) -> None:
        self.loader = loader
        self.d = dialect
        self.levels = 0  # of the open mappings and lists, and of the long forms around them
        self.stack: list[_Frame] = []
        self.anchors: dict[str, _Anchored] = {}
        self.open: dict[str, int] = {}  # anchors of the mappings and lists being built
        self.values = 0
        self.aliased = 0
        self.scalars = Scalars(loader, dialect)

    def document(self) -> Any:
        """The single document's data; None for an empty stream."""
        self._next()  # stream start
        if isinstance(self._next(), yaml.StreamEndEvent):
            return None
        value = self._root()
        self._next()  # document end
        after = self._next()
        if not isinstance(after, yaml.StreamEndEvent):
            raise Located(_line(after),
                           f"a second YAML document (---): {self.d.noun} is one document")
        return value

    def _next(self) -> yaml.Event:
        event: yaml.Event = self.loader.get_event()  # type: ignore[no-untyped-call]
        return event

    def _root(self) -> Any:
        next_event: Callable[[], yaml.Event] = self.loader.get_event
        stack, tags, plain = self.stack, self.d.tags, self.scalars.plain
        while True:
            event = next_event()
            mark = event.start_mark
            line = mark.line + 1 if mark is not None else 0
            if isinstance(event, yaml.ScalarEvent):
                value: Any
                if event.tag is None and event.implicit[0] and plain.get(event.value) == STR:
                    value, is_merge = event.value, False  # plain text (seen before)
                else:
                    value, is_merge = self.scalars.value(event, line)
                self._count(1, line)
                if stack and event.anchor is None and not is_merge and event.tag not in tags:
                    self._put(stack[-1], value, line)  # the common case, in short
                    continue
                size, height = 1, 0
                if event.tag in tags:
                    value, size, height = self._wrap(str(event.tag), value, line, 1, 0)
                self._anchor(event.anchor, value, line, size, height)
                done = self._add(value, size, height, line, is_merge=is_merge)
            elif isinstance(event, yaml.AliasEvent):
                done = self._add(*self._alias(event, line), line, is_merge=False)
            elif isinstance(event, yaml.CollectionStartEvent):
                self._start(event, line)
                continue
            else:  # the end of a mapping or list
                frame = stack.pop()
                value, size, height = self._finish(frame), frame.size, frame.height
                self.levels -= 1 if frame.tag is None else 2
                if frame.tag is not None:
                    value, size, height = self._wrap(frame.tag, value, value.line, size, height)
                self._anchor(frame.anchor, value, value.line, size, height)
                done = self._add(value, size, height, value.line, is_merge=False)
            if done is not None:
                return done[0]

    @staticmethod
    def _put(frame: _Frame, value: Any, line: int) -> None:
        """`_add` of a plain scalar (no anchor, no tag, not `<<`) into *frame*."""
        frame.size += 1  # its height stays: a scalar adds no level
        out = frame.out
        if isinstance(out, LineList):
            out.append(value)
            out.item_lines.append(line)
        elif frame.key is None:
            frame.key, frame.is_merge = (value, line), False
        elif frame.is_merge or frame.key[0] in out.key_lines:
            _Builder._entry(frame, out, value)  # a merge, or a duplicate key
        else:
            key, key_line = frame.key
            frame.key = None
            out[key] = value
            out.key_lines[key] = key_line

    def _count(self, n: int, line: int) -> None:
        self.values += n
        if self.values > self.d.max_values:
            expanded = "" if self.d.no_aliases else " (aliases expanded)"
            raise Located(line, f"more than {self.d.max_values:,} values{expanded}: too "
                           "large a file to check; split it")

    def _deeper(self, levels: int, line: int) -> None:
        """Refuse nesting *levels* deep past the bound."""
        if levels > self.d.max_depth:
            raise Located(line, f"nested more than {self.d.max_depth} levels deep"
                           f"{self.d.depth_hint}")

    def _wrap(self, tag: str, value: Any, line: int, size: int,
              height: int) -> tuple[Any, int, int]:
        """The value *tag*'s builder makes of *value*: a mapping of one key around it."""
        self._deeper(self.levels + 1, line)
        self._count(2, line)
        try:
            return self.d.tags[tag](value, line), size + 2, height + 1
        except TagError as err:
            raise Located(line, str(err)) from None

    def _start(self, event: yaml.CollectionStartEvent, line: int) -> None:
        mapping = isinstance(event, yaml.MappingStartEvent)
        kind, want = (yaml.MappingNode, MAP) if mapping else (yaml.SequenceNode, SEQ)
        tag = event.tag
        local = tag if tag in self.d.tags else None
        if local is None and (tag is None or tag == "!"):
            tag = self.scalars.resolve(kind, None, event.implicit)
        if local is None and tag != want:
            raise self.scalars.tag_error(str(tag), line)
        self.levels += 1 if local is None else 2
        self._deeper(self.levels, line)
        self._count(1, line)
        out: LineDict | LineList = LineDict() if mapping else LineList()
        out.line = line
        if isinstance(out, LineDict):
            out.key_lines = {}
        else:
            out.item_lines = []
        if event.anchor is not None:
            self._check_new_anchor(event.anchor, line)
            self.open[event.anchor] = line
        self.stack.append(_Frame(out, event.anchor, local))

    def _check_new_anchor(self, name: str, line: int) -> None:
        first = self.anchors[name].line if name in self.anchors else self.open.get(name)
        if first is not None:
            raise Located(line, f"anchor &{brief(name).strip(chr(39))} is defined twice "
                           f"(first at line {first})")

    def _anchor(self, name: str | None, value: Any, line: int, size: int, height: int) -> None:
        if name is None:
            return
        if name not in self.open:
            self._check_new_anchor(name, line)
        self.open.pop(name, None)
        self.anchors[name] = _Anchored(value, line, size, height)

    def _alias(self, event: yaml.AliasEvent, line: int) -> tuple[Any, int, int]:
        name = event.anchor or ""
        shown = brief(name).strip("'")
        self.scalars.no_alias(f"YAML alias *{shown}", line)
        if name in self.open:
            raise Located(line, f"alias *{shown} is inside the value it names (a cycle)")
        if name not in self.anchors:
            raise Located(line, f"alias *{shown} names no anchor (&{shown}) above it")
        target = self.anchors[name]
        if self.levels + target.height > self.d.max_depth:
            raise Located(line, f"alias *{shown} nests more than {self.d.max_depth} levels "
                           "deep")
        self.aliased += target.size
        if self.aliased > self.d.max_alias_values:
            raise Located(line, f"aliases expand to more than {self.d.max_alias_values:,} "
                           "values: an alias may repeat a part of the file, not multiply it")
        self._count(target.size, line)
        return target.value, target.size, target.height

    def _add(self, value: Any, size: int, height: int, line: int,
             *, is_merge: bool) -> tuple[Any] | None:
        """Put *value* into the open mapping or list; (value,) when it is the root."""
        if not self.stack:
            return (value,)
        frame = self.stack[-1]
        frame.size += size
        frame.height = max(frame.height, height + 1)
        if isinstance(frame.out, LineList):
            frame.out.append(value)
            frame.out.item_lines.append(line)
        elif frame.key is None:
            if isinstance(value, list | dict):
                raise Located(line, "a mapping key must be a plain value")
            frame.key, frame.is_merge = (value, line), is_merge
        else:
            self._entry(frame, frame.out, value)
        return None

    @staticmethod
    def _entry(frame: _Frame, out: LineDict, value: Any) -> None:
        assert frame.key is not None
        key, line = frame.key
        frame.key = None
        if frame.is_merge:
            sources = value if isinstance(value, list) else [value]
            if not all(isinstance(s, LineDict) for s in sources):
                raise Located(line, "`<<` merges a mapping or a list of mappings")
            frame.merges.extend(reversed(sources))  # the first one listed wins
            return
        if key in out.key_lines:
            raise Located(line, f"duplicate key {brief(key)} (first at line "
                           f"{out.key_lines[key]})")
        out[key] = value
        out.key_lines[key] = line

    @staticmethod
    def _finish(frame: _Frame) -> LineDict | LineList:
        """The built mapping (merged keys first; its own keys win) or list."""
        own = frame.out
        if not frame.merges or not isinstance(own, LineDict):
            return own
        out = LineDict()
        out.line, out.key_lines = own.line, {}
        for source in [*frame.merges, own]:
            for key, value in source.items():
                out[key] = value
                out.key_lines[key] = source.key_lines.get(key, own.line)
        return out


def read_yaml(path: str, text: str, dialect: Dialect = SPEC) -> Any:
    """Parse *text* safely as *dialect* reads; any problem is a RunError naming *path* and
    the line."""
    if len(text) > dialect.max_bytes:
        problem = f"larger than {dialect.max_bytes // (1024 * 1024)} MiB; split it"
        raise RunError(located(path, None, problem))
    loader = _Loader(text)
    try:
        return _Builder(loader, dialect).document()
    except Located as err:
        raise RunError(located(path, err.line, err.message)) from None
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark
        line = mark.line + 1 if mark else None
        problem = (err.problem or "unsupported YAML").splitlines()[0]
        raise RunError(located(path, line, f"not valid YAML: {problem}")) from None
    except yaml.reader.ReaderError as err:  # a character YAML does not allow
        line = text.count("\n", 0, err.position) + 1
        raise RunError(located(path, line, f"not valid YAML: {err.reason}")) from None
    except yaml.YAMLError as err:
        problem = str(err).splitlines()[0] if str(err) else "unsupported YAML"
        raise RunError(located(path, None, f"not valid YAML: {problem}")) from None
    finally:
        loader.dispose()


__all__ = ["SPEC", "Dialect", "LineDict", "LineList", "TagBuilder", "TagError", "read_yaml"]
