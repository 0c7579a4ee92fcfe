"""Operators and collection access over evaluated values: no scope, no expressions."""

from __future__ import annotations

from collections.abc import Callable

from checker.sources.hcl import budget
from checker.sources.hcl.values import (
    EvalError,
    LazyObject,
    Unknown,
    equal,
    find_unknown,
    is_number,
    number,
    plain,
    to_text,
    type_name,
    untag,
)


def get_attr(value: object, name: str, site: str) -> object:
    """Attribute *name* of *value* (read at *site*)."""
    value = untag(value)
    if isinstance(value, LazyObject):
        return value.get(name, site)
    if isinstance(value, dict):
        if name in value:
            return value[name]
        raise EvalError(f"this object has no attribute {name!r}")
    if isinstance(value, Unknown):
        return Unknown(value.reason)
    raise EvalError(f"cannot read attribute {name!r} of a {type_name(value)}")


def index_value(value: object, key: object) -> object:
    """`value[key]`."""
    value, key = untag(value), plain(key)
    if isinstance(value, Unknown):
        return Unknown(value.reason)
    if isinstance(key, Unknown):
        return Unknown(key.reason)
    if isinstance(value, list):
        i = whole(key, "a list index")
        if not 0 <= i < len(value):
            raise EvalError(f"index {i} is out of range (length {len(value)})")
        return value[i]
    if isinstance(value, dict | LazyObject):
        text = to_text(key)
        if isinstance(value, LazyObject):
            return value.get(text, "")
        if text in value:
            return value[text]
        raise EvalError(f"no element with key {text!r}")
    raise EvalError(f"cannot index a {type_name(value)}")


def whole(key: object, what: str) -> int:
    """*key* (a number, or a string of digits) as a whole number; EvalError otherwise."""
    if isinstance(key, str) and key.isdigit():
        if len(key) > 20:
            raise EvalError(f"{what} is out of range")
        return int(key)
    if is_number(key):
        assert isinstance(key, int | float)
        if isinstance(key, int) or key.is_integer():  # not inf, nor NaN
            return int(key)
        raise EvalError(f"{what} must be a whole number, not {key}")
    raise EvalError(f"{what} must be a number, not {type_name(key)}")


def iterate(value: object) -> list[tuple[object, object]] | Unknown:
    """(key, value) pairs of a collection a `for` walks: index/element or key/value."""
    value = plain(value)
    if isinstance(value, Unknown):
        return Unknown(value.reason)
    if isinstance(value, list):
        return list(enumerate(value))
    if isinstance(value, dict):
        return [(k, value[k]) for k in sorted(value)]
    raise EvalError(f"cannot iterate over a {type_name(value)}")


def _to_number(value: object) -> float:
    """A number operand (numeric strings convert)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            pass
    raise EvalError(f"a number is required, not {type_name(value)}")


def _logic(op: str, left: object, right: object) -> object:
    """`&&`/`||`: a decisive known side wins over an unknown one."""
    decisive = op == "||"  # the value that decides on its own
    for side in (left, right):
        if side is decisive:
            return decisive
    for side in (left, right):
        if isinstance(side, Unknown):
            return Unknown(side.reason)
        if not isinstance(side, bool):
            raise EvalError(f"{op} needs bools, not {type_name(side)}")
    return not decisive


_ARITH: dict[str, Callable[[float, float], object]] = {
    "+": lambda a, b: a + b, "-": lambda a, b: a - b, "*": lambda a, b: a * b,
    "/": lambda a, b: a / b, "%": lambda a, b: a % b,
    ">": lambda a, b: a > b, ">=": lambda a, b: a >= b,
    "<": lambda a, b: a < b, "<=": lambda a, b: a <= b,
}


def binary(op: str, left: object, right: object) -> object:
    """`left OP right` of two evaluated (untagged) operands."""
    if op in ("&&", "||"):
        return _logic(op, left, right)
    if op in ("==", "!="):
        same = equal(left, right)
        if isinstance(same, Unknown):
            return Unknown(same.reason)
        return same if op == "==" else not same
    for side in (left, right):
        unknown = find_unknown(side)
        if unknown is not None:
            return Unknown(unknown.reason)
    a, b = _to_number(left), _to_number(right)
    if op in "/%" and b == 0:
        raise EvalError("division by zero")
    try:
        result = _ARITH[op](a, b)
    except OverflowError:  # a float operation beyond the float range
        result = float("inf")
    if isinstance(result, bool):
        return result
    assert isinstance(result, int | float)
    budget.number(result)
    return number(result)


def unary(op: str, value: object) -> object:
    """`-value` or `!value` of an evaluated (untagged) operand."""
    if isinstance(value, Unknown):
        return Unknown(value.reason)
    if op == "!":
        if not isinstance(value, bool):
            raise EvalError(f"! needs a bool, not {type_name(value)}")
        return not value
    return number(-_to_number(value))


