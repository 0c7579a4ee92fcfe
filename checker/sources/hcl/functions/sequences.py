"""Collection functions Terraform needs wholly known: every argument is known and already
its parameter's type (`list(bool)` is a `TfList` of bools) when these are called."""

from __future__ import annotations

from collections.abc import Callable

from checker.sources.hcl import budget, numbers
from checker.sources.hcl.ctyconvert import convert, unify
from checker.sources.hcl.ctytypes import NUMBER, STRING, list_of, type_of
from checker.sources.hcl.functions.params import go_int, kind_name
from checker.sources.hcl.valuemodel import EvalError, TfList, TfMap, TfSet, same

MAX_RANGE = 1024


def _all_true(items: list[object]) -> bool:
    """`alltrue(list)`: no element false or null."""
    return all(item is True for item in items)


def _any_true(items: list[object]) -> bool:
    """`anytrue(list)`: some element true."""
    return any(item is True for item in items)


def _chunklist(items: list[object], size: object) -> TfList:
    """`chunklist(list, size)`: a list of lists of *size* elements (the last maybe fewer)."""
    n = go_int(size, "invalid size")
    if n < 0:
        raise EvalError("the size argument must be positive")
    if not items:
        return list_of([], type_of(items))
    if n == 0:
        return TfList([TfList(items)])
    budget.elements(len(items) // n + 1)
    return TfList(TfList(items[i:i + n]) for i in range(0, len(items), n))


def _index(items: object, value: object) -> int:
    """`index(list, value)`: where the value first is in a list or tuple."""
    if not isinstance(items, list) or isinstance(items, TfSet):
        raise EvalError("argument must be a list or tuple")
    if not items:
        raise EvalError("cannot search an empty list")
    for i, item in enumerate(items):
        budget.step()
        if same(item, value):
            return i
    raise EvalError("item not found")


def _matchkeys(values: list[object], keys: list[object], search: list[object]) -> TfList:
    """`matchkeys(values, keys, searchset)`: the values whose key is in the search set."""
    common = unify([type_of(keys), type_of(search)])
    if common is None:
        raise EvalError("keys and searchset must be of the same type")
    if len(values) != len(keys):
        raise EvalError("length of keys and values should be equal")
    keys = convert(keys, common)  # type: ignore[assignment]
    search = convert(search, common)  # type: ignore[assignment]
    budget.step(len(keys) * len(search))
    return TfList(v for v, k in zip(values, keys, strict=True)
                  if any(same(k, s) for s in search))


def _range(*args: object) -> TfList:
    """`range(...)`: start, limit and step as cty takes them; at most 1024 numbers."""
    nums = [a for a in args if numbers.is_number(a)]
    if len(nums) != len(args) or not 1 <= len(args) <= 3:
        raise EvalError("must have one, two, or three arguments")
    if len(nums) == 3:
        start, end, step = nums
    else:
        start, end = (0, nums[0]) if len(nums) == 1 else (nums[0], nums[1])
        step = -1 if numbers.compare(end, start) < 0 else 1  # type: ignore[arg-type]
    down = numbers.compare(step, 0) < 0  # type: ignore[arg-type]
    if down and numbers.compare(end, start) > 0:  # type: ignore[arg-type]
        raise EvalError("end must be less than start when step is negative")
    if not down and numbers.compare(end, start) < 0:  # type: ignore[arg-type]
        raise EvalError("end must be greater than start when step is positive")
    if all(isinstance(n, int) for n in (start, end, step)):  # exact: Python's range
        assert isinstance(start, int) and isinstance(end, int) and isinstance(step, int)
        if step and len(range(start, end, step)) <= MAX_RANGE:
            return list_of(range(start, end, step), NUMBER)
    out = list_of([], NUMBER)
    num = start
    while (numbers.compare(num, end) > 0) if down else (  # type: ignore[arg-type]
            numbers.compare(num, end) < 0):  # type: ignore[arg-type]
        if len(out) >= MAX_RANGE:
            raise EvalError("more than 1024 values were generated; either decrease the "
                            "difference between start and end or use a smaller step")
        out.append(num)
        num = numbers.arith("+", num, step)  # type: ignore[arg-type]
    return out


def _reverse(items: object) -> list[object]:
    """`reverse(list)`: a tuple reversed is a tuple; a list or set, a list."""
    if not isinstance(items, list):
        raise EvalError(f"can only reverse list or tuple values, not {kind_name(items)}")
    out = list(reversed(items))
    return out if type(items) is list else TfList(out)


def _slice(items: object, start: object, end: object) -> list[object]:
    """`slice(list, start, end)`: of a list a list, of a tuple a tuple."""
    if isinstance(items, TfSet):
        raise EvalError("cannot slice a set, because its elements do not have indices; "
                        "explicitly convert to a list if the ordering of the result is not "
                        "important")
    if not isinstance(items, list):
        raise EvalError("must be a list or tuple value")
    first, last = go_int(start, "invalid start index"), go_int(end, "invalid end index")
    if first < 0:
        raise EvalError("start index must not be less than zero")
    if first > len(items):
        raise EvalError("start index must not be greater than the length of the list")
    if last < 0:
        raise EvalError("end index must not be less than zero")
    if last > len(items):
        raise EvalError("end index must not be greater than the length of the list")
    if first > last:
        raise EvalError("start index must not be greater than end index")
    out = items[first:last]
    return out if type(items) is list else TfList(out)


def _sort(items: list[object]) -> TfList:
    """`sort(list)`: strings in lexical (code point) order."""
    for i, item in enumerate(items):
        if item is None:
            raise EvalError(f"given list element {i} is null; a null string cannot be sorted")
    return list_of(sorted(items), STRING)  # type: ignore[type-var]


def _sum(items: object) -> object:
    """`sum(list)`: the numbers of a list, set or tuple added in order (strings of digits
    converted), at cty's precision."""
    if not isinstance(items, list | dict):
        raise EvalError("cannot sum noniterable")
    if not items:
        raise EvalError("cannot sum an empty list")
    if not isinstance(items, list):
        raise EvalError(f"argument must be list, set, or tuple. Received {kind_name(items)}")
    total: numbers.Number | None = None
    for item in items:
        try:
            value = None if item is None else convert(item, NUMBER)
        except EvalError:
            value = None
        if value is None:
            raise EvalError("argument must be list, set, or tuple of number values")
        assert isinstance(value, int | float | numbers.Num)
        if total is None:
            total = value
        elif isinstance(total, float) and isinstance(value, float) and total != value:
            raise EvalError("can't compute sum of opposing infinities")
        else:
            total = numbers.arith("+", total, value)
    return total


def _transpose(table: dict[str, list[object]]) -> TfMap:
    """`transpose(map)`: each string of the lists mapped to the sorted keys it was under."""
    out: dict[str, list[str]] = {}
    for key in sorted(table):
        values = table[key]
        if values is None:
            raise EvalError("input must not contain null list")
        budget.step(len(values))
        for value in values:
            if not isinstance(value, str):
                raise EvalError("input list must not contain null string")
            out.setdefault(value, []).append(key)
    budget.elements(sum(len(v) for v in out.values()))
    return TfMap({k: TfList(sorted(v)) for k, v in out.items()})


FUNCTIONS: dict[str, Callable[..., object]] = {
    "alltrue": _all_true, "anytrue": _any_true, "chunklist": _chunklist, "index": _index,
    "matchkeys": _matchkeys, "range": _range, "reverse": _reverse, "slice": _slice,
    "sort": _sort, "sum": _sum, "transpose": _transpose,
}
