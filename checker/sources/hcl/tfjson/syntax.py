"""A JSON parser that keeps positions, for Terraform's JSON configuration files.

Python's `json` gives no positions, folds duplicate properties, and reads numbers as
floats; HCL's JSON syntax needs all three: the line of each property name and value,
every property in order (duplicates too), and each number's literal text (read exactly by
`numbers.parse`). Strings are read as Go's `encoding/json` reads them: an invalid UTF-8
byte or a lone surrogate escape is U+FFFD.

Iterative (no recursion), nesting bounded by `MAX_NESTING`, input bounded by the size of
one file (`budget.MAX_FILE_BYTES`). Invalid JSON is a one-line RunError
`file:line: not valid JSON (...)` naming what is wrong, never the file's text.
"""

from __future__ import annotations

import codecs
import re

from checker.errors import RunError
from checker.sources.hcl import budget

MAX_NESTING = 200  # arrays and objects within each other (Terraform's own go a few deep)

_SPACE = re.compile(rb"[ \t\n\r]*")
_CHARS = re.compile(rb'[^"\\\x00-\x1f]*(?:\\[^\x00-\x1f][^"\\\x00-\x1f]*)*')  # of a string
_STRING = re.compile(b'"' + _CHARS.pattern + b'"')
_NUMBER = re.compile(rb"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
_KEYWORD = re.compile(rb"[A-Za-z_]+")
_KEYWORDS: dict[bytes, bool | None] = {b"true": True, b"false": False, b"null": None}
_ESCAPE = re.compile(r'\\(?:u([dD][89abAB][0-9a-fA-F]{2})\\u([dD][c-fC-F][0-9a-fA-F]{2})'
                     r'|u([0-9a-fA-F]{4})|(["\\/bfnrt])|(.?))', re.S)
_SIMPLE = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r",
           "t": "\t"}


def _go_replace(exc: UnicodeError) -> tuple[str, int]:
    """U+FFFD for each byte of an invalid UTF-8 sequence, as Go's decoder writes it."""
    assert isinstance(exc, UnicodeDecodeError)
    return "\ufffd" * (exc.end - exc.start), exc.end


codecs.register_error("tablespec-go-replace", _go_replace)


class JNode:
    """A JSON value: its line and byte span in the file."""

    __slots__ = ("end", "line", "start")

    def __init__(self, line: int, start: int, end: int) -> None:
        self.line = line
        self.start = start
        self.end = end


class JString(JNode):
    """A string, unescaped."""

    __slots__ = ("value",)

    def __init__(self, line: int, start: int, end: int, value: str) -> None:
        super().__init__(line, start, end)
        self.value = value


class JNumber(JNode):
    """A number, as its literal text (`-1.5e3`)."""

    __slots__ = ("text",)

    def __init__(self, line: int, start: int, end: int, text: str) -> None:
        super().__init__(line, start, end)
        self.text = text


class JKeyword(JNode):
    """`true`, `false` or `null`."""

    __slots__ = ("value",)

    def __init__(self, line: int, start: int, end: int, value: bool | None) -> None:
        super().__init__(line, start, end)
        self.value = value


class JArray(JNode):
    """`[...]`: its elements in order."""

    __slots__ = ("items",)

    def __init__(self, line: int, start: int) -> None:
        super().__init__(line, start, start + 1)
        self.items: list[JNode] = []


class JProperty:
    """`"name": value` of an object."""

    __slots__ = ("name", "value")

    def __init__(self, name: JString, value: JNode) -> None:
        self.name = name
        self.value = value


class JObject(JNode):
    """`{...}`: its properties in order, duplicates kept."""

    __slots__ = ("props",)

    def __init__(self, line: int, start: int) -> None:
        super().__init__(line, start, start + 1)
        self.props: list[JProperty] = []


def _escape(match: re.Match[str]) -> str:
    """One escape sequence resolved; ValueError for one JSON does not allow."""
    high, low, code, simple, bad = match.groups()
    if high is not None:
        return chr(0x10000 + ((int(high, 16) - 0xD800) << 10) + int(low, 16) - 0xDC00)
    if code is not None:
        point = int(code, 16)
        return "\ufffd" if 0xD800 <= point <= 0xDFFF else chr(point)
    if simple is not None:
        return _SIMPLE[simple]
    raise ValueError("an escape sequence JSON does not allow" if bad else
                     "a backslash at the end of a string")


def string_value(token: bytes) -> str:
    """The text of a string token (quotes included), as Go reads it; ValueError for an
    escape JSON does not allow."""
    text = token[1:-1].decode("utf-8", "tablespec-go-replace")
    return _ESCAPE.sub(_escape, text) if "\\" in text else text


class _Reader:
    """The state of one parse: position, line, and the containers open."""

    def __init__(self, data: bytes, path: str) -> None:
        self.data = data
        self.path = path
        self.pos = 0
        self.line = 1
        self._counted = 0  # offset up to which newlines are counted into `line`

    def fail(self, why: str, at: int | None = None) -> RunError:
        """The error for invalid JSON at byte *at* (default: the current position)."""
        self.at(self.pos if at is None else at)
        return RunError(f"{self.path}:{self.line}: not valid JSON ({why})")

    def at(self, offset: int) -> int:
        """The line of byte *offset* (at or after the last one asked about)."""
        if offset > self._counted:
            self.line += self.data.count(b"\n", self._counted, offset)
            self._counted = offset
        return self.line

    def skip(self) -> int:
        """Skip whitespace; the next byte (-1 at the end)."""
        found = _SPACE.match(self.data, self.pos)
        assert found is not None
        self.pos = found.end()
        return self.data[self.pos] if self.pos < len(self.data) else -1

    def scalar(self, first: int) -> JNode:
        """The string, number or keyword at the current position."""
        data, start = self.data, self.pos
        line = self.at(start)
        if first == 0x22:  # "
            found = _STRING.match(data, start)
            if found is None:
                raise self.fail(self._bad_string(start))
            self.pos = found.end()
            try:
                return JString(line, start, self.pos, string_value(found.group()))
            except ValueError as exc:
                raise self.fail(f"{exc}") from None
        found = _NUMBER.match(data, start)
        if found is not None:
            self.pos = found.end()
            return JNumber(line, start, self.pos, found.group().decode("ascii"))
        found = _KEYWORD.match(data, start)
        if found is not None and found.group() in _KEYWORDS:
            self.pos = found.end()
            return JKeyword(line, start, self.pos, _KEYWORDS[found.group()])
        if found is not None:
            raise self.fail("a word that is not true, false or null")
        if first in b"+-.0123456789":
            raise self.fail("a number JSON does not allow")
        raise self.fail("a character where a value is expected")

    def _bad_string(self, start: int) -> str:
        """Why the string starting at *start* is not one (the position: where it fails)."""
        found = _CHARS.match(self.data, start + 1)
        assert found is not None
        end = found.end() + (self.data[found.end():found.end() + 1] == b"\\")
        if end < len(self.data):
            self.pos = end
            return "a string holds a control character or line break"
        self.pos = start
        return "a string is not closed"


def parse(data: bytes, path: str) -> JNode:
    """The JSON value of *data* (the file *path*, for messages); RunError when it is not
    valid JSON, nests deeper than `MAX_NESTING`, or is larger than one file may be."""
    if len(data) > budget.MAX_FILE_BYTES:
        raise RunError(f"{path}: larger than the most tablespec reads of one Terraform file")
    r = _Reader(data, path)
    stack: list[JObject | JArray] = []
    key: list[JString | None] = []  # the pending property name of each open object
    root: JNode | None = None
    while True:
        byte = r.skip()
        if root is not None and not stack:
            if byte != -1:
                raise r.fail("more data after the JSON value")
            return root
        if byte == -1:
            raise r.fail("the file ends before the JSON value does" if stack or root else
                         "no JSON value in the file")
        top = stack[-1] if stack else None
        if isinstance(top, JObject) and key[-1] is None:
            # a property name, or `}` of an empty object
            if byte == 0x7D and not top.props:
                _close(r, stack, key)
                continue
            if byte != 0x22:
                raise r.fail("an object property name must be a string")
            found = r.scalar(byte)
            assert isinstance(found, JString)
            if r.skip() != 0x3A:  # :
                raise r.fail("':' expected after a property name")
            r.pos += 1
            key[-1] = found
            continue
        if isinstance(top, JArray) and byte == 0x5D and not top.items:
            _close(r, stack, key)
            continue
        value: JNode
        if byte in (0x7B, 0x5B):  # { [
            if len(stack) >= MAX_NESTING:
                r.at(r.pos)
                raise RunError(f"{path}:{r.line}: nested too deeply (more than {MAX_NESTING} "
                               "levels of arrays and objects)")
            value = JObject(r.at(r.pos), r.pos) if byte == 0x7B else JArray(r.at(r.pos), r.pos)
            r.pos += 1
        elif byte in (0x7D, 0x5D, 0x2C, 0x3A):  # } ] , :
            raise r.fail("a value expected")
        else:
            value = r.scalar(byte)
        if top is None:
            root = value
        elif isinstance(top, JObject):
            pending = key[-1]
            assert pending is not None
            top.props.append(JProperty(pending, value))
        else:
            top.items.append(value)
        if isinstance(value, JObject | JArray):
            stack.append(value)
            key.append(None)
            continue
        _after_value(r, stack, key)


def _close(r: _Reader, stack: list[JObject | JArray], key: list[JString | None]) -> None:
    """Close the innermost container at the current `}` or `]`, then read what follows."""
    r.pos += 1
    stack[-1].end = r.pos
    stack.pop()
    key.pop()
    _after_value(r, stack, key)


def _after_value(r: _Reader, stack: list[JObject | JArray], key: list[JString | None]) -> None:
    """After a value inside a container: `,` (then another), or the container's close."""
    while stack:
        top = stack[-1]
        closer = 0x7D if isinstance(top, JObject) else 0x5D
        byte = r.skip()
        if byte == 0x2C:
            comma = r.pos
            r.pos += 1
            if r.skip() in (0x7D, 0x5D):
                raise r.fail("a comma before a closing bracket", comma)
            if isinstance(top, JObject):
                key[-1] = None
            return
        if byte != closer:
            raise r.fail("the file ends inside an object or array" if byte == -1 else
                         f"',' or {chr(closer)!r} expected")
        r.pos += 1
        top.end = r.pos
        stack.pop()
        key.pop()
