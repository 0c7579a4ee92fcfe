"""Set functions: union, intersection, difference and the cartesian product, their results
in cty's set order (`ctysets`)."""

from __future__ import annotations

from collections.abc import Callable

from checker.sources.hcl import budget
from checker.sources.hcl.ctyconvert import convert, one_type, unify
from checker.sources.hcl.ctysets import hash_text, make_set
from checker.sources.hcl.ctytypes import ANY, TypeSpec, collection, tuple_of, type_of
from checker.sources.hcl.functions.params import known
from checker.sources.hcl.valuemodel import (
    EvalError,
    TfList,
    TfSet,
    Unknown,
    deep,
    find_unknown,
    same,
)


def _common_set(sets: tuple[object, ...]) -> TypeSpec:
    """The set type every argument converts to (empty sets of no type aside)."""
    elems = []
    for value in sets:
        ty = type_of(value)
        if value or ty.element.kind != "any":
            elems.append(ty.element)
    if not elems:
        return collection("set", ANY)
    found = unify(elems)
    if found is None:
        raise EvalError("given sets must all have compatible element types")
    return collection("set", found)


Index = dict[str, list[object]]


def _operation(keep: Callable[[list[Index], object], bool]) -> Callable[..., object]:
    """A set operation: the elements of every argument (converted to one set type) that
    *keep* keeps."""
    def run(*sets: object) -> object:
        """The set operation."""
        want = _common_set(sets)
        converted: list[list[object]] = [convert(s, want) for s in sets]  # type: ignore[misc]
        if want.element.kind == "any" and len({type_of(s) for s in converted}) > 1:
            raise EvalError("given sets must all have compatible element types")
        found = find_unknown(converted)
        if found is not None:
            return Unknown(found.reason)
        budget.step(sum(len(s) for s in converted))
        elements = [e for s in converted for e in s]
        if keep is _any:  # a union: no element to look up
            return make_set(elements)
        indexed = [_index(s) for s in converted]
        return make_set([e for e in elements if keep(indexed, e)])
    return run


def _index(items: list[object]) -> Index:
    """A set's elements by the text cty hashes them from."""
    out: dict[str, list[object]] = {}
    for item in items:
        out.setdefault(hash_text(item), []).append(deep(item))
    return out


def _has(index: Index, item: object) -> bool:
    """True when the set *index* holds *item*."""
    whole = deep(item)
    return any(same(whole, other) for other in index.get(hash_text(item), ()))


def _any(indexed: list[Index], item: object) -> bool:
    """True: every element of every set (a union)."""
    return True


def _in_all(indexed: list[Index], item: object) -> bool:
    """True when every set holds *item* (an intersection)."""
    return all(_has(i, item) for i in indexed)


def _subtract(indexed: list[Index], item: object) -> bool:
    """True when the first set holds *item* and the second does not (a difference)."""
    return _has(indexed[0], item) and not _has(indexed[1], item)


def _setproduct(args: list[object]) -> object:
    """`setproduct(sets...)`: every combination, a list of tuples when every argument is a
    list or tuple (in their order), else a set of them."""
    if len(args) < 2:
        raise EvalError("at least two arguments are required")
    seqs = [known(a) for a in args]
    types: list[TypeSpec] = []
    all_lists = True
    for i, seq in enumerate(seqs):
        if seq is None:
            raise EvalError("argument must not be null")
        if isinstance(seq, Unknown):
            return seq
        if not isinstance(seq, list):
            raise EvalError(f"argument {i + 1}: a set or a list is required")
        ty = type_of(seq)
        if isinstance(seq, TfList | TfSet):
            all_lists = all_lists and isinstance(seq, TfList)
            types.append(ty.element)
            continue
        elem = unify(list(ty.items)) if ty.items else ANY
        if elem is None:
            raise EvalError(f"argument {i + 1}: all elements must be of the same type")
        types.append(elem)
    lists = [s for s in seqs if isinstance(s, list)]
    columns = [[convert(v, t) for v in seq] for seq, t in zip(lists, types, strict=True)]
    product: list[list[object]] = [[]]
    for column in columns:  # each step's size checked before it is built
        budget.elements(len(product) * len(column))
        budget.step(len(product) * len(column))
        product = [[*p, item] for p in product for item in column]
    one_type(product, "list" if all_lists else "set", tuple_of(types))  # type: ignore[arg-type]
    if all_lists:
        return TfList(product)
    return make_set(list(product))


LENIENT: dict[str, Callable[[list[object]], object]] = {"setproduct": _setproduct}

FUNCTIONS: dict[str, Callable[..., object]] = {
    "setunion": _operation(_any),
    "setintersection": _operation(_in_all),
    "setsubtract": _operation(_subtract),
}
