"""Collection functions that keep known parts known.

`length([x, y])` is 2 even when x is unknown; `merge` keeps the known keys when only
values are unknown, and is unknown as a whole when a whole argument is; elements keep
their provenance (`Tagged`). Known results are Terraform's, types included: a list or a
tuple, a map or an object, as cty gives them (`maps`, `sequences`, `sets` and
`conversion` hold the rest of the family; `ctyconvert` is how arguments are converted).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from checker.sources.hcl import budget
from checker.sources.hcl.ctyconvert import convert, unify
from checker.sources.hcl.ctysets import first_of_each, make_set
from checker.sources.hcl.ctytypes import STRING, list_of, type_of
from checker.sources.hcl.functions import conversion, maps, sequences, sets
from checker.sources.hcl.functions.graphemes import grapheme_count
from checker.sources.hcl.functions.params import (
    go_int,
    kind_name,
    known,
    param,
)
from checker.sources.hcl.valuemodel import (
    EvalError,
    TfList,
    TfSet,
    Unknown,
    equal,
    find_unknown,
    plain,
)

Function = Callable[[list[object]], object]
_NOT_NULL = "argument must not be null"


def as_set(items: Sequence[object]) -> TfSet | Unknown:
    """*items* (of one type) as a set: no duplicates, in cty's order; Unknown if any is."""
    return make_set(list(items))


def _length(args: list[object]) -> object:
    """`length(x)`: known for a known collection, even with unknown elements."""
    value = known(args[0])
    if isinstance(value, Unknown):
        return value
    if value is None:
        raise EvalError(_NOT_NULL)
    if isinstance(value, str):
        return grapheme_count(value)
    if isinstance(value, list | dict):
        return len(value)
    raise EvalError("argument must be a string, a collection type, or a structural type")


def _concat(args: list[object]) -> object:
    """`concat(seqs...)`: a list when every argument is a list (of types that unify), else
    a tuple."""
    if not args:
        raise EvalError("at least one argument is required")
    seqs = [known(a) for a in args]
    for seq in seqs:
        if isinstance(seq, Unknown):
            return seq
        if seq is None:
            raise EvalError(_NOT_NULL)
    budget.elements(sum(len(s) for s in seqs if isinstance(s, list)))
    if all(isinstance(s, TfList) for s in seqs):
        common = unify([type_of(s) for s in seqs])
        if common is not None:
            out: list[object] = []
            for seq in seqs:
                out.extend(convert(seq, common))  # type: ignore[arg-type]
            return list_of(out, common.element)
    items: list[object] = []
    for seq in seqs:
        if not isinstance(seq, list) or isinstance(seq, TfSet):
            raise EvalError(f"all arguments must be lists or tuples; got {kind_name(seq)}")
        items.extend(seq)
    return items


def _coalesce(args: list[object]) -> object:
    """`coalesce(...)`: the first argument not null nor (strings) empty, every argument of
    the type they all unify to (provenance kept)."""
    common = unify([type_of(a) for a in args])
    if common is None:
        raise EvalError("all arguments must have the same type")
    for arg in args:
        value = convert(arg, common)
        raw = known(value)
        if isinstance(raw, Unknown):
            return raw
        if raw is None or (common == STRING and raw == ""):
            continue
        return value
    raise EvalError("no non-null, non-empty-string arguments")


def _coalescelist(args: list[object]) -> object:
    """`coalescelist(...)`: the first list or tuple that is not empty."""
    if not args:
        raise EvalError("at least one argument is required")
    values = [known(a) for a in args]
    for value in values:  # every argument's type is checked first, up to an unknown
        if isinstance(value, Unknown):
            break
        if not isinstance(value, list) or isinstance(value, TfSet):
            raise EvalError("coalescelist arguments must be lists or tuples")
    for value in values:
        if isinstance(value, Unknown) or value:
            return value
    raise EvalError("no non-null arguments")


def _element(args: list[object]) -> object:
    """`element(list, index)`: a list wraps around either way; a tuple only forwards."""
    items, index = known(args[0]), known(param("element", 1, args[1]))
    if items is None:
        raise EvalError(_NOT_NULL)
    if isinstance(items, Unknown):
        return items
    if not isinstance(items, list) or isinstance(items, TfSet):
        raise EvalError(f"cannot read elements from {kind_name(items)}")
    if isinstance(index, Unknown):
        return index
    i = go_int(index, "invalid index")
    if not items:
        raise EvalError("cannot use element function with an empty list")
    if isinstance(items, TfList):
        return items[i % len(items)]
    wrapped = abs(i) % len(items) * (1 if i >= 0 else -1)  # Go's %: the dividend's sign
    if wrapped < 0:
        raise EvalError("panic in function implementation: index out of range")
    return items[wrapped]


def _flatten(args: list[object]) -> object:
    """`flatten(list)`: a tuple; unknown when an element may itself be a list."""
    top = known(args[0])
    if top is None:
        raise EvalError(_NOT_NULL)
    if isinstance(top, Unknown):
        return top
    if not isinstance(top, list):
        raise EvalError("can only flatten lists, sets and tuples")
    out: list[object] = []
    todo: list[list[object]] = [list(reversed(top))]
    while todo:
        if not todo[-1]:
            todo.pop()
            continue
        item = todo[-1].pop()
        budget.step()
        inner = known(item)
        if isinstance(inner, Unknown):
            return inner  # it might be a list: the length is not known
        if isinstance(inner, list):
            todo.append(list(reversed(inner)))
        else:
            out.append(item)
            if len(out) > budget.MAX_ELEMENTS:
                budget.elements(len(out))
    return out


def _contains(args: list[object]) -> object:
    """`contains(list, value)`: True as soon as a known element equals the value."""
    items, value = known(args[0]), known(args[1])
    if items is None or value is None:
        raise EvalError(_NOT_NULL)
    if isinstance(items, Unknown):
        return items
    if isinstance(value, Unknown):
        return value
    if not isinstance(items, list):
        raise EvalError("argument must be list, tuple, or set")
    pending: Unknown | None = None
    for item in items:
        same = equal(args[1], item)
        if same is True:
            return True
        if isinstance(same, Unknown):
            pending = pending or same
    return pending if pending is not None else False


def _distinct(args: list[object]) -> object:
    """`distinct(list)`: a list (elements unified), first occurrences in order."""
    items = known(param("distinct", 0, args[0]))
    if isinstance(items, Unknown):
        return items
    assert isinstance(items, list)
    unknown = find_unknown(items)
    if unknown is not None:
        return Unknown(unknown.reason)
    return list_of([items[i] for i in first_of_each(items)], type_of(items).element)


def _compact(args: list[object]) -> object:
    """`compact(list)`: a list of strings without nulls and empty strings."""
    items = known(param("compact", 0, args[0]))
    if isinstance(items, Unknown):
        return items
    assert isinstance(items, list)
    unknown = find_unknown(items)
    if unknown is not None:
        return Unknown(unknown.reason)
    return list_of((item for item in items if plain(item) not in (None, "")), STRING)


def _one(args: list[object]) -> object:
    """`one(list)`: its only element, or null when it has none."""
    items = known(args[0])
    if items is None:
        raise EvalError(_NOT_NULL)
    if isinstance(items, Unknown):
        return items
    if not isinstance(items, list) or len(items) > 1:
        raise EvalError("must be a list, set, or tuple value with either zero or one elements")
    return items[0] if items else None


LENIENT: dict[str, Function] = {
    "length": _length, "concat": _concat, "coalesce": _coalesce,
    "coalescelist": _coalescelist, "element": _element, "flatten": _flatten,
    "contains": _contains, "distinct": _distinct, "compact": _compact, "one": _one,
    **maps.LENIENT, **sets.LENIENT, **conversion.LENIENT,
}

FUNCTIONS: dict[str, Callable[..., object]] = {**sequences.FUNCTIONS, **sets.FUNCTIONS}

__all__ = ["FUNCTIONS", "LENIENT", "as_set"]
