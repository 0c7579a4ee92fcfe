"""Template syntax: quoted strings and heredocs -> literal text, interpolations, directives.

tree-sitter's template_literal nodes leave out whitespace next to interpolations, so
literal text is read from the source bytes between the interpolations and directives.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from checker.sources.hcl.exprnodes import Expr, Part, Source, Template, TemplateFor, TemplateIf

if TYPE_CHECKING:
    from tree_sitter import Node

_ESCAPE = re.compile(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)|\$\$\{|%%\{", re.S)
_HEREDOC_ESCAPE = re.compile(r"\$\$\{|%%\{")
_SIMPLE = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}


def _unescape_one(match: re.Match[str]) -> str:
    """One escape sequence resolved."""
    whole = match.group(0)
    if whole in ("$${", "%%{"):
        return whole[1:]
    code = match.group(1)
    if code[0] in "uU" and len(code) > 1:
        return chr(int(code[1:], 16))
    return _SIMPLE.get(code, whole)


def unescape(text: str) -> str:
    """A quoted string's escapes (`\\n`, `\\"`, `\\uXXXX`, `$${`, `%%{`) resolved."""
    return _ESCAPE.sub(_unescape_one, text)


def _min_indent(text: str) -> int:
    """Least leading whitespace over the non-blank lines of a flush heredoc."""
    widths = [len(ln) - len(ln.lstrip(" \t")) for ln in text.split("\n") if ln.strip()]
    return min(widths, default=0)


class TemplateSyntax:
    """Converts template nodes; the base of `ExprSyntax`, mixed into the parser's converter."""

    src: Source
    data: bytes
    flush_indent: int

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

    def _template(self, node: Node) -> Expr:
        """A quoted template or heredoc node."""
        kids = node.children
        if node.type == "quoted_template":
            parts = self._parts(kids[1:-1], kids[0].end_byte, kids[-1].start_byte, quoted=True)
            return Template(*self._base(node), tuple(parts))
        idents = [k for k in kids if k.type == "heredoc_identifier"]
        start, end = idents[0].end_byte, idents[-1].start_byte
        nl = self.data.find(b"\n", start, end)
        start = end if nl < 0 else nl + 1
        last_nl = self.data.rfind(b"\n", start, end)
        end = start if last_nl < 0 else last_nl + 1
        flush = kids[0].children[0].type == "<<-"
        outer = self.flush_indent
        self.flush_indent = _min_indent(self._slice(start, end)) if flush else 0
        inner = [k for k in kids if k.start_byte >= start and k.end_byte <= end]
        parts = self._parts(inner, start, end, quoted=False)
        self.flush_indent = outer
        return Template(*self._base(node), tuple(parts))

    def _literal_gap(self, start: int, end: int, quoted: bool) -> str:
        """Literal text between two template parts (heredoc indent stripped)."""
        text = self._slice(start, end)
        if self.flush_indent:
            at_line_start = start == 0 or self.data[start - 1 : start] == b"\n"
            lines = text.split("\n")
            n = self.flush_indent
            text = "\n".join(
                ln[min(n, len(ln) - len(ln.lstrip(" \t"))):] if (i or at_line_start) else ln
                for i, ln in enumerate(lines))
        if quoted:
            return unescape(text)
        return _HEREDOC_ESCAPE.sub(lambda m: m.group(0)[1:], text)

    def _parts(self, kids: list[Node], start: int, end: int, quoted: bool) -> list[Part]:
        """Template parts between *start* and *end*: text, interpolations, directives."""
        parts: list[Part] = []
        pos = start
        strip_next = False
        for kid in kids:
            if kid.type not in ("template_interpolation", "template_directive"):
                continue
            gap = self._literal_gap(pos, kid.start_byte, quoted)
            first = kid.children[1] if kid.type == "template_interpolation" else None
            if strip_next:
                gap = gap.lstrip()
            if first is not None and first.type == "strip_marker":
                gap = gap.rstrip()
            if gap:
                parts.append(gap)
            strip_next = first is not None and kid.children[-2].type == "strip_marker"
            parts.append(self._interpolation(kid, quoted))
            pos = kid.end_byte
        gap = self._literal_gap(pos, end, quoted)
        if strip_next:
            gap = gap.lstrip()
        if gap:
            parts.append(gap)
        return parts

    def _interpolation(self, node: Node, quoted: bool) -> Part:
        """`${...}`, `%{if}` or `%{for}`."""
        if node.type == "template_interpolation":
            exprs = [k for k in node.children if k.type == "expression"]
            return self.expression(exprs[0]) if exprs else ""
        directive = node.children[0]
        kids = directive.children
        if directive.type == "template_if":
            intro = kids[0]
            cond = self.expression(next(k for k in intro.children if k.type == "expression"))
            else_at = next((i for i, k in enumerate(kids) if k.type == "template_else_intro"), None)
            end_node = kids[-1]
            if else_at is None:
                then = self._parts(kids[1:-1], intro.end_byte, end_node.start_byte, quoted)
                return TemplateIf(cond, tuple(then), ())
            els = kids[else_at]
            then = self._parts(kids[1:else_at], intro.end_byte, els.start_byte, quoted)
            other = self._parts(kids[else_at + 1 : -1], els.end_byte, end_node.start_byte, quoted)
            return TemplateIf(cond, tuple(then), tuple(other))
        intro = kids[0]
        key_var, value_var, coll = self._for_intro(intro)
        body = self._parts(kids[1:-1], intro.end_byte, kids[-1].start_byte, quoted)
        return TemplateFor(key_var, value_var, coll, tuple(body))


