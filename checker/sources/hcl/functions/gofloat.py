"""float64 `log` and `pow` as Terraform's Go computes them on amd64.

`pow` and `log` give 53-bit results that Terraform shows to the last digit, so the last bit
matters: Go's `math.Pow` is its own algorithm (not the C library's), built on `math.Exp`
and `math.Log`, which on amd64 are assembly routines (`exp_amd64.s`, with fused
multiply-adds where the CPU has them, as every current x86-64 does; `log_amd64.s`). Each
step below is one float64 operation of those routines, in their order.
"""

from __future__ import annotations

import math
import struct
from fractions import Fraction

_MANTISSA = (1 << 52) - 1
_HALF_BITS = 0x3FE0000000000000  # the bits of 0.5
_INF_BITS = 0x7FF0000000000000


def _bits(x: float) -> int:
    """The IEEE 754 bits of *x*."""
    return int(struct.unpack("<Q", struct.pack("<d", x))[0])


def _float(bits: int) -> float:
    """The float64 of IEEE 754 *bits*."""
    return float(struct.unpack("<d", struct.pack("<Q", bits & ((1 << 64) - 1)))[0])


def _fma(a: float, b: float, c: float) -> float:
    """a*b + c rounded once (an FMA instruction)."""
    if not (math.isfinite(a) and math.isfinite(b) and math.isfinite(c)):
        return a * b + c
    exact = Fraction(a) * Fraction(b) + Fraction(c)
    if exact == 0:
        return a * b + c  # the sign of a zero
    try:
        return float(exact)
    except OverflowError:
        return math.inf if exact > 0 else -math.inf


# exp_amd64.s: a Taylor series of x/16, squared back up four times.
_LOG2E = 1.4426950408889634073599246810018920
_LN2U = 0.69314718055966295651160180568695068359375
_LN2L = 0.28235290563031577122588448175013436025525412068e-12
_EXP_OVERFLOW = 7.09782712893384e+02
_TAYLOR = (2.4801587301587301587e-5, 1.9841269841269841270e-4, 1.3888888888888888889e-3,
           8.3333333333333333333e-3, 4.1666666666666666667e-2, 1.6666666666666666667e-1,
           0.5, 1.0)


def _to_int32(x: float) -> int:
    """CVTSD2SL: to the nearest int32 (ties to even); out of range, the "indefinite" one."""
    if not math.isfinite(x):
        return -(1 << 31)
    n = round(x)
    return n if -(1 << 31) <= n < 1 << 31 else -(1 << 31)


def exp(x: float) -> float:
    """Go's `math.Exp` on amd64 (the FMA path)."""
    if math.isnan(x) or math.isinf(x):
        return 0.0 if x < 0 else x
    if x > _EXP_OVERFLOW:
        return math.inf
    k = _to_int32(x * _LOG2E)
    kf = float(k)
    r = _fma(-kf, _LN2U, x)
    r = _fma(-kf, _LN2L, r)
    r *= 0.0625
    p = _TAYLOR[0]
    for c in _TAYLOR[1:]:
        p = _fma(p, r, c)
    r *= p
    for _ in range(3):
        r *= r + 2.0
    r = _fma(r + 2.0, r, 1.0)
    k += 0x3FF
    if k <= 0:  # a denormal result, scaled in two steps
        if k < -52:
            return 0.0
        r *= _float((k + 0x3FE) << 52)
        k = 1
    elif k >= 0x7FF:
        return math.inf
    return r * _float(k << 52)


# log_amd64.s: FreeBSD's e_log.c.
_HSQRT2 = 7.07106781186547524401e-01
_LN2HI = 6.93147180369123816490e-01
_LN2LO = 1.90821492927058770002e-10
_L1, _L2, _L3, _L4, _L5, _L6, _L7 = (
    6.666666666666735130e-01, 3.999999999940941908e-01, 2.857142874366239149e-01,
    2.222219843214978396e-01, 1.818357216161805012e-01, 1.531383769920937332e-01,
    1.479819860511658591e-01)


def log(x: float) -> float:
    """Go's `math.Log` on amd64."""
    bits = _bits(x)
    if bits & ~(1 << 63) == 0:
        return -math.inf
    if bits >> 63:
        return math.nan
    if bits >= _INF_BITS:
        return x
    f1 = _float((bits & _MANTISSA) | _HALF_BITS)
    k = float(((bits >> 52) & 0x7FF) - 0x3FE)
    if f1 <= _HSQRT2:  # CMPSD's not-less-than: the same for numbers
        k -= 1.0
        f1 *= 2.0
    f = f1 - 1.0
    s = f / (2.0 + f)
    s2 = s * s
    s4 = s2 * s2
    t1 = s2 * (((_L7 * s4 + _L5) * s4 + _L3) * s4 + _L1)
    t2 = s4 * ((_L6 * s4 + _L4) * s4 + _L2)
    big_r = t1 + t2
    hfsq = 0.5 * f * f
    return k * _LN2HI - ((hfsq - (s * (hfsq + big_r) + k * _LN2LO)) - f)


def divide(a: float, b: float) -> float:
    """IEEE 754 a/b (an infinity or NaN over zero, as Go divides)."""
    if b == 0:
        if a == 0 or math.isnan(a):
            return math.nan
        return math.copysign(math.inf, a) * math.copysign(1.0, b)
    return a / b


def _odd_int(x: float) -> bool:
    """Go's `isOddInt`."""
    if abs(x) >= 1 << 63:
        return False
    return x == math.trunc(x) and int(x) & 1 == 1


def _ldexp(frac: float, exp2: int) -> float:
    """frac·2**exp2, to zero or an infinity beyond float64's range."""
    try:
        return math.ldexp(frac, exp2)
    except OverflowError:
        return math.copysign(math.inf, frac)


def _special_pow(x: float, y: float) -> float | None:
    """`math.Pow`'s special cases, or None."""
    if y == 0 or x == 1:
        return 1.0
    if math.isnan(x) or math.isnan(y):
        return math.nan
    if x == 0:
        if y < 0:
            return math.copysign(math.inf, x) if _odd_int(y) else math.inf
        return x if _odd_int(y) else 0.0
    if math.isinf(y):
        if x == -1:
            return 1.0
        return 0.0 if (abs(x) < 1) == (y > 0) else math.inf
    if math.isinf(x):
        if x < 0:
            return pow_(1 / x, -y)
        return 0.0 if y < 0 else math.inf
    if y in (0.5, -0.5):
        root = math.sqrt(x) if x > 0 else math.nan
        return root if y > 0 else 1 / root
    return None


def pow_(x: float, y: float) -> float:
    """Go's `math.Pow` (Go 1.23): x**yf by Exp and Log, x**yi by repeated squaring."""
    special = _special_pow(x, y)
    if special is not None:
        return special
    yf, yi = math.modf(abs(y))
    if yf != 0 and x < 0:
        return math.nan
    if yi >= 1 << 63:
        if x == -1:
            return 1.0
        return 0.0 if (abs(x) < 1) == (y > 0) else math.inf
    a1, ae = 1.0, 0
    if yf != 0:
        if yf > 0.5:
            yf -= 1
            yi += 1
        a1 = exp(yf * log(x))
    x1, xe = math.frexp(x)
    i = int(yi)
    while i != 0:
        if xe < -(1 << 12) or xe > 1 << 12:
            ae += xe  # the result is out of range: Ldexp makes it zero or infinite
            break
        if i & 1:
            a1 *= x1
            ae += xe
        x1 *= x1
        xe <<= 1
        if x1 < 0.5:
            x1 += x1
            xe -= 1
        i >>= 1
    if y < 0:
        a1 = 1 / a1
        ae = -ae
    return _ldexp(a1, ae)
