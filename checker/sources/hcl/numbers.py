"""Terraform's numbers: arbitrary precision, as cty keeps them.

cty holds a number as a Go `big.Float`: a literal or a parsed string is rounded to 512
bits, arithmetic rounds to the larger precision of its operands, and functions computed
in float64 (`pow`, `log`) give 53-bit values. A number is shown as the shortest decimal
that Go's `Text('f', -1)` finds at its precision.

Here a whole number is a Python `int`: a plain `int` is one of 512 bits, a `Wide` one of
another precision (a float64 result, an int64 one, a rounded literal), which matters to how
it is shown and to the precision of arithmetic on it. Any other number is a `Num`: an exact
binary fraction and its precision. `NegZero` (a `Wide` 0) is cty's negative zero (`-0`,
`0 * -1`, a float64 -0.0): 0 to everything but `text`, which shows `-0`. Infinities are
Python floats.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction
from typing import Self

from checker.sources.hcl.numtext import fixed, scaled, shortest

PREC = 512  # bits of a literal, a parsed string and of arithmetic on them
FLOAT_PREC = 53
_DECIMAL = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
MAX_EXPONENT = 100_000  # a decimal exponent beyond this is not a number we compute with


class Num:
    """A number that is not whole: exact binary fraction `q` rounded to `prec` bits."""

    __slots__ = ("prec", "q")

    def __init__(self, q: Fraction, prec: int) -> None:
        self.q = q
        self.prec = prec

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Num):
            return self.q == other.q
        if isinstance(other, int | float) and not isinstance(other, bool):
            return self.q == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.q)

    def __lt__(self, other: object) -> bool:
        return fraction(other) > self.q if not isinstance(other, float) else self.q < other

    def __float__(self) -> float:
        try:
            return float(self.q)
        except OverflowError:
            return math.inf if self.q > 0 else -math.inf

    def __repr__(self) -> str:
        return f"Num({text(self)})"


class Wide(int):
    """A whole number of a precision other than 512 bits, or rounded to its precision."""

    prec: int

    def __new__(cls, value: int, prec: int = PREC) -> Self:
        """*value* at *prec* bits."""
        out = super().__new__(cls, value)
        out.prec = prec
        return out


class NegZero(Wide):
    """Negative zero: the int 0, shown as `-0`."""

    def __new__(cls, prec: int = PREC) -> Self:
        """-0 at *prec* bits."""
        return super().__new__(cls, 0, prec)


Number = int | float | Num


def is_number(value: object) -> bool:
    """True for a number (not a bool)."""
    return type(value) in (int, float, Num, Wide, NegZero)


def fraction(value: object) -> Fraction:
    """The exact value of a finite number."""
    if isinstance(value, Num):
        return value.q
    if isinstance(value, int | float) and not isinstance(value, bool):
        return Fraction(value)
    raise TypeError(f"not a number: {type(value).__name__}")


def precision(value: Number) -> int:
    """The precision a number carries into arithmetic."""
    return value.prec if isinstance(value, Num | Wide) else PREC


def min_prec(q: Fraction) -> int:
    """The bits a binary fraction's mantissa needs (Go's `MinPrec`)."""
    n = abs(q.numerator)
    return (n >> ((n & -n).bit_length() - 1)).bit_length() if n else 0


def _round(q: Fraction, prec: int) -> Fraction:
    """*q* rounded to *prec* significant bits, ties to even."""
    if q == 0:
        return q
    n, d = abs(q.numerator), q.denominator
    m, e, r, den = scaled(n, d, prec)
    if 2 * r > den or (2 * r == den and m & 1):
        m += 1
    out = Fraction(m << e) if e >= 0 else Fraction(m, 1 << -e)
    return out if q > 0 else -out


def negative(value: Number) -> bool:
    """True below zero, and for negative zero."""
    return isinstance(value, NegZero) or fraction(value) < 0


def _zero_signed(value: Number, neg: bool) -> Number:
    """*value*, a negative zero when it is zero and *neg*."""
    if neg and not isinstance(value, float | NegZero) and fraction(value) == 0:
        return NegZero(precision(value))
    return value


def make(q: Fraction, prec: int = PREC) -> Number:
    """The number *q* rounded to *prec* bits: an int when whole (a `Wide` unless it is of
    512 bits and exact)."""
    exact = q.denominator == 1 and abs(q.numerator).bit_length() <= prec
    rounded = q if exact else _round(q, prec)
    if rounded.denominator != 1:
        return Num(rounded, prec)
    if exact and prec == PREC:
        return rounded.numerator
    return Wide(rounded.numerator, prec)


def from_float(value: float) -> Number:
    """A float64 result (53 bits)."""
    if math.isinf(value):
        return value
    if math.isnan(value):
        raise ValueError("not a number (NaN)")
    return _zero_signed(make(Fraction(value), FLOAT_PREC), math.copysign(1.0, value) < 0)


def parse(text: str) -> Number | None:
    """A decimal as Terraform parses it (512 bits); None when *text* is not one."""
    if not _DECIMAL.fullmatch(text):
        return None
    mantissa, _, exponent = text.lower().partition("e")
    if exponent and abs(int(exponent)) > MAX_EXPONENT:
        return None
    q = Fraction(mantissa) * (Fraction(10) ** int(exponent or "0"))
    return _zero_signed(make(q, PREC), mantissa.startswith("-"))


def arith(op: str, a: Number, b: Number) -> Number:
    """`a OP b` for `+ - * / %` as cty computes it: a non-zero number over zero is an
    infinity, `x % 0` is x; ZeroDivisionError where cty fails (0/0, inf-inf...)."""
    if type(a) is int and type(b) is int:  # exact whole numbers: the common case, fast
        quick = _whole(op, a, b)
        if quick is not None:
            return quick
    if isinstance(a, float) or isinstance(b, float):
        return _infinite(op, float(a), float(b))
    prec = max(precision(a), precision(b))
    x, y = fraction(a), fraction(b)
    signs = negative(a) != negative(b)  # the sign of a product or a quotient
    if op == "+":  # a zero sum is -0 only from two negative zeros
        return _zero_signed(make(x + y, prec), isinstance(a, NegZero) and negative(b))
    if op == "-":
        return _zero_signed(make(x - y, prec), isinstance(a, NegZero) and not negative(b))
    if op == "*":  # the product at 512 bits, kept at the precision it needs
        product = _round(x * y, PREC)
        return _zero_signed(make(product, max(prec, min_prec(product))), signs)
    if op == "/":
        if y == 0:
            if x == 0:
                raise ZeroDivisionError(op)
            return -math.inf if signs else math.inf
        return _zero_signed(make(x / y, prec), signs)
    return _modulo(a, b, prec)


def _whole(op: str, a: int, b: int) -> int | None:
    """`a OP b` of two exact whole numbers when it is a whole number of at most 512 bits
    and no zero that cty would sign; None otherwise (the general path decides)."""
    if op == "+":
        out = a + b
    elif op == "-":
        out = a - b
    elif op == "*":
        out = a * b
        if out == 0:
            return None  # 0 * -1 is -0
    elif op == "%" and b != 0:
        out = abs(a) % abs(b)
        out = -out if a < 0 else out
    else:
        return None
    return out if out.bit_length() <= PREC else None


def _modulo(a: Number, b: Number, prec: int) -> Number:
    """cty's `a % b`: a less b times the quotient (rounded, then truncated), at a's
    precision; the sign is the dividend's, as Go's."""
    x, y = fraction(a), fraction(b)
    if y == 0:
        return a
    own = precision(a)
    whole = _round(Fraction(math.trunc(_round(x / y, prec))), own)
    product = _round(y * whole, own)  # a zero product has b's sign: the quotient is +0
    neg_zero = isinstance(a, NegZero) and product == 0 and not negative(b)
    return _zero_signed(make(_round(x - product, own), own), neg_zero)


def _infinite(op: str, a: float, b: float) -> Number:
    """Arithmetic with an infinity (cty fails where the result is not a number)."""
    if op == "%":  # cty: an infinity either side makes the product of the two
        op = "*"
    if op == "/" and b == 0:
        if a == 0:
            raise ZeroDivisionError(op)
        return math.copysign(math.inf, a)
    if op == "*" and 0 in (a, b):
        raise ZeroDivisionError(op)
    result = {"+": a + b, "-": a - b, "*": a * b, "/": a / b}[op]
    if math.isnan(result):
        raise ZeroDivisionError(op)
    return from_float(result)


def negate(value: Number) -> Number:
    """`-value` (at the same precision; -0 from 0)."""
    if isinstance(value, NegZero):
        return make(Fraction(0), value.prec)
    if isinstance(value, Num):
        return Num(-value.q, value.prec)
    if isinstance(value, float):
        return -value
    if value == 0:
        return NegZero(precision(value))
    return Wide(-value, value.prec) if isinstance(value, Wide) else -value


def compare(a: Number, b: Number) -> int:
    """-1, 0 or 1 as a is below, equal to or above b."""
    if isinstance(a, float) or isinstance(b, float):
        fa, fb = float(a), float(b)
        return (fa > fb) - (fa < fb)
    x, y = fraction(a), fraction(b)
    return (x > y) - (x < y)


def to_float(value: Number) -> float:
    """The nearest float64."""
    return float(value)


def text(value: Number) -> str:
    """*value* as cty shows it (Go's `Text('f', -1)` at its precision)."""
    if isinstance(value, float):
        return "+Inf" if value > 0 else "-Inf"
    if isinstance(value, NegZero):
        return "-0"
    prec = precision(value)
    if isinstance(value, int):
        if abs(value).bit_length() <= prec:  # the shortest digits are all of them
            return int.__repr__(value)
        q = Fraction(int(value))
    else:
        q = value.q
    sign = "-" if q < 0 else ""
    return sign + fixed(*shortest(abs(q), prec))
