"""cty's conversions between primitive types: a number or a bool to a string, a string
to a number (as Go's `big.ParseFloat` reads it, base 10) or to a bool."""

from __future__ import annotations

import re
from collections.abc import Callable
from fractions import Fraction

from checker.sources.hcl import numbers
from checker.sources.hcl.valuemodel import EvalError

Conv = Callable[[object], object]
_BINARY_EXP = re.compile(r"([-+]?(?:\d+\.?\d*|\.\d+))[pP]([-+]?\d{1,4})")


def _parse_number(text: str) -> numbers.Number:
    """A string as cty's ParseNumberVal reads it (Go's big.ParseFloat, base 10)."""
    sign, body = ("-", text[1:]) if text[:1] == "-" else ("", text.removeprefix("+"))
    if body in ("Inf", "inf"):
        return float(sign + "inf")
    found = numbers.parse(text)
    if found is not None:
        return found
    binary = _BINARY_EXP.fullmatch(text)  # Go also reads a binary exponent: 1p4 is 16
    if binary is not None:
        base = numbers.parse(binary.group(1))
        if base is not None:
            return numbers.make(numbers.fraction(base) * Fraction(2) ** int(binary.group(2)))
    raise EvalError("a number is required")


def _to_bool(text: object) -> bool:
    """A string as a bool: `true`, `false`, `1`, `0`."""
    if text in ("true", "1"):
        return True
    if text in ("false", "0"):
        return False
    assert isinstance(text, str)
    if text.lower() in ("true", "false"):
        raise EvalError(f'a bool is required; to convert from string, use lowercase '
                        f'"{text.lower()}"')
    raise EvalError("a bool is required")


PRIMITIVE: dict[tuple[str, str], Conv] = {
    ("number", "string"): lambda v: numbers.text(v),  # type: ignore[arg-type]
    ("bool", "string"): lambda v: "true" if v else "false",
    ("string", "number"): lambda v: _parse_number(str(v)),
    ("string", "bool"): _to_bool,
}
