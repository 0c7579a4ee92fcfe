"""Variable type constraints: read `type = ...`, convert values, apply `optional()` defaults.

Conversion is cty's (`ctyconvert`), the one Terraform applies to a variable's value and to
a function's arguments: `list(any)` unifies its elements' types (`[1, "a"]` is
`["1", "a"]`), a string converts to a number or a bool where cty reads it as one.
"""

from __future__ import annotations

from collections.abc import Callable

from checker.sources.hcl.ctyconvert import convert as cty_convert
from checker.sources.hcl.ctytypes import ANY, ObjectAttr, TypeSpec
from checker.sources.hcl.exprnodes import Call, Expr, Name, ObjectExpr, TupleExpr

ANY_KINDS = ("any",)

__all__ = ["ANY", "ObjectAttr", "TypeSpec", "convert", "read_type"]


def read_type(expr: Expr | None) -> TypeSpec:
    """The type constraint written as *expr* (`any` when absent or not understood)."""
    if isinstance(expr, Name) and expr.name in ("string", "number", "bool", "any"):
        return TypeSpec(expr.name)
    if not isinstance(expr, Call) or not expr.args:
        return ANY
    arg = expr.args[0]
    if expr.name in ("list", "set", "map"):
        return TypeSpec(expr.name, elem=read_type(arg))
    if expr.name == "tuple" and isinstance(arg, TupleExpr):
        return TypeSpec("tuple", items=tuple(read_type(i) for i in arg.items))
    if expr.name == "object" and isinstance(arg, ObjectExpr):
        attrs: dict[str, ObjectAttr] = {}
        for key, value in arg.items:
            name = getattr(key, "value", None)
            if not isinstance(name, str):
                continue
            if isinstance(value, Call) and value.name == "optional" and value.args:
                default = value.args[1] if len(value.args) > 1 else None
                attrs[name] = ObjectAttr(read_type(value.args[0]), True, default)
            else:
                attrs[name] = ObjectAttr(read_type(value))
        return TypeSpec("object", attrs=attrs)
    return ANY


Defaults = Callable[[Expr], object]


def convert(value: object, spec: TypeSpec, defaults: Defaults) -> object:
    """*value* converted to *spec* as Terraform does for a variable; EvalError if it cannot be.

    *defaults* evaluates an `optional(T, default)` default expression.
    """
    return cty_convert(value, spec, defaults)
