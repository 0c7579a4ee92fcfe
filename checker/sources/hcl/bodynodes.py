"""The structure of a parsed file: bodies, blocks, attributes and comments.

An attribute holds an expression (`exprnodes`); a block holds a body; the parser
attaches to each top-level block the comments written inside it. Plain classes with
__slots__, as in `exprnodes`.
"""

from __future__ import annotations

from checker.sources.hcl.exprnodes import Expr


class Attribute:
    """`name = expr` in a body."""

    __slots__ = ("expr", "file", "line", "name")

    def __init__(self, name: str, expr: Expr, file: str, line: int) -> None:
        self.name = name
        self.expr = expr
        self.file = file
        self.line = line


class Comment:
    """A comment as written (any style), with its position."""

    __slots__ = ("file", "line", "start", "text")

    def __init__(self, text: str, file: str, line: int, start: int) -> None:
        self.text = text
        self.file = file
        self.line = line
        self.start = start


class Body:
    """Attributes and nested blocks of a file or block, in source order."""

    __slots__ = ("attributes", "blocks")

    def __init__(self, attributes: dict[str, Attribute] | None = None,
                 blocks: list[Block] | None = None) -> None:
        self.attributes = attributes if attributes is not None else {}
        self.blocks = blocks if blocks is not None else []


class Block:
    """`type "label" ... { body }`, with the comments written inside it."""

    __slots__ = ("body", "comments", "end", "file", "labels", "line", "start", "type")

    def __init__(self, type: str, labels: tuple[str, ...], body: Body, file: str, line: int,
                 start: int, end: int, comments: list[Comment] | None = None) -> None:
        self.type = type
        self.labels = labels
        self.body = body
        self.file = file
        self.line = line
        self.start = start
        self.end = end
        self.comments = comments if comments is not None else []

    def __repr__(self) -> str:
        return f"Block({self.type} {self.labels} at {self.file}:{self.line})"
