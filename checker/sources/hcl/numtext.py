"""How Go's `big.Float.Text('f', -1)` writes a number: the shortest decimal that reads
back to the same binary fraction at its precision (math/big/ftoa.go), every digit shown."""

from __future__ import annotations

from fractions import Fraction


def _decimal(mant: int, exp: int) -> tuple[str, int]:
    """mant·2**exp exactly as decimal digits (no trailing zeros) and exponent: 0.DIGITS·10**e."""
    if mant == 0:
        return "", 0
    if exp >= 0:
        s = str(mant << exp)
        return s.rstrip("0"), len(s)
    s = str(mant * 5 ** (-exp))
    return s.rstrip("0"), len(s) + exp


def scaled(n: int, d: int, prec: int) -> tuple[int, int, int, int]:
    """n/d (positive) as m·2**e plus a remainder: m of exactly *prec* bits, and r/den the
    fraction of 2**e left over (zero when n/d is already a *prec*-bit number)."""
    e = n.bit_length() - d.bit_length() - prec
    while True:
        num, den = (n, d << e) if e >= 0 else (n << -e, d)
        m, r = divmod(num, den)
        if m >= 1 << prec:
            e += 1
        elif m < 1 << (prec - 1):
            e -= 1
        else:
            return m, e, r, den


def shortest(q: Fraction, prec: int) -> tuple[str, int]:
    """Go's `roundShortest` (math/big/ftoa.go) of a positive binary fraction."""
    n, d = q.numerator, q.denominator
    m, e, _, _ = scaled(n, d, prec)  # q = m·2**e exactly: q is already rounded
    mant, mexp = 2 * m, e - 1  # its lowest bit is half an ulp
    digits, dexp = _decimal(mant, mexp)
    lower, _ = _decimal(mant - 1, mexp)
    upper, _ = _decimal(mant + 1, mexp)
    inclusive = m % 2 == 0
    for i, mc in enumerate(digits):
        lc = lower[i] if i < len(lower) else "0"
        uc = upper[i] if i < len(upper) else "0"
        okdown = lc != mc or (inclusive and i + 1 == len(lower))
        okup = mc != uc and (inclusive or int(mc) + 1 < int(uc) or i + 1 < len(upper))
        if okdown and okup:
            return _round_digits(digits, dexp, i + 1)
        if okdown:
            return _trim(digits[: i + 1], dexp)
        if okup:
            return _round_up(digits, dexp, i + 1)
    return digits, dexp


def _trim(digits: str, exp: int) -> tuple[str, int]:
    """Trailing zeros dropped."""
    digits = digits.rstrip("0")
    return digits, exp if digits else 0


def _round_up(digits: str, exp: int, n: int) -> tuple[str, int]:
    """The digits rounded up after *n* of them."""
    head = digits[:n].rstrip("9")
    if not head:
        return "1", exp + 1
    return head[:-1] + str(int(head[-1]) + 1), exp


def _round_digits(digits: str, exp: int, n: int) -> tuple[str, int]:
    """Go's `decimal.round`: to nearest after *n* digits, a lone 5 to even."""
    if n >= len(digits):
        return digits, exp
    if digits[n] == "5" and n + 1 == len(digits):
        up = n > 0 and int(digits[n - 1]) % 2 == 1
    else:
        up = digits[n] >= "5"
    return _round_up(digits, exp, n) if up else _trim(digits[:n], exp)


def fixed(digits: str, exp: int) -> str:
    """Digits 0.DIGITS·10**exp in positional notation, every digit shown."""
    if not digits:
        return "0"
    if exp <= 0:
        return "0." + "0" * -exp + digits
    if exp >= len(digits):
        return digits + "0" * (exp - len(digits))
    return digits[:exp] + "." + digits[exp:]
