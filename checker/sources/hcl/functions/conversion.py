"""Type conversion functions: tobool, tolist, tomap, tonumber, toset, tostring (cty's
conversions, `ctyconvert`), and sensitive, nonsensitive, ephemeralasnull, which give
their argument back: tablespec does not mark values (a sensitive value is known here,
as it is to Terraform; only Terraform's output hides it)."""

from __future__ import annotations

from collections.abc import Callable

from checker.sources.hcl.ctyconvert import get_conversion
from checker.sources.hcl.ctytypes import (
    ANY,
    BOOL,
    NUMBER,
    STRING,
    TypeSpec,
    collection,
    friendly,
    friendly_constraint,
    type_of,
)
from checker.sources.hcl.functions.params import known
from checker.sources.hcl.valuemodel import EvalError, Unknown

Function = Callable[[list[object]], object]
_QUOTED = 40  # characters of a string quoted in an error


def _to(want: TypeSpec) -> Function:
    """A `to...` function: its argument converted to *want* (null stays null)."""
    def run(args: list[object]) -> object:
        """The conversion."""
        value = args[0]
        raw = known(value)
        if isinstance(raw, Unknown) or raw is None:
            return raw
        have = type_of(value)
        if have == want:
            return value
        conv = get_conversion(have, want)
        if conv is None:
            raise EvalError(f"cannot convert {friendly(have)} to {friendly_constraint(want)}")
        try:
            return conv(value)
        except EvalError:
            raise EvalError(_failure(raw, have, want)) from None
    return run


def _failure(raw: object, have: TypeSpec, want: TypeSpec) -> str:
    """Terraform's words for a value that does not convert."""
    if isinstance(raw, str) and want in (BOOL, NUMBER):
        quoted = raw if len(raw) <= _QUOTED else raw[:_QUOTED] + "..."
        if want == BOOL:
            return (f'cannot convert "{quoted}" to bool; only the strings "true" or "false" '
                    "are allowed")
        return (f'cannot convert "{quoted}" to number; given string must be a decimal '
                "representation of a number")
    return f"cannot convert {friendly(have)} to {friendly_constraint(want)}"


def _same(args: list[object]) -> object:
    """The argument as it is."""
    return args[0]


LENIENT: dict[str, Function] = {
    "tobool": _to(BOOL),
    "tonumber": _to(NUMBER),
    "tostring": _to(STRING),
    "tolist": _to(collection("list", ANY)),
    "toset": _to(collection("set", ANY)),
    "tomap": _to(collection("map", ANY)),
    "sensitive": _same,
    "nonsensitive": _same,
    "ephemeralasnull": _same,
}

FUNCTIONS: dict[str, Callable[..., object]] = {}
