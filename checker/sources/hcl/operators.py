"""Operators and collection access over evaluated values: no scope, no expressions."""

from __future__ import annotations

from collections.abc import Callable

from checker.sources.hcl import budget, numbers
from checker.sources.hcl.valuemodel import (
    EvalError,
    LazyObject,
    TfSet,
    Unknown,
    equal,
    find_unknown,
    is_number,
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
    if isinstance(value, TfSet):
        raise EvalError("the elements of a set have no index: they are known only by value")
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
    """*key* (a number, or a string that is one) as a whole number; EvalError otherwise."""
    if isinstance(key, str):
        parsed = numbers.parse(key) if len(key) <= 40 else None
        if parsed is None:
            raise EvalError(f"{what} must be a number, not {key[:40]!r}")
        key = parsed
    if isinstance(key, int) and not isinstance(key, bool):
        return key
    if is_number(key):  # a Num is never whole; an infinity is not either
        raise EvalError(f"{what} must be a whole number, not {to_text(key)}")
    raise EvalError(f"{what} must be a number, not {type_name(key)}")


def iterate(value: object) -> list[tuple[object, object]] | Unknown:
    """(key, value) pairs of a collection a `for` walks: index/element, key/value, or for
    a set element/element (its elements are their own keys)."""
    value = plain(value)
    if isinstance(value, Unknown):
        return Unknown(value.reason)
    if value is None:
        raise EvalError("a null value cannot be iterated over")
    if isinstance(value, TfSet):
        return [(v, v) for v in value]
    if isinstance(value, list):
        return list(enumerate(value))
    if isinstance(value, dict):
        return [(k, value[k]) for k in sorted(value)]
    raise EvalError(f"cannot iterate over a {type_name(value)}")


def key_text(value: object, what: str) -> str:
    """A known key (of an object, or made by a `for`) as the string it becomes."""
    if value is None:
        raise EvalError(f"{what} must not be null")
    if isinstance(untag(value), list | dict):
        raise EvalError(f"{what} must be a string, not {type_name(value)}")
    return to_text(value)


def _to_number(value: object) -> numbers.Number:
    """A number operand (numeric strings convert)."""
    if isinstance(value, int | float | numbers.Num) and not isinstance(value, bool):
        return value
    if isinstance(value, str):
        parsed = numbers.parse(value)
        if parsed is not None:
            return parsed
    if value is None:
        raise EvalError("a null value cannot be used in arithmetic")
    raise EvalError(f"a number is required, not {type_name(value)}")


def to_bool(value: object, what: str) -> bool | Unknown:
    """*value* as a bool, as cty converts it (`"true"`/`"1"`, `"false"`/`"0"`); EvalError
    for null and for any other value."""
    if isinstance(value, bool | Unknown):
        return value
    if value in ("true", "1", "false", "0"):
        return value in ("true", "1")
    if value is None:
        raise EvalError(f"{what} must not be null")
    raise EvalError(f"{what} must be a bool, not {type_name(value)}")


def _logic(op: str, left: object, right: object) -> object:
    """`&&`/`||`: both sides are evaluated and must be bools (Terraform 1.11 does not
    short-circuit); a decisive known side wins over an unknown one."""
    sides = [to_bool(side, f"an operand of {op}") for side in (left, right)]
    decisive = op == "||"  # the value that decides on its own
    if decisive in sides:
        return decisive
    for side in sides:
        if isinstance(side, Unknown):
            return Unknown(side.reason)
    return not decisive


_COMPARE: dict[str, Callable[[int], bool]] = {
    ">": lambda c: c > 0, ">=": lambda c: c >= 0, "<": lambda c: c < 0, "<=": lambda c: c <= 0,
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
    if op in _COMPARE:
        return _COMPARE[op](numbers.compare(a, b))
    if op == "%" and b == 0:
        return a  # cty's modulo by zero is the dividend
    if op == "/" and b == 0:
        if a == 0:
            raise EvalError("can't divide zero by zero")
        budget.number(float("inf"))  # an infinity: beyond the budget of a number
    try:
        result = numbers.arith(op, a, b)
    except (ZeroDivisionError, ValueError):
        raise EvalError(f"the operation {op} has no result here") from None
    budget.number(result)
    return result


def unary(op: str, value: object) -> object:
    """`-value` or `!value` of an evaluated (untagged) operand."""
    if isinstance(value, Unknown):
        return Unknown(value.reason)
    if op == "!":
        known = to_bool(value, "the operand of !")
        return known if isinstance(known, Unknown) else not known
    return numbers.negate(_to_number(value))


