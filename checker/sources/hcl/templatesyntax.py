"""Template syntax: quoted strings and heredocs -> literal text, interpolations, directives.

Read as HCL reads them: first a flat sequence of tokens (literal text, `${...}` and the
`%{...}` markers; in a heredoc one literal token per line), then the `~` strip markers
trim the literal token beside them, then a flush heredoc (`<<-`) loses the indent its
lines share, and only then are the tokens nested into `if` and `for` parts.

tree-sitter's template_literal nodes leave out whitespace next to interpolations, so
literal text is read from the source bytes between the interpolations and directives.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from checker.errors import RunError
from checker.sources.hcl.exprnodes import Expr, Part, Source, Template, TemplateFor, TemplateIf

if TYPE_CHECKING:
    from tree_sitter import Node

_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)|\$\$\{|%%\{", re.S)
_HEREDOC_ESCAPE = re.compile(r"\$\$\{|%%\{")
_SIMPLE = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}
_LINE = re.compile(r"[^\n]*\n|[^\n]+")
# Go's unicode.IsSpace, which HCL trims with (Python's str.strip also takes \x1c-\x1f)
SPACE = "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008" \
        "\u2009\u200a\u2028\u2029\u202f\u205f\u3000"
_MARKERS = {"template_if_intro": "if", "template_else_intro": "else", "template_if_end": "endif",
            "template_for_start": "for", "template_for_end": "endfor"}
_INFINITE = 1 << 62


def _unescape_one(match: re.Match[str]) -> str:
    """One escape sequence resolved; ValueError for one HCL refuses."""
    whole = match.group(0)
    if whole in ("$${", "%%{"):
        return whole[1:]
    code = match.group(1)
    if code[0] in "uU" and len(code) > 1:
        point = int(code[1:], 16)
        if point > 0x10FFFF or 0xD800 <= point <= 0xDFFF:
            raise ValueError(f"cannot encode character U+{point:04x} in UTF-8")
        return chr(point)
    if code not in _SIMPLE:
        raise ValueError(f"\\{code[:1]} is not a valid escape sequence")
    return _SIMPLE[code]


def unescape(text: str) -> str:
    """A quoted string's escapes (`\\n`, `\\"`, `\\uXXXX`, `$${`, `%%{`) resolved;
    ValueError for an escape HCL refuses (`\\x`, a surrogate)."""
    return _ESCAPE.sub(_unescape_one, text)


class _Mark:
    """A `${...}` or a `%{...}` marker of the flat token sequence, with its strip markers."""

    __slots__ = ("after", "before", "kind", "node")

    def __init__(self, kind: str, node: Node, before: bool, after: bool) -> None:
        self.kind = kind
        self.node = node
        self.before = before  # `${~` / `%{~`: trims the literal token before it
        self.after = after  # `~}`: trims the literal token after it


Token = str | _Mark


def _trim(tokens: list[Token]) -> None:
    """Apply the strip markers: each trims whitespace off the literal token beside it."""
    ltrim = False
    for i, token in enumerate(tokens):
        if isinstance(token, str):
            if ltrim:
                tokens[i] = token.lstrip(SPACE)
            ltrim = False
            continue
        previous = tokens[i - 1] if i else None
        if token.before and isinstance(previous, str):
            tokens[i - 1] = previous.rstrip(SPACE)
        ltrim = token.after


def _flush(tokens: list[Token]) -> None:
    """A flush heredoc's lines lose the indent they share (blank lines do not count; a
    line that starts with an interpolation or directive shares none)."""
    newline, least, adjust = True, _INFINITE, []
    for i, token in enumerate(tokens):
        if newline:
            newline = False
            spaces = 0
            if isinstance(token, str):
                trimmed = token.lstrip(SPACE)
                if not trimmed and token.endswith("\n"):
                    spaces = _INFINITE
                else:
                    spaces = len(token) - len(trimmed)
                    adjust.append(i)
            least = min(least, spaces)
        if isinstance(token, str) and token.endswith("\n"):
            newline = True
    for i in adjust:
        text = tokens[i]
        assert isinstance(text, str)
        tokens[i] = text[least:]


class TemplateSyntax:
    """Converts template nodes; the base of `ExprSyntax`, mixed into the parser's converter."""

    src: Source
    data: bytes

    def expression(self, node: Node) -> Expr:
        """An expression node (provided by `ExprSyntax`)."""
        raise NotImplementedError

    def _for_intro(self, node: Node) -> tuple[str | None, str, Expr]:
        """`for k, v in coll` (provided by `ExprSyntax`)."""
        raise NotImplementedError

    def _base(self, node: Node) -> tuple[Source, int, int, int]:
        """(source, line, start, end) of a node."""
        return self.src, node.start_point[0] + 1, node.start_byte, node.end_byte

    def _slice(self, start: int, end: int) -> str:
        """Source text between two bytes."""
        return self.data[start:end].decode("utf-8", "replace")

    def _refuse(self, node: Node, why: str) -> RunError:
        """The error for a template Terraform refuses."""
        return RunError(f"{self.src.path}:{node.start_point[0] + 1}: {why}; Terraform "
                        "refuses it")

    def _unescape(self, text: str, node: Node) -> str:
        """*text* (of a quoted string in *node*) unescaped; RunError where HCL refuses it."""
        try:
            return unescape(text)
        except ValueError as exc:
            raise self._refuse(node, f"invalid escape sequence in a string: {exc}") from None

    def _template(self, node: Node) -> Expr:
        """A quoted template or heredoc node."""
        kids = node.children
        tokens: list[Token] = []
        if node.type == "quoted_template":
            end = self._walk(kids[1:-1], kids[0].end_byte, node, tokens)
            self._text(end, kids[-1].start_byte, node, tokens)
            _trim(tokens)
            return self._nest(node, tokens)
        idents = [k for k in kids if k.type == "heredoc_identifier"]
        start, end = idents[0].end_byte, idents[-1].start_byte
        nl = self.data.find(b"\n", start, end)
        start = end if nl < 0 else nl + 1
        last_nl = self.data.rfind(b"\n", start, end)
        end = start if last_nl < 0 else last_nl + 1
        inner = [k for k in kids if k.start_byte >= start and k.end_byte <= end]
        self._text(self._walk(inner, start, None, tokens), end, None, tokens)
        _trim(tokens)
        if kids[0].children[0].type == "<<-":
            _flush(tokens)
        return self._nest(node, tokens)

    def _walk(self, kids: list[Node], pos: int, quoted: Node | None,
              tokens: list[Token]) -> int:
        """The tokens of *kids* (from byte *pos*) appended to *tokens*; where they end.

        *quoted* is the quoted template they are in (None in a heredoc)."""
        for kid in kids:
            if kid.type == "template_directive":
                pos = self._walk(kid.children[0].children, pos, quoted, tokens)
                continue
            kind = "interp" if kid.type == "template_interpolation" else _MARKERS.get(kid.type)
            if kind is None:
                continue
            self._text(pos, kid.start_byte, quoted, tokens)
            marks = kid.children
            tokens.append(_Mark(kind, kid, marks[1].type == "strip_marker",
                                marks[-2].type == "strip_marker"))
            pos = kid.end_byte
        return pos

    def _text(self, start: int, end: int, quoted: Node | None, tokens: list[Token]) -> None:
        """Literal tokens of the source between two bytes: one, or one a line in a heredoc."""
        text = self._slice(start, end)
        if not text:
            return
        if quoted is not None:
            tokens.append(self._unescape(text, quoted))
            return
        tokens.extend(_HEREDOC_ESCAPE.sub(lambda m: m.group(0)[1:], line)
                      for line in _LINE.findall(text))

    def _nest(self, node: Node, tokens: list[Token]) -> Template:
        """The Template the tokens make: `if` and `for` markers nested with their bodies.

        One interpolation alone is the value itself; anything else (even literal text
        trimmed to nothing) makes a string."""
        alone = len(tokens) == 1 and isinstance(tokens[0], _Mark)
        parts, at, stop = self._parts(tokens, 0)
        assert stop is None and at == len(tokens)
        if not alone and len(parts) == 1 and isinstance(parts[0], Expr):
            parts = ["", parts[0]]
        return Template(*self._base(node), tuple(parts))

    def _parts(self, tokens: list[Token], at: int) -> tuple[list[Part], int, _Mark | None]:
        """Parts from token *at* up to the `else`/`endif`/`endfor` that ends them (returned
        with the index after it; None at the end of the tokens)."""
        parts: list[Part] = []
        while at < len(tokens):
            token = tokens[at]
            at += 1
            if isinstance(token, str):
                if parts and isinstance(parts[-1], str):
                    parts[-1] += token
                elif token:
                    parts.append(token)
            elif token.kind in ("else", "endif", "endfor"):
                return parts, at, token
            elif token.kind == "interp":
                parts.append(self._interpolation(token.node))
            elif token.kind == "if":
                cond = self.expression(self._expr_child(token.node))
                then, at, stop = self._parts(tokens, at)
                other: list[Part] = []
                if stop is not None and stop.kind == "else":
                    other, at, stop = self._parts(tokens, at)
                parts.append(TemplateIf(cond, tuple(then), tuple(other)))
            else:
                key_var, value_var, coll = self._for_intro(token.node)
                body, at, _ = self._parts(tokens, at)
                parts.append(TemplateFor(key_var, value_var, coll, tuple(body)))
        return parts, at, None

    @staticmethod
    def _expr_child(node: Node) -> Node:
        """The expression child of a marker node."""
        return next(k for k in node.children if k.type == "expression")

    def _interpolation(self, node: Node) -> Expr:
        """`${ expr }`."""
        exprs = [k for k in node.children if k.type == "expression"]
        if not exprs:
            raise self._refuse(node, "an interpolation with no expression in it")
        return self.expression(exprs[0])
