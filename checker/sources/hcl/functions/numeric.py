"""Numeric functions: abs, ceil, floor, log, max, min, parseint, pow, signum.

As cty computes them: `abs`, `ceil`, `floor`, `max` and `min` exactly, at the precision of
their argument; `log` and `pow` in float64 (53-bit results, Go's own algorithms); `signum`
and `parseint` give integers as Go's int64 and big.Int make them (64 bits or more).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from fractions import Fraction

from checker.sources.hcl import budget, numbers
from checker.sources.hcl.functions import gofloat
from checker.sources.hcl.numbers import NegZero, Num, Number, Wide
from checker.sources.hcl.valuemodel import EvalError, type_name

_INT64 = 1 << 63
_MAX_BITS = 1024  # a parsed integer beyond this is beyond the budget for a number


def _number(value: object) -> Number:
    """An argument already converted to a number."""
    assert isinstance(value, int | float | Num), value
    return value


def to_float64(value: object, name: str) -> float:
    """A number as Go's `big.Float.Float64()` gives it (nearest); EvalError beyond
    float64's range, as gocty does."""
    num = _number(value)
    if isinstance(num, float):
        return num
    if isinstance(num, NegZero):
        return -0.0
    try:
        return float(numbers.fraction(num))
    except OverflowError:
        raise EvalError(f"{name}: value must be between -1.797693e+308 and 1.797693e+308 "
                        "inclusive") from None


def to_int64(value: object, name: str) -> int:
    """A number as gocty makes a Go int: whole and within int64, else EvalError."""
    num = _number(value)
    if isinstance(num, int) and -_INT64 <= num < _INT64:
        return int(num)
    raise EvalError(f"{name}: value must be a whole number, between {-_INT64} and "
                    f"{_INT64 - 1}")


def _float_result(result: float, name: str) -> Number:
    """A float64 result as cty keeps it (53 bits); EvalError for NaN, which cty refuses."""
    if math.isnan(result):
        raise EvalError(f"{name}: the result is not a number (NaN)")
    return numbers.from_float(result)


def _abs(num: object) -> Number:
    """`abs(num)`: the magnitude, at the same precision."""
    value = _number(num)
    if isinstance(value, NegZero):
        return numbers.make(Fraction(0), value.prec)
    if isinstance(value, Num):
        return Num(abs(value.q), value.prec)
    if isinstance(value, Wide):
        return Wide(abs(value), value.prec)
    return abs(value)


def _rounded(num: object, up: bool) -> Number:
    """`ceil`/`floor`: the nearest whole number above/below, at the argument's precision."""
    value = _number(num)
    if isinstance(value, NegZero):
        return numbers.make(Fraction(0), value.prec)  # Go's SetInt(0) is +0
    if not isinstance(value, Num):
        return value  # whole already (or an infinity, kept as cty keeps it)
    whole = math.ceil(value.q) if up else math.floor(value.q)
    return numbers.make(Fraction(whole), value.prec)


def _log(num: object, base: object) -> Number:
    """`log(num, base)`: ln(num)/ln(base) in float64."""
    result = gofloat.divide(gofloat.log(to_float64(num, "log")),
                            gofloat.log(to_float64(base, "log")))
    return _float_result(result, "log")


def _pow(num: object, power: object) -> Number:
    """`pow(num, power)` in float64, as Go's math.Pow."""
    result = gofloat.pow_(to_float64(num, "pow"), to_float64(power, "pow"))
    return _float_result(result, "pow")


def _signum(num: object) -> Number:
    """`signum(num)`: -1, 0 or 1 of a whole number within int64."""
    value = to_int64(num, "signum")
    return Wide((value > 0) - (value < 0), 64)


def _extreme(name: str, sign: int) -> Callable[..., object]:
    """`min` (sign -1) or `max` (sign 1): the first of the most extreme arguments."""

    def pick(*args: object) -> Number:
        """The smallest/largest of the numbers given."""
        if not args:
            raise EvalError(f"{name}: must pass at least one number")
        best = _number(args[0])
        for arg in args[1:]:
            value = _number(arg)
            if numbers.compare(value, best) == sign:
                best = value
        return best

    pick.__name__ = f"_{name}"
    return pick


def _digit(char: str, base: int) -> int:
    """The value of one digit as Go's big.Int reads it (62 when it is none): 0-9, then
    a-z, then A-Z (the same as a-z up to base 36)."""
    if "0" <= char <= "9":
        return ord(char) - ord("0")
    if "a" <= char <= "z":
        return ord(char) - ord("a") + 10
    if "A" <= char <= "Z":
        return ord(char) - ord("A") + (10 if base <= 36 else 36)
    return 62


def _parseint(number: object, base: object) -> Number:
    """`parseint(number, base)`: a string of digits in base 2..62 (an optional sign, no
    spaces, prefixes or separators) as a whole number."""
    if not isinstance(number, str):
        raise EvalError(f"parseint: first argument must be a string, not {type_name(number)}")
    radix = to_int64(base, "parseint")
    if not 2 <= radix <= 62:
        raise EvalError("parseint: base must be a whole number between 2 and 62 inclusive")
    budget.step(len(number) // 64 + 1)
    digits = number[1:] if number[:1] in ("-", "+") else number
    if not digits or any(_digit(c, radix) >= radix for c in digits):
        raise EvalError(f"parseint: cannot parse the string as a base {radix} integer")
    significant = digits.lstrip("0")
    if (len(significant) - 1) * math.log2(radix) > _MAX_BITS:
        budget.number(1 << _MAX_BITS)  # over the budget for a number
    value = 0
    for char in significant:
        value = value * radix + _digit(char, radix)
    if number.startswith("-"):
        value = -value
    return Wide(value, max(64, abs(value).bit_length()))


FUNCTIONS: dict[str, Callable[..., object]] = {
    "abs": _abs,
    "ceil": lambda num: _rounded(num, up=True),
    "floor": lambda num: _rounded(num, up=False),
    "log": _log,
    "max": _extreme("max", 1),
    "min": _extreme("min", -1),
    "parseint": _parseint,
    "pow": _pow,
    "signum": _signum,
}
