"""cty's type unification (`convert.UnifyUnsafe`): the one type a set of types can all be
converted to, as cty finds it when a tuple becomes a list, an object a map, or a function
needs its arguments of one type. Number and string unify to string, bool and string to
string, number and bool to nothing; objects with the same attributes unify attribute by
attribute, others to a map; tuples of one length element by element, others to a list.
"""

from __future__ import annotations

from collections.abc import Callable

from checker.sources.hcl import budget
from checker.sources.hcl.ctytypes import ANY, STRING, TypeSpec, collection, object_of, tuple_of

STRUCTURAL = ("map", "list", "set", "object", "tuple")


class Unifier:
    """cty's unification, given which types convert to which (`ctyconvert`, which makes the
    one Unifier and offers its `unify`: conversion and unification call each other)."""

    def __init__(self, convertible: Callable[[TypeSpec, TypeSpec], bool]) -> None:
        self.convertible = convertible

    def unify(self, types: list[TypeSpec]) -> TypeSpec | None:
        """The type all of *types* convert to (cty's unsafe unification), or None."""
        if not types:
            return None
        budget.step(len(types))
        distinct = list(dict.fromkeys(types))
        if len(distinct) == 1:
            return distinct[0]
        counts = {kind: 0 for kind in (*STRUCTURAL, "any")}
        for ty in distinct:
            if ty.kind in counts:
                counts[ty.kind] += 1
        total, dynamic = len(distinct), counts["any"]
        for kind in ("map", "list"):  # all of a kind, or that kind and its structural sibling
            sibling = "object" if kind == "map" else "tuple"
            if counts[kind] and counts[kind] + dynamic == total:
                return ANY if dynamic else self._collections(kind, distinct)
            if counts[kind] and counts[kind] + counts[sibling] + dynamic == total:
                found = self._structural_as_collection(kind, sibling, distinct)
                if found is not None:
                    return found
                break
        else:
            if counts["set"] and counts["set"] + dynamic == total:
                return ANY if dynamic else self._collections("set", distinct)
            if counts["object"] and counts["object"] + dynamic == total:
                return ANY if dynamic else self._objects(distinct)
            if counts["tuple"] and counts["tuple"] + dynamic == total:
                return ANY if dynamic else self._tuples(distinct)
            if counts["object"] and counts["tuple"]:
                return None
        return self._by_preference(distinct)

    def _by_preference(self, types: list[TypeSpec]) -> TypeSpec | None:
        """The first type, most general first, that every other converts to."""
        for want in (types[i] for i in _sort(types)):
            if all(t == want or self.convertible(t, want) for t in types):
                return want
        return None

    def _collections(self, kind: str, types: list[TypeSpec]) -> TypeSpec | None:
        """Lists (sets, maps) of element types that unify."""
        elem = self.unify([t.element for t in types])
        return None if elem is None else collection(kind, elem)

    def _structural_as_collection(self, kind: str, sibling: str, types: list[TypeSpec]
                                  ) -> TypeSpec | None:
        """Lists and tuples as a list (maps and objects as a map), when the tuples (objects)
        make a list (map) that unifies with the rest."""
        structs = [t for t in types if t.kind == sibling]
        as_one = (self._tuples_as_list(structs) if sibling == "tuple"
                  else self._objects_as_map(structs))
        if as_one is None:
            return None
        found = self.unify([as_one if t.kind == sibling else t for t in types])
        return found if found is not None and found.kind == kind else None

    def _objects(self, types: list[TypeSpec]) -> TypeSpec | None:
        """Objects with the same attribute names, attribute by attribute; else as a map."""
        names = types[0].attrs.keys()
        if any(t.attrs.keys() != names for t in types[1:]):
            return self._objects_as_map(types)
        attrs: dict[str, TypeSpec] = {}
        for name in names:
            found = self.unify([t.attrs[name].type for t in types])
            if found is None:
                return None
            attrs[name] = found
        out = object_of(attrs)
        if all(t == out or self.convertible(t, out) for t in types):
            return out
        return self._objects_as_map(types)

    def _objects_as_map(self, types: list[TypeSpec]) -> TypeSpec | None:
        """Objects as a map of the type all their attributes unify to."""
        elem = self.unify([a.type for t in types for a in t.attrs.values()])
        if elem is None:
            return None
        out = collection("map", elem)
        if all(t == out or self.convertible(t, out) for t in types):
            return out
        return None

    def _tuples(self, types: list[TypeSpec]) -> TypeSpec | None:
        """Tuples of one length, element by element; else as a list."""
        length = len(types[0].items)
        if any(len(t.items) != length for t in types[1:]):
            return self._tuples_as_list(types)
        items: list[TypeSpec] = []
        for i in range(length):
            found = self.unify([t.items[i] for t in types])
            if found is None:
                return None
            items.append(found)
        out = tuple_of(items)
        if all(t == out or self.convertible(t, out) for t in types):
            return out
        return self._tuples_as_list(types)

    def _tuples_as_list(self, types: list[TypeSpec]) -> TypeSpec | None:
        """Tuples as a list of the type all their elements unify to."""
        elem = self.unify([e for t in types for e in t.items])
        if elem is None:
            return None
        out = collection("list", elem)
        if all(t == out or self.convertible(t, out) for t in types):
            return out
        return None


def compare(a: TypeSpec, b: TypeSpec) -> int:
    """cty's preference between two types: -1 when *a* is the more general, 1 when *b*."""
    if a.kind == "any" or b.kind == "any":
        return (a.kind == "any") - (b.kind == "any")
    prims = ("string", "number", "bool")
    if a.kind in prims and b.kind in prims and STRING in (a, b):
        return (b == STRING) - (a == STRING)
    if a.kind == b.kind and a.kind in ("list", "set", "map"):
        return compare(a.element, b.element)
    swap = 1
    if (a.kind, b.kind) in (("tuple", "list"), ("object", "map"), ("set", "tuple"),
                            ("set", "list")):
        a, b, swap = b, a, -1
    if b.kind == "set" and a.kind in ("tuple", "list"):
        return -swap
    if (a.kind, b.kind) in (("list", "tuple"), ("map", "object")):
        return -swap
    if a.kind == b.kind == "object":
        if a.attrs.keys() != b.attrs.keys():
            return 0
        pairs = [(t.type, b.attrs[k].type) for k, t in a.attrs.items()]
    elif a.kind == b.kind == "tuple":
        if len(a.items) != len(b.items):
            return 0
        pairs = list(zip(a.items, b.items, strict=True))
    else:
        return 0
    results = {compare(x, y) for x, y in pairs}
    if -1 in results and 1 in results:
        return 0
    if -1 in results:
        return -swap
    return swap if 1 in results else 0


def _sort(types: list[TypeSpec]) -> list[int]:
    """cty's sortTypes: indexes of *types*, most general first (a topological order)."""
    n = len(types)
    budget.step(n * n)
    edges: list[list[int]] = [[] for _ in range(n)]
    for i in range(n - 1):
        for j in range(i + 1, n):
            cmp = compare(types[i], types[j])
            if cmp < 0:
                edges[i].append(j)
            elif cmp > 0:
                edges[j].append(i)
    degree = [0] * n
    for outs in edges:
        for j in outs:
            degree[j] += 1
    order = [i for i in range(n) if degree[i] == 0]
    k = 0
    while k < len(order):
        for j in edges[order[k]]:
            degree[j] -= 1
            if degree[j] == 0:
                order.append(j)
        k += 1
    return order


__all__ = ["ANY", "Unifier", "compare"]
