"""What the collection functions share: an argument made its parameter's type (for the
lenient functions, which see their arguments as they are) and a number as a Go `int`."""

from __future__ import annotations

from checker.sources.hcl import numbers
from checker.sources.hcl.ctytypes import friendly, type_of
from checker.sources.hcl.functions.signatures import argument, signatures
from checker.sources.hcl.valuemodel import EvalError, Unknown, plain

INT64 = 1 << 63


def param(function: str, index: int, value: object) -> object:
    """Argument *index* of *function* converted to its parameter's type, as HCL does before
    the call (null refused unless the parameter takes it); unknowns are kept."""
    spec = signatures()[function].param(index)
    raw = plain(value)
    if isinstance(raw, Unknown):
        return raw
    return argument(raw if raw is None else value, spec)


def known(value: object) -> object:
    """*value* without provenance at the top; an Unknown of it as an Unknown of its own."""
    raw = plain(value)
    return Unknown(raw.reason) if isinstance(raw, Unknown) else raw


def go_int(value: object, what: str) -> int:
    """A number as Go's `int` (cty's gocty): whole and within 64 bits; EvalError otherwise."""
    if isinstance(value, int) and not isinstance(value, bool):
        if -INT64 <= value < INT64:
            return value
        raise EvalError(f"{what}: value must be a whole number, between "
                        f"{-INT64} and {INT64 - 1}")
    if numbers.is_number(value):
        raise EvalError(f"{what}: value must be a whole number")
    raise EvalError(f"{what}: a number is required")


def kind_name(value: object) -> str:
    """cty's friendly name of *value*'s type (`list of string`, `tuple`)."""
    return friendly(type_of(value))
