"""Numbers as Go's math/big writes them with fmt verbs: big.Int's `%b %d %o %x %X` (flags,
width, a precision that pads with zeros) and big.Float's `%e %E %f %g %G` (exact decimal
digits, rounded half to even; `%g` without a precision the shortest that reads back)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from checker.sources.hcl import numbers


@dataclass(slots=True)
class Verb:
    """One formatting verb, as scanned."""

    raw: str
    arg: int  # 1-based
    mode: str = ""
    zero: bool = False
    sharp: bool = False
    plus: bool = False
    minus: bool = False
    space: bool = False
    width: int = -1
    prec: int = -1


def go_int(verb: Verb, value: int) -> str:
    """Go's big.Int Format of *value* for `%b %d %o %x %X`."""
    base = {"b": 2, "o": 8, "d": 10, "x": 16, "X": 16}[verb.mode]
    digits = numbers_in_base(abs(value), base)
    if verb.mode == "X":
        digits = digits.upper()
    sign = "-" if value < 0 else "+" if verb.plus else " " if verb.space else ""
    prefix = {"b": "0b", "o": "0", "x": "0x", "X": "0X"}.get(verb.mode, "") if verb.sharp else ""
    zeros = 0
    if verb.prec >= 0:
        if len(digits) < verb.prec:
            zeros = verb.prec - len(digits)
        elif digits == "0" and verb.prec == 0:
            return ""
    left = right = 0
    length = len(sign) + len(prefix) + zeros + len(digits)
    if verb.width > length:
        if verb.minus:
            right = verb.width - length
        elif verb.zero and verb.prec < 0:
            zeros = verb.width - length
        else:
            left = verb.width - length
    return " " * left + sign + prefix + "0" * zeros + digits + " " * right


def numbers_in_base(value: int, base: int) -> str:
    """The digits of non-negative *value* in *base*."""
    return {2: format(value, "b"), 8: format(value, "o"), 16: format(value, "x")}.get(
        base, str(value))


def _decimal(value: numbers.Number, shortest: bool) -> tuple[str, int]:
    """|value| as digits 0.DIGITS * 10**exp (no trailing zeros): exact, or the shortest
    that reads back at its precision (as cty shows the number)."""
    if shortest:
        text = numbers.text(value).lstrip("-")
        whole, _, frac = text.partition(".")
        every = whole + frac
        lead = len(every) - len(every.lstrip("0"))
        digits = every.strip("0")
        return digits, (len(whole) - lead if digits else 0)
    q = abs(numbers.fraction(value))
    k = q.denominator.bit_length() - 1  # the denominator is a power of two
    text = str(q.numerator * 5 ** k)
    digits = text.rstrip("0")
    return digits, (len(text) - k if digits else 0)


def _round(digits: str, exp: int, n: int) -> tuple[str, int]:
    """Go's decimal.round: *digits* rounded to *n* of them, ties to even."""
    if n < 0 or n >= len(digits):
        return digits, exp
    if digits[n] == "5" and n + 1 == len(digits):
        up = n > 0 and int(digits[n - 1]) % 2 == 1
    else:
        up = digits[n] >= "5"
    if not up:
        kept = digits[:n].rstrip("0")
        return kept, exp if kept else 0
    head = digits[:n].rstrip("9")
    if not head:
        return "1", exp + 1
    return head[:-1] + str(int(head[-1]) + 1), exp


def go_float(value: numbers.Number, mode: str, prec: int) -> str:
    """Go's big.Float Text(mode, prec) of *value* (mode e, E, f, g or G; prec -1: shortest)."""
    if isinstance(value, float) and value:
        return "+Inf" if value > 0 else "-Inf"
    negative = value < 0 or (isinstance(value, float) and math.copysign(1, value) < 0)
    sign, value = "-" if negative else "", value or 0
    shortest = prec < 0
    digits, exp = _decimal(value, shortest)
    lower = mode.lower()
    if shortest:
        prec = {"e": len(digits) - 1, "f": max(len(digits) - exp, 0)}.get(lower, len(digits))
    elif lower == "e":
        digits, exp = _round(digits, exp, 1 + prec)
    elif lower == "f":
        digits, exp = _round(digits, exp, exp + prec)
    else:
        prec = max(prec, 1)
        digits, exp = _round(digits, exp, prec)
    if lower == "e":
        return sign + _fmt_e(digits, exp, prec, mode)
    if lower == "f":
        return sign + _fmt_f(digits, exp, prec)
    eprec = prec
    if eprec > len(digits) >= exp:
        eprec = len(digits)
    if shortest:
        eprec = 6
    if exp - 1 < -4 or exp - 1 >= eprec:
        return sign + _fmt_e(digits, exp, min(prec, len(digits)) - 1, chr(ord(mode) - 2))
    if prec > exp:
        prec = len(digits)
    return sign + _fmt_f(digits, exp, max(prec - exp, 0))


def _fmt_e(digits: str, exp: int, prec: int, letter: str) -> str:
    """Go's fmtE: d.dddde±dd."""
    out = digits[:1] or "0"
    if prec > 0:
        out += "." + digits[1:prec + 1].ljust(prec, "0")
    power = exp - 1 if digits else 0
    return f"{out}{letter}{'-' if power < 0 else '+'}{abs(power):02d}"


def _fmt_f(digits: str, exp: int, prec: int) -> str:
    """Go's fmtF: ddd.ddd."""
    out = digits[:exp].ljust(exp, "0") if exp > 0 else "0"
    if prec > 0:
        out += "." + "".join(digits[exp + i] if 0 <= exp + i < len(digits) else "0"
                             for i in range(prec))
    return out


def go_number(verb: Verb, value: numbers.Number) -> str:
    """A float verb (`%e %E %f %g %G`) of *value*, with its sign, width and flags."""
    prec = verb.prec if verb.prec >= 0 else (-1 if verb.mode in "gG" else 6)
    body = go_float(value, verb.mode, prec)
    sign = ""
    if body[0] in "-+":
        sign, body = body[0], body[1:]
        if sign == "+" and verb.space:
            sign = " "
    elif verb.plus or verb.space:
        sign = "+" if verb.plus else " "
    fill = max(verb.width - len(sign) - len(body), 0)
    if verb.zero and not (isinstance(value, float) and math.isinf(value)):
        return sign + "0" * fill + body
    if verb.minus:
        return sign + body + " " * fill
    return " " * fill + sign + body


__all__ = ["Verb", "go_float", "go_int", "go_number"]
