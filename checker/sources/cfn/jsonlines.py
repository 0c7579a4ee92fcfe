"""JSON as CloudFormation reads it (ECMA-404), keeping the line of every key and item.

The YAML reader cannot stand in: libyaml is YAML 1.1, so `1e5` would be text, a key longer
than 1024 characters an error, and lone surrogate escapes fail. This small reader walks the
text once, strings decoded by the json module's C scanstring, and builds the same
LineDict/LineList as the YAML reader, within bounds on depth, values and number length.
A duplicate key is refused (CloudFormation silently keeps one of them); NaN, Infinity,
comments and trailing commas are not JSON and are refused too.
"""

from __future__ import annotations

import json
import re
from _json import scanstring  # the C one json.decoder uses
from typing import Any

from checker.errors import RunError, located
from checker.specfile.limits import MAX_NUMBER_CHARS, brief
from checker.specfile.yamlread import LineDict, LineList

_WS = " \t\n\r"
_SKIP = re.compile(r"[ \t\n\r]*").match
_COLON = re.compile(r"[ \t\n\r]*:[ \t\n\r]*").match  # between a key and its value
_COMMA = re.compile(r"[ \t\n\r]*,[ \t\n\r]*").match  # between entries or items
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?").match
_WORDS = {"t": ("true", True), "f": ("false", False), "n": ("null", None)}


class _Bad(Exception):
    """A problem at a position of the text."""

    def __init__(self, pos: int, message: str, *, syntax: bool = True) -> None:
        super().__init__(message)
        self.pos = pos
        self.message = f"not valid JSON: {message}" if syntax else message


class _Reader:
    """One pass over the text; lines counted forward as positions are asked for."""

    def __init__(self, text: str, max_values: int, max_depth: int) -> None:
        self.text = text
        self.max_values = max_values
        self.max_depth = max_depth
        self.values = 0
        self.line = 1
        self.counted = 0  # the position up to which self.line is counted

    def line_at(self, pos: int) -> int:
        """The line of *pos*, which is never before the last one asked for."""
        self.line += self.text.count("\n", self.counted, pos)
        self.counted = pos
        return self.line

    def count(self, pos: int, n: int = 1) -> None:
        """*n* more values; refused past the bound."""
        self.values += n
        if self.values > self.max_values:
            raise _Bad(pos, f"more than {self.max_values:,} values: too large a file to "
                       "check; split it", syntax=False)

    def skip(self, pos: int) -> int:
        """The position of the next character that is not whitespace."""
        if self.text[pos:pos + 1] in _WS:
            match = _SKIP(self.text, pos)
            return match.end() if match else pos
        return pos

    def value(self, pos: int, depth: int) -> tuple[Any, int]:
        """The value starting at *pos* (not whitespace) and the position after it."""
        text = self.text
        char = text[pos:pos + 1]
        if char == '"':
            self.count(pos)
            string, end = scanstring(text, pos + 1, True)
            return string, end
        if char == "{":
            return self.mapping(pos, depth + 1)
        if char == "[":
            return self.sequence(pos, depth + 1)
        match = _NUMBER(text, pos)
        if match is not None:
            self.count(pos)
            number = match.group()
            if len(number) > MAX_NUMBER_CHARS:
                raise _Bad(pos, f"a number of {len(number)} characters: at most "
                           f"{MAX_NUMBER_CHARS}", syntax=False)
            exact = match.group(1) is None and match.group(2) is None
            return (int(number) if exact else float(number)), match.end()
        if char in _WORDS:
            word, meaning = _WORDS[char]
            if text.startswith(word, pos):
                self.count(pos)
                return meaning, pos + len(word)
        raise _Bad(pos, "expected a value" if char else "the text ends where a value is due")

    def _open(self, pos: int, depth: int) -> int:
        """Count the mapping or list opening at *pos*, *depth* deep; its line."""
        if depth > self.max_depth:
            raise _Bad(pos, f"nested more than {self.max_depth} levels deep", syntax=False)
        self.count(pos)
        return self.line_at(pos)

    def mapping(self, pos: int, depth: int) -> tuple[LineDict, int]:
        """The object whose `{` is at *pos*, and the position after its `}`."""
        text = self.text
        out = LineDict()
        out.line = self._open(pos, depth)
        lines: dict[Any, int] = {}
        out.key_lines = lines
        pos = self.skip(pos + 1)
        if text.startswith("}", pos):
            return out, pos + 1
        while True:
            if not text.startswith('"', pos):
                raise _Bad(pos, "expected a key (text in double quotes)")
            self.line += text.count("\n", self.counted, pos)
            self.counted, line = pos, self.line
            key, pos = scanstring(text, pos + 1, True)
            if key in lines:
                raise _Bad(self.counted, f"duplicate key {brief(key)} (first at line "
                           f"{lines[key]})", syntax=False)
            colon = _COLON(text, pos)
            if colon is None:
                raise _Bad(self.skip(pos), "expected ':' after a key")
            pos = colon.end()
            if text.startswith('"', pos):  # the common case, without a call
                self.count(pos, 2)
                out[key], pos = scanstring(text, pos + 1, True)
            else:
                self.count(pos, 1)  # the key
                out[key], pos = self.value(pos, depth)
            lines[key] = line
            comma = _COMMA(text, pos)
            if comma is not None:
                pos = comma.end()
                continue
            pos = self.skip(pos)
            if text.startswith("}", pos):
                return out, pos + 1
            raise _Bad(pos, "expected ',' or '}'")

    def sequence(self, pos: int, depth: int) -> tuple[LineList, int]:
        """The array whose `[` is at *pos*, and the position after its `]`."""
        text = self.text
        out = LineList()
        out.line = self._open(pos, depth)
        lines: list[int] = []
        out.item_lines = lines
        pos = self.skip(pos + 1)
        if text.startswith("]", pos):
            return out, pos + 1
        while True:
            self.line += text.count("\n", self.counted, pos)
            self.counted = pos
            lines.append(self.line)
            value, pos = self.value(pos, depth)
            out.append(value)
            comma = _COMMA(text, pos)
            if comma is not None:
                pos = comma.end()
                continue
            pos = self.skip(pos)
            if text.startswith("]", pos):
                return out, pos + 1
            raise _Bad(pos, "expected ',' or ']'")


def read_json(path: str, text: str, *, max_values: int, max_depth: int) -> Any:
    """The JSON value of *text*, mappings and lists keeping lines; any problem is a
    RunError naming *path* and the line."""
    reader = _Reader(text, max_values, max_depth)
    try:
        start = reader.skip(1 if text.startswith("\ufeff") else 0)
        value, end = reader.value(start, 0)
        end = reader.skip(end)
        if end < len(text):
            raise _Bad(end, "more after the JSON value")
        return value
    except _Bad as err:
        raise RunError(located(path, text.count("\n", 0, err.pos) + 1, err.message)) from None
    except json.JSONDecodeError as err:  # from scanstring: a string that is not JSON
        problem = err.msg.removesuffix(" at")
        line = text.count("\n", 0, err.pos) + 1
        raise RunError(located(path, line, f"not valid JSON: {problem[:1].lower()}"
                                           f"{problem[1:]}")) from None
