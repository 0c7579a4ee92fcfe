"""Terraform's common built-in functions: the dispatcher and the strict (scalar) ones.

Strict functions need every argument wholly known (else the first unknown comes back);
the collection functions of `collectionfns` keep known parts known. `try` and `can`
evaluate lazily and live in `evaluate`.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable, Iterator

from checker.sources.hcl import budget
from checker.sources.hcl.collectionfns import LENIENT, as_set
from checker.sources.hcl.values import (
    EvalError,
    Unknown,
    deep,
    find_unknown,
    is_number,
    number,
    to_text,
    type_name,
)

_FORMAT_VERB = re.compile(r"%([-+# 0]*\d*(?:\.\d+)?)([sdvqfFgGxXeEbot%])")
_DIGITS = re.compile(r"\d+")


# Strict functions: every argument wholly known, provenance dropped.


def text_size(value: object) -> int:
    """At least how many characters *value* (deep, plain) takes as JSON; BudgetExceeded as
    soon as that is more than one string's budget (a step spent on each element)."""
    limit = budget.MAX_STRING
    total = 0
    todo = [value]
    while todo:
        item = todo.pop()
        budget.step()
        if isinstance(item, str):
            total += len(item) + 2
        elif isinstance(item, list):
            total += len(item) + 1
            todo.extend(item)
        elif isinstance(item, dict):
            total += len(item) * 2 + 1 + sum(len(k) + 2 for k in item)
            todo.extend(item.values())
        else:
            total += 4
        if total > limit:
            budget.text(total)
    return total


def _json(value: object) -> str:
    """*value* as JSON, its size checked before it is built."""
    text_size(value)
    return json.dumps(value)


def _format(fmt: object, *args: object) -> str:
    """`format(fmt, args...)` for the common verbs, widths and the result within budget."""
    values = iter(args)
    size = [len(str(fmt))]

    def verb(m: re.Match[str]) -> str:
        """One formatting verb."""
        out = _verb(m.group(1), m.group(2), values)
        size[0] += len(out)
        if size[0] > budget.MAX_STRING:
            budget.text(size[0])
        return out

    return _FORMAT_VERB.sub(verb, str(fmt))


def _verb(flags: str, kind: str, values: Iterator[object]) -> str:
    """One formatting verb applied to the next of *values*."""
    if kind == "%":
        return "%"
    for digits in _DIGITS.findall(flags):
        budget.width(int(digits))
    value = next(values, None)
    if kind in "sv":
        return ("%" + flags + "s") % (to_text(value) if not isinstance(value, list | dict)
                                      else _json(value))
    if kind == "q":
        return json.dumps(to_text(value))
    if kind == "t":
        return to_text(value)
    num = _num(value, f"format %{kind}")
    if kind == "d":
        return str(("%" + flags + "d") % int(num))
    return str(("%" + flags + kind) % num)


def _num(value: object, what: str) -> float:
    """*value* as a number; EvalError naming *what* otherwise."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    raise EvalError(f"{what} needs a number, not {type_name(value)}")


def _minmax(pick: Callable[[list[float]], float]) -> Callable[..., object]:
    """`min`/`max` over numbers."""
    def fn(*args: object) -> object:
        """The min/max function."""
        if not args:
            raise EvalError("min/max need at least one number")
        return pick([_num(a, "min/max") for a in args])
    return fn


def _range(*args: object) -> list[object]:
    """`range(...)`, bounded to 1024 elements."""
    nums = [float(_num(a, "range")) for a in args]
    start, stop, step = (0.0, nums[0], 1.0) if len(nums) == 1 else (nums[0], nums[1], 1.0)
    if len(nums) == 3:
        step = nums[2]
    if step == 0 or abs((stop - start) / step) > 1024:
        raise EvalError("range: too many elements (or a zero step)")
    count = max(0, math.ceil((stop - start) / step))
    return [number(start + i * step) for i in range(count)]


def _tostring(value: object) -> object:
    """`tostring(x)`."""
    return None if value is None else to_text(value)


def _tonumber(value: object) -> object:
    """`tonumber(x)`."""
    if value is None or is_number(value):
        return value
    try:
        return number(float(str(value)))
    except ValueError:
        raise EvalError(f"tonumber: {value!r} is not a number") from None


def _formatlist(fmt: object, *lists: object) -> list[str]:
    """`formatlist(fmt, lists...)`: each string counted as it is made."""
    out: list[str] = []
    for row in zip(*lists, strict=True):
        out.append(_format(fmt, *row))
        budget.text(len(out[-1]))
    return out


def _join(sep: object, *lists: object) -> str:
    """`join(sep, lists...)`."""
    texts: list[str] = []
    for items in lists:
        if not isinstance(items, list):
            raise EvalError(f"join needs lists, not {type_name(items)}")
        budget.elements(len(texts) + len(items))
        texts.extend(to_text(v) for v in items)
    glue = to_text(sep)
    budget.text(sum(len(t) for t in texts) + len(glue) * max(0, len(texts) - 1))
    return glue.join(texts)


def _replace(value: object, old: object, new: object) -> str:
    """`replace(s, old, new)` of a literal substring, its result's size checked first."""
    text, was, now = to_text(value), to_text(old), to_text(new)
    times = text.count(was)
    budget.text(len(text) + times * (len(now) - len(was)))
    return text.replace(was, now)


def _split(sep: object, value: object) -> list[str]:
    """`split(sep, s)`, its number of parts checked first."""
    text, by = to_text(value), to_text(sep)
    if by:
        budget.elements(text.count(by) + 1)
    return text.split(by)


_STRICT: dict[str, Callable[..., object]] = {
    "lower": lambda s: to_text(s).lower(),
    "upper": lambda s: to_text(s).upper(),
    "title": lambda s: to_text(s).title(),
    "trimspace": lambda s: to_text(s).strip(),
    "trimprefix": lambda s, p: to_text(s).removeprefix(to_text(p)),
    "trimsuffix": lambda s, p: to_text(s).removesuffix(to_text(p)),
    "startswith": lambda s, p: to_text(s).startswith(to_text(p)),
    "endswith": lambda s, p: to_text(s).endswith(to_text(p)),
    "format": _format,
    "formatlist": _formatlist,
    "join": _join,
    "split": _split,
    "replace": _replace,
    "substr": lambda s, o, n: to_text(s)[int(o):][: (None if int(n) < 0 else int(n))],
    "max": _minmax(max),
    "min": _minmax(min),
    "abs": lambda n: abs(n),
    "ceil": lambda n: math.ceil(n),
    "floor": lambda n: math.floor(n),
    "range": _range,
    "tostring": _tostring,
    "tonumber": _tonumber,
    "tobool": lambda v: v if isinstance(v, bool) or v is None else v == "true",
    "jsonencode": lambda v: (text_size(v), json.dumps(v, separators=(",", ":"),
                                                      sort_keys=True))[1],
    "sort": lambda items: sorted(to_text(v) for v in items),
    "reverse": lambda items: list(reversed(items)),
    "sum": lambda items: number(sum(items)),
    "slice": lambda items, a, b: items[int(a) : int(b)],
}

def call(name: str, args: list[object]) -> object:
    """Apply function *name*; EvalError for bad arguments, KeyError when not supported."""
    fn = LENIENT.get(name)
    if fn is not None:
        return budget.built(fn(args))
    strict = _STRICT[name]
    for arg in args:
        unknown = find_unknown(arg)
        if unknown is not None:
            return Unknown(unknown.reason)
    try:
        result = strict(*[deep(a) for a in args])
    except EvalError:
        raise
    except (TypeError, ValueError, IndexError, AttributeError, OverflowError) as exc:
        raise EvalError(f"{name}: {exc}") from None
    return budget.built(number(result) if isinstance(result, float) else result)


__all__ = ["as_set", "call", "supported"]


def supported(name: str) -> bool:
    """True when *name* is a function this evaluator implements."""
    return name in LENIENT or name in _STRICT
