"""The expression tree the parser builds and the evaluator walks (no tree-sitter types).

`Source` (a parsed file), `Expr` and its subclasses, and the parts of a string
template. What holds the expressions (bodies, blocks, attributes) is in `bodynodes`.

Plain classes with __slots__ rather than dataclasses: this module and `bodynodes` are
imported on every run, and their twenty classes as dataclasses cost ~9 ms to create.
"""

from __future__ import annotations


class Source:
    """One parsed file: its display path and raw bytes (for expression text in messages)."""

    __slots__ = ("data", "path")

    def __init__(self, path: str, data: bytes) -> None:
        self.path = path
        self.data = data


class Expr:
    """Base of every expression: where it is written."""

    __slots__ = ("end", "line", "src", "start")

    def __init__(self, src: Source, line: int, start: int, end: int) -> None:
        self.src = src
        self.line = line
        self.start = start
        self.end = end

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

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.text!r} at {self.where})"


class Lit(Expr):
    """A literal number, bool, null or plain string."""

    __slots__ = ("value",)

    def __init__(self, src: Source, line: int, start: int, end: int, value: object) -> None:
        super().__init__(src, line, start, end)
        self.value = value


class TemplateIf:
    """`%{ if cond }then%{ else }otherwise%{ endif }`."""

    __slots__ = ("cond", "otherwise", "then")

    def __init__(self, cond: Expr, then: tuple[Part, ...], otherwise: tuple[Part, ...]) -> None:
        self.cond = cond
        self.then = then
        self.otherwise = otherwise


class TemplateFor:
    """`%{ for k, v in coll }body%{ endfor }`."""

    __slots__ = ("body", "collection", "key_var", "value_var")

    def __init__(self, key_var: str | None, value_var: str, collection: Expr,
                 body: tuple[Part, ...]) -> None:
        self.key_var = key_var
        self.value_var = value_var
        self.collection = collection
        self.body = body


Part = str | Expr | TemplateIf | TemplateFor


class Template(Expr):
    """A string template: literal text, interpolations and directives."""

    __slots__ = ("parts",)

    def __init__(
        self, src: Source, line: int, start: int, end: int, parts: tuple[Part, ...]
    ) -> None:
        super().__init__(src, line, start, end)
        self.parts = parts


class TupleExpr(Expr):
    """`[a, b, c]`."""

    __slots__ = ("items",)

    def __init__(
        self, src: Source, line: int, start: int, end: int, items: tuple[Expr, ...]
    ) -> None:
        super().__init__(src, line, start, end)
        self.items = items


class ObjectExpr(Expr):
    """`{ k = v, ... }`; a bare identifier key is a literal string key."""

    __slots__ = ("items",)

    def __init__(
        self, src: Source, line: int, start: int, end: int, items: tuple[tuple[Expr, Expr], ...]
    ) -> None:
        super().__init__(src, line, start, end)
        self.items = items


class Name(Expr):
    """A bare identifier: `var`, `local`, `each`, a resource type, a for variable."""

    __slots__ = ("name",)

    def __init__(self, src: Source, line: int, start: int, end: int, name: str) -> None:
        super().__init__(src, line, start, end)
        self.name = name


class GetAttr(Expr):
    """`obj.name`."""

    __slots__ = ("name", "obj")

    def __init__(self, src: Source, line: int, start: int, end: int, obj: Expr, name: str) -> None:
        super().__init__(src, line, start, end)
        self.obj = obj
        self.name = name


class Index(Expr):
    """`obj[key]` (also the legacy `obj.0`)."""

    __slots__ = ("key", "obj")

    def __init__(self, src: Source, line: int, start: int, end: int, obj: Expr, key: Expr) -> None:
        super().__init__(src, line, start, end)
        self.obj = obj
        self.key = key


class Splat(Expr):
    """`obj[*].a.b` or `obj.*.a`: *steps* (names, or index expressions) apply to each element."""

    __slots__ = ("full", "obj", "steps")

    def __init__(
        self,
        src: Source, line: int, start: int, end: int,
        obj: Expr,
        steps: tuple[str | Expr, ...],
        full: bool,
    ) -> None:
        super().__init__(src, line, start, end)
        self.obj = obj
        self.steps = steps
        self.full = full


class Call(Expr):
    """`name(args...)`; *expand* when the last argument is followed by `...`."""

    __slots__ = ("args", "expand", "name")

    def __init__(
        self,
        src: Source, line: int, start: int, end: int,
        name: str,
        args: tuple[Expr, ...],
        expand: bool = False,
    ) -> None:
        super().__init__(src, line, start, end)
        self.name = name
        self.args = args
        self.expand = expand


class ForExpr(Expr):
    """`[for k, v in coll : val if cond]` or `{for ... : key => val... if cond}`.

    *key* is None in the tuple form; *group* when the value is followed by `...`.
    """

    __slots__ = ("collection", "cond", "group", "key", "key_var", "value", "value_var")

    def __init__(
        self,
        src: Source, line: int, start: int, end: int,
        key_var: str | None,
        value_var: str,
        collection: Expr,
        key: Expr | None,
        value: Expr,
        cond: Expr | None,
        group: bool = False,
    ) -> None:
        super().__init__(src, line, start, end)
        self.key_var = key_var
        self.value_var = value_var
        self.collection = collection
        self.key = key
        self.value = value
        self.cond = cond
        self.group = group


class Conditional(Expr):
    """`cond ? then : otherwise`."""

    __slots__ = ("cond", "otherwise", "then")

    def __init__(
        self, src: Source, line: int, start: int, end: int, cond: Expr, then: Expr, otherwise: Expr
    ) -> None:
        super().__init__(src, line, start, end)
        self.cond = cond
        self.then = then
        self.otherwise = otherwise


class Binary(Expr):
    """`left OP right`."""

    __slots__ = ("left", "op", "right")

    def __init__(
        self, src: Source, line: int, start: int, end: int, op: str, left: Expr, right: Expr
    ) -> None:
        super().__init__(src, line, start, end)
        self.op = op
        self.left = left
        self.right = right


class Unary(Expr):
    """`-x` or `!x`."""

    __slots__ = ("op", "operand")

    def __init__(
        self, src: Source, line: int, start: int, end: int, op: str, operand: Expr
    ) -> None:
        super().__init__(src, line, start, end)
        self.op = op
        self.operand = operand
