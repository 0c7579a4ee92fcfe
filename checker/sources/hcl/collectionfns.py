"""Collection functions that keep known parts known.

`length([x, y])` is 2 even when x is unknown; `merge` keeps the known keys when only
values are unknown, and is unknown as a whole when a whole argument is; elements keep
their provenance (`Tagged`).
"""

from __future__ import annotations

from collections.abc import Callable

from checker.sources.hcl import budget
from checker.sources.hcl.operators import whole
from checker.sources.hcl.values import (
    EvalError,
    Unknown,
    equal,
    find_unknown,
    is_number,
    plain,
    to_text,
    type_name,
    untag,
)

Function = Callable[[list[object]], object]


def _first_of_each(items: list[object]) -> list[object]:
    """The first occurrence of each value of wholly known *items*, in order: by hashing
    when they are all strings or all numbers (1 and 1.0 are one number, as in Python),
    else by comparing each with those kept (a step each comparison)."""
    plains = [untag(v) for v in items]
    if all(isinstance(v, str) for v in plains) or all(is_number(v) for v in plains):
        first: dict[object, int] = {}
        for i, v in enumerate(plains):
            first.setdefault(v, i)
        return [items[i] for i in sorted(first.values())]
    out: list[object] = []
    for item in items:
        budget.step(len(out))
        if not any(equal(item, seen) is True for seen in out):
            out.append(item)
    return out


def as_set(items: list[object]) -> object:
    """*items* as a set: no duplicates, strings and numbers in order; Unknown if any unknown."""
    unknown = find_unknown(items)
    if unknown is not None:
        return unknown
    out = _first_of_each(items)
    plains = [untag(v) for v in out]
    texts = [v for v in plains if isinstance(v, str)]
    numbers = [float(v) for v in plains if isinstance(v, int | float) and is_number(v)]
    if len(texts) == len(out):
        out = [out[i] for i in sorted(range(len(out)), key=texts.__getitem__)]
    elif len(numbers) == len(out):
        out = [out[i] for i in sorted(range(len(out)), key=numbers.__getitem__)]
    return out


def _list(value: object, what: str) -> list[object] | Unknown:
    """*value* as a list (or Unknown); EvalError for another type."""
    value = plain(value)
    if isinstance(value, Unknown | list):
        return value
    raise EvalError(f"{what} must be a list, not {type_name(value)}")


def _map(value: object, what: str) -> dict[str, object] | Unknown:
    """*value* as a map (or Unknown); EvalError for another type."""
    value = plain(value)
    if isinstance(value, Unknown | dict):
        return value
    raise EvalError(f"{what} must be a map or object, not {type_name(value)}")


def _length(args: list[object]) -> object:
    """`length(x)`: known for a known collection, even with unknown elements."""
    value = plain(args[0])
    if isinstance(value, Unknown):
        return value
    if isinstance(value, str | list | dict):
        return len(value)
    raise EvalError(f"length of a {type_name(value)}")


def _merge(args: list[object]) -> object:
    """`merge(maps...)`: unknown only when a whole argument is."""
    out: dict[str, object] = {}
    for arg in args:
        if plain(arg) is None:
            continue
        m = _map(arg, "merge argument")
        if isinstance(m, Unknown):
            return m
        budget.elements(len(out) + len(m))
        out.update(m)
    return out


def _concat(args: list[object]) -> object:
    """`concat(lists...)`."""
    out: list[object] = []
    for arg in args:
        items = _list(arg, "concat argument")
        if isinstance(items, Unknown):
            return items
        budget.elements(len(out) + len(items))
        out.extend(items)
    return out


def _lookup(args: list[object]) -> object:
    """`lookup(map, key, default?)`."""
    m, key = _map(args[0], "lookup map"), plain(args[1])
    if isinstance(m, Unknown):
        return m
    if isinstance(key, Unknown):
        return key
    if isinstance(key, str) and key in m:
        return m[key]
    if len(args) > 2:
        return args[2]
    raise EvalError(f"lookup: no key {key!r} and no default")


def _coalesce(args: list[object]) -> object:
    """`coalesce(...)`: the first non-null, non-empty argument (provenance kept)."""
    for arg in args:
        value = plain(arg)
        if isinstance(value, Unknown):
            return value
        if value is not None and value != "":
            return arg
    raise EvalError("coalesce: no non-null, non-empty argument")


def _keys(args: list[object]) -> object:
    """`keys(map)`, sorted."""
    m = _map(args[0], "keys argument")
    return m if isinstance(m, Unknown) else sorted(m)


def _values(args: list[object]) -> object:
    """`values(map)`, in key order."""
    m = _map(args[0], "values argument")
    return m if isinstance(m, Unknown) else [m[k] for k in sorted(m)]


def _element(args: list[object]) -> object:
    """`element(list, index)`, wrapping around."""
    items, idx = _list(args[0], "element list"), plain(args[1])
    if isinstance(items, Unknown):
        return items
    if isinstance(idx, Unknown):
        return idx
    if not items:
        raise EvalError("element: an empty list")
    return items[whole(idx, "element's index") % len(items)]


def _flatten(args: list[object]) -> object:
    """`flatten(list)`: unknown when an element may itself be a list."""
    out: list[object] = []
    items = _list(args[0], "flatten argument")
    if isinstance(items, Unknown):
        return items
    for item in items:
        budget.step()
        inner = plain(item)
        if isinstance(inner, Unknown):
            return inner  # might be a list: the length is not known
        if isinstance(inner, list):
            flat = _flatten([inner])
            if isinstance(flat, Unknown):
                return flat
            assert isinstance(flat, list)
            budget.elements(len(out) + len(flat))
            out.extend(flat)
        else:
            out.append(item)
    return out


def _contains(args: list[object]) -> object:
    """`contains(list, value)`: True as soon as a known element matches."""
    items = _list(args[0], "contains list")
    if isinstance(items, Unknown):
        return items
    pending: Unknown | None = None
    for item in items:
        same = equal(item, args[1])
        if same is True:
            return True
        if isinstance(same, Unknown):
            pending = pending or same
    return pending if pending is not None else False


def _toset(args: list[object]) -> object:
    """`toset(list)`."""
    items = _list(args[0], "toset argument")
    return items if isinstance(items, Unknown) else as_set(items)


def _distinct(args: list[object]) -> object:
    """`distinct(list)`, first occurrences in order."""
    items = _list(args[0], "distinct argument")
    if isinstance(items, Unknown):
        return items
    unknown = find_unknown(items)
    if unknown is not None:
        return unknown
    return _first_of_each(items)


def _compact(args: list[object]) -> object:
    """`compact(list)`: nulls and empty strings dropped."""
    items = _list(args[0], "compact argument")
    if isinstance(items, Unknown):
        return items
    out: list[object] = []
    for item in items:
        value = plain(item)
        if isinstance(value, Unknown):
            return value
        if value is not None and value != "":
            out.append(item)
    return out


def _setproduct(args: list[object]) -> object:
    """`setproduct(lists...)`: every combination, elements as they are."""
    product: list[list[object]] = [[]]
    for arg in args:
        items = _list(arg, "setproduct argument")
        if isinstance(items, Unknown):
            return items
        budget.elements(len(product) * len(items))
        budget.step(len(product) * len(items))
        product = [[*p, item] for p in product for item in items]
    return [list(p) for p in product]


def _zipmap(args: list[object]) -> object:
    """`zipmap(keys, values)`."""
    keys, vals = _list(args[0], "zipmap keys"), _list(args[1], "zipmap values")
    if isinstance(keys, Unknown):
        return keys
    if isinstance(vals, Unknown):
        return vals
    unknown = find_unknown(keys)
    if unknown is not None:
        return unknown
    return {to_text(k): v for k, v in zip(keys, vals, strict=False)}


def _tomap(args: list[object]) -> object:
    """`tomap(map)`."""
    return _map(args[0], "tomap argument")


def _tolist(args: list[object]) -> object:
    """`tolist(list)`."""
    return _list(args[0], "tolist argument")


def _one(args: list[object]) -> object:
    """`one(list)`: its only element, or null."""
    items = _list(args[0], "one argument")
    if isinstance(items, Unknown):
        return items
    if len(items) > 1:
        raise EvalError("one: more than one element")
    return items[0] if items else None


LENIENT: dict[str, Function] = {
    "length": _length, "merge": _merge, "concat": _concat, "lookup": _lookup,
    "coalesce": _coalesce, "keys": _keys, "values": _values, "element": _element,
    "flatten": _flatten, "contains": _contains, "toset": _toset, "distinct": _distinct,
    "compact": _compact, "setproduct": _setproduct, "zipmap": _zipmap, "tomap": _tomap,
    "tolist": _tolist, "one": _one,
}


