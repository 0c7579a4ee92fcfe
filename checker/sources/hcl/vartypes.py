"""Variable type constraints: read `type = ...`, convert values, apply `optional()` defaults."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from checker.sources.hcl import budget
from checker.sources.hcl.exprnodes import Call, Expr, Name, ObjectExpr, TupleExpr
from checker.sources.hcl.values import (
    EvalError,
    LazyObject,
    Tagged,
    Unknown,
    is_number,
    number,
    to_text,
    type_name,
)

ANY_KINDS = ("any",)
# The strings Terraform converts to a number: a decimal, no spaces, no hex, no inf or nan.
_DECIMAL = re.compile(r"-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")
_FRACTION = re.compile(r"[.eE]")


@dataclass(frozen=True, slots=True)
class ObjectAttr:
    """One attribute of an object type."""

    type: TypeSpec
    optional: bool = False
    default: Expr | None = None


@dataclass(frozen=True, slots=True)
class TypeSpec:
    """A type constraint: `string`, `list(T)`, `object({...})`..."""

    kind: str
    elem: TypeSpec | None = None
    items: tuple[TypeSpec, ...] = ()
    attrs: dict[str, ObjectAttr] = field(default_factory=dict)


ANY = TypeSpec("any")


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
    budget.step()
    if isinstance(value, Tagged):
        converted = convert(value.value, spec, defaults)
        return Tagged(converted, value.origin) if converted == value.value else converted
    if isinstance(value, LazyObject):
        value = value.materialise()
    if value is None or isinstance(value, Unknown) or spec.kind == "any":
        return value
    kind = spec.kind
    if kind == "string":
        if isinstance(value, list | dict):
            raise EvalError(f"a string is required, not {type_name(value)}")
        return to_text(value)
    if kind == "number":
        return _to_number(value)
    if kind == "bool":
        if isinstance(value, bool):
            return value
        if value in ("true", "false", "1", "0"):  # Terraform's string to bool conversion
            return value in ("true", "1")
        raise EvalError(f"a bool is required, not {type_name(value)}")
    if kind in ("list", "set", "tuple"):
        return _convert_list(value, spec, defaults)
    if not isinstance(value, dict):
        raise EvalError(f"{'a map' if kind == 'map' else 'an object'} is required, "
                        f"not {type_name(value)}")
    if kind == "map":
        elem = spec.elem or ANY
        return {k: convert(v, elem, defaults) for k, v in value.items()}
    out: dict[str, object] = {}
    for name, attr in spec.attrs.items():
        given = value.get(name)
        if given is None and attr.optional and attr.default is not None:
            given = defaults(attr.default)
        elif name not in value and not attr.optional:
            raise EvalError(f"attribute {name!r} is required")
        out[name] = convert(given, attr.type, defaults)
    return out


def _to_number(value: object) -> object:
    """A number (numeric strings convert)."""
    if is_number(value):
        return value
    if isinstance(value, str) and len(value) > 300:
        raise EvalError(f"a number is required, not a string of {len(value)} characters")
    if isinstance(value, str) and _DECIMAL.fullmatch(value):
        return number(float(value)) if _FRACTION.search(value) else int(value)
    if isinstance(value, str):
        raise EvalError(f"a number is required, not {value[:40]!r}")
    raise EvalError(f"a number is required, not {type_name(value)}")


def _convert_list(value: object, spec: TypeSpec, defaults: Defaults) -> object:
    """A list, set or tuple converted element by element."""
    if not isinstance(value, list):
        raise EvalError(f"a {spec.kind} is required, not {type_name(value)}")
    if spec.kind == "tuple":
        if len(value) != len(spec.items):
            raise EvalError(f"a tuple of {len(spec.items)} elements is required")
        return [convert(v, t, defaults) for v, t in zip(value, spec.items, strict=True)]
    elem = spec.elem or ANY
    items = [convert(v, elem, defaults) for v in value]
    if spec.kind == "set":
        from checker.sources.hcl.functions import as_set

        return as_set(items)
    return items
