"""cty's sets: which elements are the same, and the order a set is iterated in.

cty orders a set of strings lexically, of numbers ascending, of bools false first; a set
of any other type by the text cty hashes each element from (go-cty `set_internals.go`:
`"s"` quoted as Go quotes it, a number as `big.Float.String()`, `[a;b;]` a list or set,
`<a;b;>` a tuple or object, `{"k":v;}` a map); a null comes last. Elements are the same
as cty's `Equals` finds them.
"""

from __future__ import annotations

from collections.abc import Callable
from fractions import Fraction
from functools import cmp_to_key

from checker.sources.hcl import budget, numbers
from checker.sources.hcl.valuemodel import (
    LazyObject,
    TfList,
    TfMap,
    TfSet,
    Unknown,
    deep,
    find_unknown,
    is_number,
    plain,
    same,
    untag,
)

_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t",
            "\v": "\\v", '"': '\\"', "\\": "\\\\"}


def go_quote(text: str) -> str:
    """*text* as Go's `strconv.Quote` writes it."""
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch in _ESCAPES:
            out.append(_ESCAPES[ch])
        elif ch.isprintable():
            out.append(ch)
        elif code < 0x20 or code == 0x7F:
            out.append(f"\\x{code:02x}")
        elif code < 0x10000:
            out.append(f"\\u{code:04x}")
        else:
            out.append(f"\\U{code:08x}")
    out.append('"')
    return "".join(out)


def number_string(value: numbers.Number) -> str:
    """*value* as Go's `big.Float.String()` shows it: `%g` with 10 significant digits."""
    if isinstance(value, float):
        return "+Inf" if value > 0 else "-Inf"
    q = numbers.fraction(value)
    if q == 0:
        return "0"
    sign, q = ("-" if q < 0 else ""), abs(q)
    exp = len(str(q.numerator)) - len(str(q.denominator))  # 10**(exp-1) <= q < 10**exp ...
    while q >= Fraction(10) ** exp:
        exp += 1
    while q < Fraction(10) ** (exp - 1):
        exp -= 1
    scaled = q * Fraction(10) ** (10 - exp)
    mant, rest = divmod(scaled.numerator, scaled.denominator)
    if 2 * rest > scaled.denominator or (2 * rest == scaled.denominator and mant % 2):
        mant += 1
    if mant == 10**10:
        mant, exp = mant // 10, exp + 1
    digits = str(mant).rstrip("0")
    return sign + _format_g(digits, exp)


def _format_g(digits: str, exp: int, prec: int = 10) -> str:
    """Go's `%g` of 0.DIGITS x 10**exp at precision *prec* (math/big ftoa.go)."""
    eprec = prec
    if eprec > len(digits) and len(digits) >= exp:
        eprec = len(digits)
    if exp - 1 < -4 or exp - 1 >= eprec:
        shown = min(prec, len(digits))
        head = digits[0] + ("." + digits[1:shown].ljust(shown - 1, "0") if shown > 1 else "")
        power = exp - 1
        return f"{head}e{'-' if power < 0 else '+'}{abs(power):02d}"
    if prec > exp:
        prec = len(digits)
    places = max(prec - exp, 0)
    whole = digits[:exp].ljust(exp, "0") if exp > 0 else "0"
    frac = "".join(digits[exp + i] if 0 <= exp + i < len(digits) else "0"
                   for i in range(places))
    return whole + ("." + frac if places else "")


def hash_text(value: object) -> str:
    """The text cty hashes a set element from (and orders a set of non-primitives by)."""
    budget.step()
    value = untag(value)
    if isinstance(value, LazyObject):
        value = value.materialise()
    if isinstance(value, Unknown):
        return "?"
    if value is None:
        return "~"
    if isinstance(value, bool):
        return "T" if value else "F"
    if is_number(value):
        assert isinstance(value, int | float | numbers.Num)
        return number_string(value)
    if isinstance(value, str):
        return go_quote(value)
    if isinstance(value, TfMap):
        return "{" + "".join(f"{go_quote(k)}:{hash_text(value[k])};" for k in sorted(value)) + "}"
    if isinstance(value, TfList | TfSet):
        return "[" + "".join(f"{hash_text(v)};" for v in value) + "]"
    if isinstance(value, dict):
        return "<" + "".join(f"{hash_text(value[k])};" for k in sorted(value)) + ">"
    if isinstance(value, list):
        return "<" + "".join(f"{hash_text(v)};" for v in value) + ">"
    return "?"


def _primitive_key(value: object) -> object:
    """What a primitive is the same element by (cty: whole numbers by value, others by
    their decimal text)."""
    if isinstance(value, numbers.Num):
        return ("number", numbers.text(value))
    return value


def first_of_each(items: list[object]) -> list[int]:
    """The index of the first of each distinct value among wholly known *items* (of one
    type), in order: by key for primitives, by hash text and cty equality for others."""
    budget.step(len(items))
    values = [plain(v) for v in items]
    if all(v is None or isinstance(v, str | bool) or is_number(v) for v in values):
        seen: dict[object, int] = {}
        for i, v in enumerate(values):
            seen.setdefault((type(v) if not is_number(v) else "n", _primitive_key(v)), i)
        return sorted(seen.values())
    buckets: dict[str, list[int]] = {}
    whole: dict[int, object] = {}
    kept: list[int] = []
    for i, v in enumerate(values):
        bucket = buckets.setdefault(hash_text(v), [])
        budget.step(len(bucket))
        if bucket:
            whole.setdefault(i, deep(v))
            for j in bucket:
                whole.setdefault(j, deep(values[j]))
            if any(same(whole[j], whole[i]) for j in bucket):
                continue
        bucket.append(i)
        kept.append(i)
    return kept


def _by(nums: list[numbers.Number]) -> Callable[[int, int], int]:
    """Compare two indexes of *nums* by their numbers."""
    return lambda a, b: numbers.compare(nums[a], nums[b])


def make_set(items: list[object]) -> TfSet | Unknown:
    """*items* (of one type) as a cty set: duplicates dropped, in cty's order (a null
    last); an Unknown when an element is not wholly known (which are the same is not)."""
    unknown = find_unknown(items)
    if unknown is not None:
        return Unknown(unknown.reason)
    kept = first_of_each(items)
    values = [plain(items[i]) for i in kept]
    nulls = [items[i] for i, v in zip(kept, values, strict=True) if v is None]
    order = [n for n, v in enumerate(values) if v is not None]
    kinds = {"number" if is_number(values[n]) else type(values[n]) for n in order}
    if kinds == {"number"}:
        nums: list[numbers.Number] = [v if is_number(v) else 0 for v in values]  # type: ignore[misc]
        order.sort(key=cmp_to_key(_by(nums)))
    elif kinds in ({str}, {bool}):
        order.sort(key=lambda n: values[n])  # type: ignore[arg-type,return-value]
    else:
        texts = [hash_text(v) for v in values]
        order.sort(key=texts.__getitem__)
    return TfSet([items[kept[n]] for n in order] + nulls)
