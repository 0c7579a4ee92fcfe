"""`yamlencode`: YAML exactly as Terraform writes it.

Terraform's yamlencode is go-cty-yaml's converter over a Go port of libyaml's emitter
(block style, indent 2, width 80, Unicode on). The converter asks for a double-quoted
scalar for every string (a literal block `|` when it holds a newline) and a plain one
for numbers, bools and null; the emitter then picks the style it allows. What follows
is that emitter for those events: its state (column, indent, whether the last thing
written was whitespace or indentation) and its choices, step for step.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise

from checker.sources.hcl import budget, numbers
from checker.sources.hcl.functions.texts import nfc
from checker.sources.hcl.valuemodel import EvalError, type_name

_WIDTH = 80
_INDENT = 2
_BREAKS = "\r\n\x85\u2028\u2029"
_ESCAPES = {0x00: "0", 0x07: "a", 0x08: "b", 0x09: "t", 0x0A: "n", 0x0B: "v", 0x0C: "f",
            0x0D: "r", 0x1B: "e", 0x22: '"', 0x5C: "\\", 0x85: "N", 0xA0: "_",
            0x2028: "L", 0x2029: "P"}
_PLAIN, _DOUBLE, _LITERAL = "plain", "double", "literal"


def _printable(char: str) -> bool:
    """libyaml's is_printable (as its Go port reads UTF-8): no tab, no C1, no astral."""
    c = ord(char)
    return (c == 0x0A or 0x20 <= c <= 0x7E or 0xA0 <= c <= 0xD7FF
            or (0xE000 <= c <= 0xFFFD and c != 0xFEFF))


class _Scalar:
    """What the emitter's analysis finds in a scalar, and the style it asks for."""

    def __init__(self, text: str, style: str) -> None:
        self.text = text
        self.style = style
        self.multiline = any(c in _BREAKS for c in text)
        self.size = len(text.encode("utf-8", "surrogatepass"))
        self.block_allowed = bool(text)
        if text:
            trailing_space = text[-1] == " "
            space_break = any(a == " " and b in _BREAKS for a, b in pairwise(text))
            special = any(not _printable(c) for c in text)
            if trailing_space or space_break or special:
                self.block_allowed = False


class _Emitter:
    """The emitter's state while writing one document."""

    def __init__(self) -> None:
        self.out: list[str] = []
        self.length = 0
        self.column = 0
        self.indent = -1
        self.indents: list[int] = []
        self.whitespace = True
        self.indention = True
        self.open_ended = False
        self.root = self.mapping = self.simple_key = False

    def put(self, text: str) -> None:
        """Write characters of one line."""
        self.out.append(text)
        self.column += len(text)
        self.length += len(text)
        if self.length > budget.MAX_STRING:
            budget.text(self.length)

    def put_break(self) -> None:
        """Write a line break."""
        self.put("\n")
        self.column = 0

    def increase_indent(self, flow: bool, indentless: bool) -> None:
        """Push the indent, one level deeper unless *indentless*."""
        self.indents.append(self.indent)
        if self.indent < 0:
            self.indent = _INDENT if flow else 0
        elif not indentless:
            self.indent += _INDENT

    def write_indent(self) -> None:
        """A new line (unless at the indent already) and spaces up to the indent."""
        indent = max(self.indent, 0)
        if (not self.indention or self.column > indent
                or (self.column == indent and not self.whitespace)):
            self.put_break()
        if self.column < indent:
            self.put(" " * (indent - self.column))
        self.whitespace = self.indention = True

    def indicator(self, text: str, need_space: bool, is_space: bool, is_indent: bool) -> None:
        """Write an indicator (`-`, `?`, `:`, a quote...)."""
        if need_space and not self.whitespace:
            self.put(" ")
        self.put(text)
        self.whitespace = is_space
        self.indention = self.indention and is_indent
        self.open_ended = False

    def node(self, value: object, root: bool, mapping: bool, simple_key: bool) -> None:
        """One node: a scalar, a sequence or a mapping."""
        budget.step()
        self.root, self.mapping, self.simple_key = root, mapping, simple_key
        if isinstance(value, list):
            self.sequence(value)
        elif isinstance(value, dict):
            self.mapping_node(value)
        else:
            self.scalar(_scalar(value))

    def sequence(self, items: list[object]) -> None:
        """A block sequence (`[]` when empty)."""
        if not items:
            self.indicator("[", True, True, False)
            self.indicator("]", False, False, False)
            return
        self.increase_indent(False, self.mapping and not self.indention)
        for item in items:
            self.write_indent()
            self.indicator("-", True, False, True)
            self.node(item, False, False, False)
        self.indent = self.indents.pop()

    def mapping_node(self, attrs: dict[str, object]) -> None:
        """A block mapping, keys sorted (`{}` when empty)."""
        if not attrs:
            self.indicator("{", True, True, False)
            self.indicator("}", False, False, False)
            return
        self.increase_indent(False, False)
        for key in sorted(attrs):
            self.write_indent()
            scalar = _scalar(key)
            if not scalar.multiline and scalar.size <= 128:
                self.root, self.mapping, self.simple_key = False, True, True
                self.scalar(scalar)
                self.indicator(":", False, False, False)
            else:
                self.indicator("?", True, False, True)
                self.root, self.mapping, self.simple_key = False, True, False
                self.scalar(scalar)
                self.write_indent()
                self.indicator(":", True, False, True)
            self.node(attrs[key], False, True, False)
        self.indent = self.indents.pop()

    def scalar(self, scalar: _Scalar) -> None:
        """A scalar in the style the emitter allows."""
        style = scalar.style
        if self.simple_key and scalar.multiline:
            style = _DOUBLE
        if style == _LITERAL and (not scalar.block_allowed or self.simple_key):
            style = _DOUBLE
        self.increase_indent(True, False)
        if style == _PLAIN:
            if not self.whitespace:
                self.put(" ")
            self.put(scalar.text)
            self.whitespace = self.indention = False
            self.open_ended = self.open_ended or self.root
        elif style == _DOUBLE:
            self.double_quoted(scalar.text, not self.simple_key)
        else:
            self.literal(scalar.text)
        self.indent = self.indents.pop()

    def double_quoted(self, text: str, allow_breaks: bool) -> None:
        """A double-quoted scalar: escapes, and long lines folded at spaces."""
        self.indicator('"', True, False, False)
        bom = text.startswith("\ufeff")
        spaces = False
        last = len(text) - 1
        for i, char in enumerate(text):
            if bom or not _printable(char) or char in _BREAKS or char in '"\\':
                code = ord(char)
                escape = _ESCAPES.get(code)
                if escape is None:
                    escape = (f"x{code:02X}" if code <= 0xFF else
                              f"u{code:04X}" if code <= 0xFFFF else f"U{code:08X}")
                self.put("\\" + escape)
                spaces = False
            elif char == " ":
                if allow_breaks and not spaces and self.column > _WIDTH and 0 < i < last:
                    self.write_indent()
                    if text[i + 1] == " ":
                        self.put("\\")
                else:
                    self.put(" ")
                spaces = True
            else:
                self.put(char)
                spaces = False
        self.indicator('"', False, False, False)
        self.whitespace = self.indention = False

    def literal(self, text: str) -> None:
        """A literal block scalar, with its indentation and chomping indicators."""
        self.indicator("|", True, False, False)
        if text[0] in " " + _BREAKS:
            self.indicator(str(_INDENT), False, False, False)
        self.open_ended = False
        if text[-1] not in _BREAKS:
            self.indicator("-", False, False, False)
        elif len(text) == 1 or text[-2] in _BREAKS:
            self.indicator("+", False, False, False)
        self.put_break()
        self.indention = self.whitespace = True
        breaks = True
        for char in text:
            if char in _BREAKS:
                self.put(char)
                self.column = 0
                self.indention = breaks = True
            else:
                if breaks:
                    self.write_indent()
                self.put(char)
                self.indention = breaks = False


def _scalar(value: object) -> _Scalar:
    """The scalar go-cty-yaml asks to write for a primitive value."""
    if value is None:
        return _Scalar("null", _PLAIN)
    if isinstance(value, bool):
        return _Scalar("true" if value else "false", _PLAIN)
    if isinstance(value, str):
        return _Scalar(value, _LITERAL if "\n" in value else _DOUBLE)
    if numbers.is_number(value):
        assert isinstance(value, int | float | numbers.Num)
        return _Scalar(numbers.text(value), _PLAIN)
    raise EvalError(f"yamlencode: a {type_name(value)} cannot be written as YAML")


def yamlencode(value: object) -> str:
    """`yamlencode(value)`: one YAML document, as Terraform writes it."""
    emitter = _Emitter()
    emitter.node(value, True, False, False)
    emitter.write_indent()
    if emitter.open_ended:
        emitter.indicator("...", True, False, False)
        emitter.write_indent()
    return nfc("".join(emitter.out))


FUNCTIONS: dict[str, Callable[..., object]] = {
    "yamlencode": yamlencode,
}

__all__ = ["FUNCTIONS", "yamlencode"]
