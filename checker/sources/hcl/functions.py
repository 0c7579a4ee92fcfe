"""Terraform's common built-in functions, over the value model of `values`.

Strict functions need every argument wholly known (else the first unknown comes back);
the collection functions keep known parts known: `length([x, y])` is 2 even when x is
unknown, `merge` keeps the known keys when only values are unknown.
`try` and `can` evaluate lazily and live in `evaluate`.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable

from checker.sources.hcl.values import (
    EvalError,
    Unk,
    deep,
    equal,
    find_unknown,
    is_number,
    number,
    plain,
    to_text,
    type_name,
    untag,
)

Function = Callable[[list[object]], object]
_FORMAT_VERB = re.compile(r"%([-+# 0]*\d*(?:\.\d+)?)([sdvqfFgGxXeEbot%])")


def as_set(items: list[object]) -> object:
    """*items* as a set: no duplicates, strings and numbers in order; Unk if any unknown."""
    unknown = find_unknown(items)
    if unknown is not None:
        return unknown
    out: list[object] = []
    for item in items:
        if not any(equal(item, seen) is True for seen in out):
            out.append(item)
    plains = [untag(v) for v in out]
    if all(isinstance(v, str) for v in plains) or all(is_number(v) for v in plains):
        order = sorted(range(len(out)), key=lambda i: plains[i])  # type: ignore[arg-type,return-value]
        out = [out[i] for i in order]
    return out


def _list(value: object, what: str) -> list[object] | Unk:
    value = plain(value)
    if isinstance(value, Unk | list):
        return value
    raise EvalError(f"{what} must be a list, not {type_name(value)}")


def _map(value: object, what: str) -> dict[str, object] | Unk:
    value = plain(value)
    if isinstance(value, Unk | dict):
        return value
    raise EvalError(f"{what} must be a map or object, not {type_name(value)}")


def _length(args: list[object]) -> object:
    value = plain(args[0])
    if isinstance(value, Unk):
        return value
    if isinstance(value, str | list | dict):
        return len(value)
    raise EvalError(f"length of a {type_name(value)}")


def _merge(args: list[object]) -> object:
    out: dict[str, object] = {}
    for arg in args:
        if plain(arg) is None:
            continue
        m = _map(arg, "merge argument")
        if isinstance(m, Unk):
            return m
        out.update(m)
    return out


def _concat(args: list[object]) -> object:
    out: list[object] = []
    for arg in args:
        items = _list(arg, "concat argument")
        if isinstance(items, Unk):
            return items
        out.extend(items)
    return out


def _lookup(args: list[object]) -> object:
    m, key = _map(args[0], "lookup map"), plain(args[1])
    if isinstance(m, Unk):
        return m
    if isinstance(key, Unk):
        return key
    if isinstance(key, str) and key in m:
        return m[key]
    if len(args) > 2:
        return args[2]
    raise EvalError(f"lookup: no key {key!r} and no default")


def _coalesce(args: list[object]) -> object:
    for arg in args:
        value = plain(arg)
        if isinstance(value, Unk):
            return value
        if value is not None and value != "":
            return arg
    raise EvalError("coalesce: no non-null, non-empty argument")


def _keys(args: list[object]) -> object:
    m = _map(args[0], "keys argument")
    return m if isinstance(m, Unk) else sorted(m)


def _values(args: list[object]) -> object:
    m = _map(args[0], "values argument")
    return m if isinstance(m, Unk) else [m[k] for k in sorted(m)]


def _element(args: list[object]) -> object:
    items, idx = _list(args[0], "element list"), plain(args[1])
    if isinstance(items, Unk):
        return items
    if isinstance(idx, Unk):
        return idx
    if not items or not is_number(idx):
        raise EvalError("element: an empty list or a bad index")
    assert isinstance(idx, int | float)
    return items[int(idx) % len(items)]


def _flatten(args: list[object]) -> object:
    out: list[object] = []
    items = _list(args[0], "flatten argument")
    if isinstance(items, Unk):
        return items
    for item in items:
        inner = plain(item)
        if isinstance(inner, Unk):
            return inner  # might be a list: the length is not known
        if isinstance(inner, list):
            flat = _flatten([inner])
            if isinstance(flat, Unk):
                return flat
            assert isinstance(flat, list)
            out.extend(flat)
        else:
            out.append(item)
    return out


def _contains(args: list[object]) -> object:
    items = _list(args[0], "contains list")
    if isinstance(items, Unk):
        return items
    pending: Unk | None = None
    for item in items:
        same = equal(item, args[1])
        if same is True:
            return True
        if isinstance(same, Unk):
            pending = pending or same
    return pending if pending is not None else False


def _toset(args: list[object]) -> object:
    items = _list(args[0], "toset argument")
    return items if isinstance(items, Unk) else as_set(items)


def _distinct(args: list[object]) -> object:
    items = _list(args[0], "distinct argument")
    if isinstance(items, Unk):
        return items
    unknown = find_unknown(items)
    if unknown is not None:
        return unknown
    out: list[object] = []
    for item in items:
        if not any(equal(item, seen) is True for seen in out):
            out.append(item)
    return out


def _compact(args: list[object]) -> object:
    items = _list(args[0], "compact argument")
    if isinstance(items, Unk):
        return items
    out: list[object] = []
    for item in items:
        value = plain(item)
        if isinstance(value, Unk):
            return value
        if value is not None and value != "":
            out.append(item)
    return out


def _setproduct(args: list[object]) -> object:
    product: list[list[object]] = [[]]
    for arg in args:
        items = _list(arg, "setproduct argument")
        if isinstance(items, Unk):
            return items
        product = [[*p, item] for p in product for item in items]
    return [list(p) for p in product]


def _zipmap(args: list[object]) -> object:
    keys, vals = _list(args[0], "zipmap keys"), _list(args[1], "zipmap values")
    if isinstance(keys, Unk):
        return keys
    if isinstance(vals, Unk):
        return vals
    unknown = find_unknown(keys)
    if unknown is not None:
        return unknown
    return {to_text(k): v for k, v in zip(keys, vals, strict=False)}


def _tomap(args: list[object]) -> object:
    return _map(args[0], "tomap argument")


def _tolist(args: list[object]) -> object:
    return _list(args[0], "tolist argument")


def _one(args: list[object]) -> object:
    items = _list(args[0], "one argument")
    if isinstance(items, Unk):
        return items
    if len(items) > 1:
        raise EvalError("one: more than one element")
    return items[0] if items else None


# Strict functions: every argument wholly known, provenance dropped.


def _format(fmt: object, *args: object) -> str:
    values = iter(args)

    def verb(m: re.Match[str]) -> str:
        flags, kind = m.group(1), m.group(2)
        if kind == "%":
            return "%"
        value = next(values, None)
        if kind in "sv":
            return ("%" + flags + "s") % (to_text(value) if not isinstance(value, list | dict)
                                          else json.dumps(value))
        if kind == "q":
            return json.dumps(to_text(value))
        if kind == "t":
            return to_text(value)
        if not is_number(value):
            raise EvalError(f"format %{kind} needs a number, not {type_name(value)}")
        if kind == "d":
            return str(("%" + flags + "d") % int(value))  # type: ignore[call-overload]
        return str(("%" + flags + kind) % value)

    return _FORMAT_VERB.sub(verb, str(fmt))


def _minmax(pick: Callable[[list[float]], float]) -> Callable[..., object]:
    def fn(*args: object) -> object:
        if not args or not all(is_number(a) for a in args):
            raise EvalError("min/max need numbers")
        return pick(args)  # type: ignore[arg-type]
    return fn


def _range(*args: object) -> list[object]:
    nums = [float(a) for a in args]  # type: ignore[arg-type]
    start, stop, step = (0.0, nums[0], 1.0) if len(nums) == 1 else (nums[0], nums[1], 1.0)
    if len(nums) == 3:
        step = nums[2]
    if step == 0 or abs((stop - start) / step) > 1024:
        raise EvalError("range: too many elements (or a zero step)")
    count = max(0, math.ceil((stop - start) / step))
    return [number(start + i * step) for i in range(count)]


def _tostring(value: object) -> object:
    return None if value is None else to_text(value)


def _tonumber(value: object) -> object:
    if value is None or is_number(value):
        return value
    try:
        return number(float(str(value)))
    except ValueError:
        raise EvalError(f"tonumber: {value!r} is not a number") from None


def _join(sep: object, *lists: object) -> str:
    return str(sep).join(to_text(v) for items in lists for v in items)  # type: ignore[attr-defined]


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
    "formatlist": lambda f, *a: [_format(f, *row) for row in zip(*a, strict=True)],
    "join": _join,
    "split": lambda sep, s: to_text(s).split(to_text(sep)),
    "replace": lambda s, old, new: to_text(s).replace(to_text(old), to_text(new)),
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
    "jsonencode": lambda v: json.dumps(v, separators=(",", ":"), sort_keys=True),
    "sort": lambda items: sorted(to_text(v) for v in items),
    "reverse": lambda items: list(reversed(items)),
    "sum": lambda items: number(sum(items)),
    "slice": lambda items, a, b: items[int(a) : int(b)],
}

LENIENT: dict[str, Function] = {
    "length": _length, "merge": _merge, "concat": _concat, "lookup": _lookup,
    "coalesce": _coalesce, "keys": _keys, "values": _values, "element": _element,
    "flatten": _flatten, "contains": _contains, "toset": _toset, "distinct": _distinct,
    "compact": _compact, "setproduct": _setproduct, "zipmap": _zipmap, "tomap": _tomap,
    "tolist": _tolist, "one": _one,
}


def call(name: str, args: list[object]) -> object:
    """Apply function *name*; EvalError for bad arguments, KeyError when not supported."""
    fn = LENIENT.get(name)
    if fn is not None:
        return fn(args)
    strict = _STRICT[name]
    for arg in args:
        unknown = find_unknown(arg)
        if unknown is not None:
            return Unk(unknown.reason)
    try:
        result = strict(*[deep(a) for a in args])
    except EvalError:
        raise
    except (TypeError, ValueError, IndexError, AttributeError, OverflowError) as exc:
        raise EvalError(f"{name}: {exc}") from None
    return number(result) if isinstance(result, float) else result


def supported(name: str) -> bool:
    """True when *name* is a function this evaluator implements."""
    return name in LENIENT or name in _STRICT
