"""Parse HCL with tree-sitter into `bodynodes` (bodies, blocks, comments) and `exprnodes`.

Here: loading tree-sitter (on first use, so `import` stays cheap), collecting comments,
and converting bodies and blocks; expressions are converted by `exprsyntax`, string
templates by `templatesyntax`. Syntax errors are Terraform's: each file is first read by
a port of Terraform's own parser (`hclsyntax.errors`), so a file Terraform refuses is refused
on the line Terraform names (tree-sitter recovers elsewhere, and reads some files Terraform
refuses), in one line naming the kind of token, never the file's text (the file may not
be Terraform at all: a credentials file). An argument set twice in one body is refused
there too, as Terraform refuses it. Where tree-sitter still fails on a file Terraform's
parser accepts, the RunError says that tablespec cannot read it.
"""

from __future__ import annotations

import bisect
import re
from typing import TYPE_CHECKING

from checker.errors import RunError
from checker.sources.hcl.bodynodes import Attribute, Block, Body, Comment
from checker.sources.hcl.exprnodes import Source
from checker.sources.hcl.exprsyntax import ExprSyntax
from checker.sources.hcl.hclsyntax.errors import shown_name, syntax_error

if TYPE_CHECKING:
    from tree_sitter import Node, Parser, Query, Tree

_PARSER: list[Parser] = []
_QUERY: dict[str, Query] = {}
# A number token as HCL's scanner reads it: a digit, then digits, dots and exponents, not
# ending in a dot (`1e3`, `1.e3`; whether it is a number at all is decided later)
_NUMBER = re.compile(rb"[0-9](?:[0-9.]|[eE][-+]?[0-9])*")
_ROUNDS = 100  # re-parses to find numbers with an exponent hidden by an earlier one


def _parser() -> Parser:
    """The tree-sitter parser, made on first use (keeps `import` cheap)."""
    if not _PARSER:
        import tree_sitter
        import tree_sitter_hcl

        _PARSER.append(tree_sitter.Parser(tree_sitter.Language(tree_sitter_hcl.language())))
    return _PARSER[0]


def _nodes(root: Node, kind: str) -> list[Node]:
    """Every node of type *kind* (a tree-sitter query: fast, in C), in source order."""
    import tree_sitter

    query = _QUERY.get(kind)
    if query is None:
        language = _parser().language
        assert language is not None
        query = _QUERY[kind] = tree_sitter.Query(language, f"({kind}) @n")
    found = tree_sitter.QueryCursor(query).captures(root).get("n", [])
    return sorted(found, key=lambda n: n.start_byte)


def _exponents(root: Node, text: bytes) -> list[tuple[int, int, int]]:
    """(start, rest, end) of each number token that tree-sitter-hcl reads in part: it
    reads `1e3` as the number `1` (up to *rest*) followed by a name `e3`."""
    out: list[tuple[int, int, int]] = []
    for node in _nodes(root, "numeric_lit"):
        found = _NUMBER.match(text, node.start_byte)
        end = node.end_byte if found is None else len(found.group(0).rstrip(b".")) + (
            node.start_byte)
        if end > node.end_byte:
            out.append((node.start_byte, node.end_byte, end))
    return out


def _tree(data: bytes, path: str) -> Tree:
    """The tree of *data*, numbers such as `1e3` read as one number token each.

    Each is read from a copy of the text with its exponent written in digits (`103`, of
    the same length: every offset and line stays), and its value is read from the text
    itself (`exprsyntax`). One so read that is not one token in the end is refused, not
    misread.
    """
    text = data
    patched: list[tuple[int, int]] = []
    tree = _parser().parse(text)
    for _ in range(_ROUNDS):
        found = _exponents(tree.root_node, text)
        if not found:
            break
        buf = bytearray(text)
        for _start, rest, end in found:
            buf[rest:end] = bytes(c if 48 <= c <= 57 else 48 for c in buf[rest:end])
        text = bytes(buf)
        patched += [(start, end) for start, _rest, end in found]
        tree = _parser().parse(text)
    if patched and not tree.root_node.has_error:
        spans = [(n.start_byte, n.end_byte) for n in _nodes(tree.root_node, "numeric_lit")]
        starts = [s for s, _ in spans]
        for start, end in patched:
            at = bisect.bisect_right(starts, start) - 1
            if at >= 0 and spans[at][1] > start and spans[at] != (start, end):
                line = data.count(b"\n", 0, start) + 1
                raise RunError(f"{path}:{line}: a number with an exponent (1e3) that "
                               "tablespec cannot read as Terraform does")
    return tree


def _first_error(root: Node) -> Node | None:
    """The first ERROR or MISSING node, in source order (iteratively: no depth limit)."""
    todo = [root]
    while todo:
        node = todo.pop()
        if node.is_error or node.is_missing:
            return node
        todo.extend(reversed([c for c in node.children if c.has_error or c.is_missing]))
    return None


# Tokens an error line may show as they are: punctuation of the grammar, not content.
_PUNCTUATION = frozenset(("{", "}", "[", "]", "(", ")", "=", ",", ".", ":", "?", "!", "<",
                          ">", "+", "-", "*", "/", "%", "=>", "==", "!=", "<=", ">=", "&&",
                          "||", "...", "${", "%{", "~}", "<<"))
_KINDS = {"identifier": "a name", "heredoc_identifier": "a name", "numeric_lit": "a number",
          "string_lit": "a string", "quoted_template": "a string", "template_literal": "a string",
          "quoted_template_start": "a quote", "quoted_template_end": "a quote",
          "heredoc_template": "a heredoc", "heredoc_start": "a heredoc", "comment": "a comment",
          "bool_lit": "a bool", "null_lit": "null", "object_elem": "an object element",
          "attribute": "an argument", "ERROR": "characters it cannot read"}


def _kind(node: Node) -> str:
    """What *node* is, in words an error line can carry (never the text itself)."""
    if node.type in _PUNCTUATION:
        return repr(node.type)
    if node.type in _KINDS:
        return _KINDS[node.type]
    if node.is_named:
        words = node.type.replace("_", " ")
        return f"{'an' if words[:1] in 'aeiou' else 'a'} {words}"
    return "a keyword" if node.type.isalpha() else "a symbol"


def _unreadable(root: Node, path: str) -> RunError:
    """The one-line error for a tree with an ERROR or MISSING node in it, in a file
    Terraform's parser accepts: a limit of tablespec's parser, said as such."""
    bad = _first_error(root) or root
    what = "a missing " + (repr(bad.type) if bad.type in _PUNCTUATION else _kind(bad)) \
        if bad.is_missing else _kind(bad)
    return RunError(f"{path}:{bad.start_point[0] + 1}: tablespec cannot read this file (at "
                    f"column {bad.start_point[1] + 1}: {what}), though Terraform's parser "
                    "accepts it")


class _Converter(ExprSyntax):
    """Turns one file's tree-sitter tree into `bodynodes` objects (expressions: `ExprSyntax`)."""

    def __init__(self, src: Source) -> None:
        self.src = src
        self.data = src.data

    def body(self, node: Node) -> Body:
        """A body node: its attributes and blocks."""
        body = Body()
        for child in node.named_children:
            if child.type == "attribute":
                name = self._slice(child.children[0].start_byte, child.children[0].end_byte)
                line = child.start_point[0] + 1
                first = body.attributes.get(name)
                if first is not None:
                    raise RunError(f"{self.src.path}:{line}: the argument {shown_name(name)} "
                                   f"is set twice (first at line {first.line}); Terraform "
                                   "refuses it")
                expr = self.expression(child.children[2])
                body.attributes[name] = Attribute(name, expr, self.src.path, line)
            elif child.type == "block":
                body.blocks.append(self.block(child))
        return body

    def block(self, node: Node) -> Block:
        """A block node."""
        kids = node.children
        btype = self._slice(kids[0].start_byte, kids[0].end_byte)
        labels: list[str] = []
        inner = Body()
        for child in kids[1:]:
            if child.type == "string_lit":
                labels.append(self._string_lit(child))
            elif child.type == "identifier":
                labels.append(self._slice(child.start_byte, child.end_byte))
            elif child.type == "body":
                inner = self.body(child)
        return Block(btype, tuple(labels), inner, self.src.path, node.start_point[0] + 1,
                     node.start_byte, node.end_byte)


def parse_source(data: bytes, path: str) -> tuple[Body, list[Block], list[Comment]]:
    """(top-level body, its blocks, every comment) of one file; RunError on a syntax error."""
    error = syntax_error(data, path)
    if error is not None:
        raise error
    root = _tree(data, path).root_node
    if root.has_error:
        raise _unreadable(root, path)
    conv = _Converter(Source(path, data))
    body = Body()
    comments: list[Comment] = []
    for child in root.children:
        if child.type == "object":
            raise RunError(f"{path}:1: JSON-style object bodies are not supported")
        if child.type == "body":
            try:
                body = conv.body(child)
            except RecursionError:
                raise RunError(f"{path}: an expression is nested too deeply to read") from None
    for node in _nodes(root, "comment"):
        text = data[node.start_byte : node.end_byte].decode("utf-8", "replace")
        comments.append(Comment(text, path, node.start_point[0] + 1, node.start_byte))
    starts = [c.start for c in comments]  # in source order: each block's comments by bisection
    for block in body.blocks:
        block.comments = comments[bisect.bisect_left(starts, block.start):
                                  bisect.bisect_left(starts, block.end)]
    return body, body.blocks, comments
