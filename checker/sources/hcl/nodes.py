"""The expression tree the parser builds and the evaluator walks (no tree-sitter types)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Source:
    """One parsed file: its display path and raw bytes (for expression text in messages)."""

    path: str
    data: bytes


@dataclass(frozen=True, slots=True, eq=False)
class Expr:
    """Base of every expression: where it is written."""

    src: Source
    line: int
    start: int
    end: int

    @property
    def where(self) -> str:
        """`file:line` of the expression."""
        return f"{self.src.path}:{self.line}"

    @property
    def text(self) -> str:
        """The expression as written, on one line and shortened."""
        raw = self.src.data[self.start : self.end].decode("utf-8", "replace")
        flat = " ".join(raw.split())
        return flat if len(flat) <= 80 else flat[:77] + "..."


@dataclass(frozen=True, slots=True, eq=False)
class Lit(Expr):
    """A literal number, bool, null or plain string."""

    value: object


@dataclass(frozen=True, slots=True, eq=False)
class TemplateIf:
    """`%{ if cond }then%{ else }otherwise%{ endif }`."""

    cond: Expr
    then: tuple[Part, ...]
    otherwise: tuple[Part, ...]


@dataclass(frozen=True, slots=True, eq=False)
class TemplateFor:
    """`%{ for k, v in coll }body%{ endfor }`."""

    key_var: str | None
    value_var: str
    collection: Expr
    body: tuple[Part, ...]


Part = str | Expr | TemplateIf | TemplateFor


@dataclass(frozen=True, slots=True, eq=False)
class Template(Expr):
    """A string template: literal text, interpolations and directives."""

    parts: tuple[Part, ...]


@dataclass(frozen=True, slots=True, eq=False)
class TupleExpr(Expr):
    """`[a, b, c]`."""

    items: tuple[Expr, ...]


@dataclass(frozen=True, slots=True, eq=False)
class ObjectExpr(Expr):
    """`{ k = v, ... }`; a bare identifier key is a literal string key."""

    items: tuple[tuple[Expr, Expr], ...]


@dataclass(frozen=True, slots=True, eq=False)
class Name(Expr):
    """A bare identifier: `var`, `local`, `each`, a resource type, a for variable."""

    name: str


@dataclass(frozen=True, slots=True, eq=False)
class GetAttr(Expr):
    """`obj.name`."""

    obj: Expr
    name: str


@dataclass(frozen=True, slots=True, eq=False)
class Index(Expr):
    """`obj[key]` (also the legacy `obj.0`)."""

    obj: Expr
    key: Expr


@dataclass(frozen=True, slots=True, eq=False)
class Splat(Expr):
    """`obj[*].a.b` or `obj.*.a`: *steps* apply to each element."""

    obj: Expr
    steps: tuple[str | Expr, ...]  # attribute names, or index expressions
    full: bool


@dataclass(frozen=True, slots=True, eq=False)
class Call(Expr):
    """`name(args...)`; *expand* when the last argument is followed by `...`."""

    name: str
    args: tuple[Expr, ...]
    expand: bool = False


@dataclass(frozen=True, slots=True, eq=False)
class ForExpr(Expr):
    """`[for k, v in coll : val if cond]` or `{for ... : key => val... if cond}`."""

    key_var: str | None
    value_var: str
    collection: Expr
    key: Expr | None  # None: the tuple form
    value: Expr
    cond: Expr | None
    group: bool = False


@dataclass(frozen=True, slots=True, eq=False)
class Conditional(Expr):
    """`cond ? a : b`."""

    cond: Expr
    then: Expr
    otherwise: Expr


@dataclass(frozen=True, slots=True, eq=False)
class Binary(Expr):
    """`a OP b`."""

    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True, slots=True, eq=False)
class Unary(Expr):
    """`-x` or `!x`."""

    op: str
    operand: Expr


@dataclass(slots=True, eq=False)
class Attribute:
    """`name = expr` in a body."""

    name: str
    expr: Expr
    file: str
    line: int


@dataclass(slots=True, eq=False)
class Comment:
    """A comment as written (any style), with its position."""

    text: str
    file: str
    line: int
    start: int


@dataclass(slots=True, eq=False)
class Body:
    """Attributes and nested blocks of a file or block, in source order."""

    attributes: dict[str, Attribute] = field(default_factory=dict)
    blocks: list[Block] = field(default_factory=list)


@dataclass(slots=True, eq=False)
class Block:
    """`type "label" ... { body }`, with the comments written inside it."""

    type: str
    labels: tuple[str, ...]
    body: Body
    file: str
    line: int
    start: int
    end: int
    comments: list[Comment] = field(default_factory=list)
