"""cty's type conversion (`convert.Convert`, unsafe): a value made a given type.

`get_conversion(have, want)` is cty's getConversion: None when no conversion exists
between the two types, else a function converting a value of type *have*; it fails
(EvalError) only where cty fails on the value itself (`"x"` to a number). A null or an
unknown converts to itself. An `optional()` attribute's default is applied where the
attribute is absent or null (what `defaults` computes it from).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from checker.sources.hcl import budget
from checker.sources.hcl.ctyprimitive import PRIMITIVE
from checker.sources.hcl.ctysets import make_set
from checker.sources.hcl.ctytypes import (
    COLLECTIONS,
    TypeSpec,
    empty,
    fill,
    friendly_constraint,
    is_primitive,
    type_of,
)
from checker.sources.hcl.ctyunify import Unifier
from checker.sources.hcl.valuemodel import (
    EvalError,
    LazyObject,
    Tagged,
    TfList,
    TfMap,
    Unknown,
    untag,
)

if TYPE_CHECKING:
    from checker.sources.hcl.exprnodes import Expr

Conv = Callable[[object], object]
Defaults = Callable[["Expr"], object] | None


def unify(types: list[TypeSpec]) -> TypeSpec | None:
    """The type all of *types* convert to (cty's unsafe unification, `ctyunify`), or None."""
    return _UNIFIER.unify(types)


def convert(value: object, want: TypeSpec, defaults: Defaults = None) -> object:
    """*value* as type *want* (cty's Convert); EvalError when it cannot be."""
    budget.step()
    if want.kind == "any":
        return value
    have = type_of(value)
    if have == want:
        return value
    conv = get_conversion(have, want, defaults)
    if conv is None:
        raise EvalError(mismatch(have, want))
    return conv(value)


def get_conversion(have: TypeSpec, want: TypeSpec, defaults: Defaults = None) -> Conv | None:
    """How a value of type *have* becomes type *want*, or None when it cannot."""
    conv = _conversion(have, want, defaults)
    if conv is None or want.kind == "any":
        return conv
    inner = conv

    def run(value: object) -> object:
        """Nulls and unknowns as they are; provenance kept where the value is unchanged."""
        raw = untag(value)
        if raw is None or isinstance(raw, Unknown):
            return value
        out = inner(raw.materialise() if isinstance(raw, LazyObject) else raw)
        if isinstance(value, Tagged) and out == raw:
            return Tagged(out, value.origin)
        return out

    return run


def _same(value: object) -> object:
    """The value as it is (a conversion to its own type, or to any type)."""
    return value


def _conversion(have: TypeSpec, want: TypeSpec, defaults: Defaults) -> Conv | None:
    """cty's getConversionKnown."""
    if want.kind == "any" or have == want:
        return _same
    if have.kind == "any":
        return lambda value: convert(value, want, defaults)
    if is_primitive(have) and is_primitive(want):
        return PRIMITIVE.get((have.kind, want.kind))
    kinds = (have.kind, want.kind)
    if kinds == ("object", "object"):
        return _object_to_object(have, want, defaults)
    if kinds == ("tuple", "tuple"):
        return _tuple_to_tuple(have, want, defaults)
    if have.kind in ("list", "set") and want.kind in ("list", "set"):
        elem = None if have.element == want.element else get_conversion(
            have.element, want.element, defaults)
        if elem is None and have.element != want.element:
            return None
        elem_type = have.element if want.element.kind == "any" else want.element
        return _to_sequence(want.kind, elem, elem_type)
    if kinds == ("map", "map"):
        elem = get_conversion(have.element, want.element, defaults)
        elem_type = have.element if want.element.kind == "any" else want.element
        return None if elem is None else _to_map(elem_type, elem)
    if kinds in (("tuple", "list"), ("tuple", "set")):
        return _tuple_to_sequence(have, want, defaults)
    if kinds == ("object", "map"):
        return _object_to_map(have, want.element, defaults)
    if kinds == ("map", "object"):
        return _map_to_object(have, want, defaults)
    return None


def _object_to_object(have: TypeSpec, want: TypeSpec, defaults: Defaults) -> Conv | None:
    """Attribute by attribute; attributes *want* has not are dropped."""
    convs: dict[str, Conv | None] = {}
    for name, attr in want.attrs.items():
        if name not in have.attrs:
            if not attr.optional:
                return None
            continue
        source = have.attrs[name].type
        convs[name] = None if source == attr.type else get_conversion(source, attr.type,
                                                                      defaults)
        if convs[name] is None and source != attr.type:
            return None

    def run(value: object) -> object:
        """The object converted."""
        assert isinstance(value, dict)
        out: dict[str, object] = {}
        for name, attr in want.attrs.items():
            item = value.get(name)
            conv = convs.get(name)
            item = conv(item) if conv is not None and name in convs else item
            if untag(item) is None and attr.default is not None and defaults is not None:
                item = convert(defaults(attr.default), attr.type, defaults)
            out[name] = item
        return out

    return run


def _tuple_to_tuple(have: TypeSpec, want: TypeSpec, defaults: Defaults) -> Conv | None:
    """Element by element, of one length."""
    if len(have.items) != len(want.items):
        return None
    convs = [None if a == b else get_conversion(a, b, defaults)
             for a, b in zip(have.items, want.items, strict=True)]
    if any(c is None and a != b for c, a, b in zip(convs, have.items, want.items,
                                                    strict=True)):
        return None

    def run(value: object) -> object:
        """The tuple converted."""
        return [c(v) if c is not None else v for c, v in _pairs(convs, value)]

    return run


def _pairs(convs: list[Conv | None], value: object) -> list[tuple[Conv | None, object]]:
    """Each element of tuple *value* with its conversion."""
    if not isinstance(value, list) or len(value) != len(convs):
        raise EvalError(f"a tuple of {len(convs)} elements is required")
    return list(zip(convs, value, strict=True))


def _to_sequence(kind: str, elem: Conv | None, elem_type: TypeSpec) -> Conv:
    """A list or set as a list (or a set)."""
    def run(value: object) -> object:
        """The collection converted."""
        assert isinstance(value, list)
        if not value:
            return empty(kind, elem_type)
        budget.step(len(value))
        items = [elem(v) for v in value] if elem is not None else list(value)
        return TfList(items) if kind == "list" else make_set(items)
    return run


def _to_map(elem_type: TypeSpec, elem: Conv) -> Conv:
    """A map as a map of another element type."""
    def run(value: object) -> object:
        """The map converted."""
        assert isinstance(value, dict)
        if not value:
            return empty("map", elem_type)
        out = {k: elem(v) for k, v in value.items()}
        if elem_type.kind in (*COLLECTIONS, "object"):
            out = dict(zip(out, _unified(list(out.values())), strict=True))
        return TfMap(out)
    return run


def _tuple_to_sequence(have: TypeSpec, want: TypeSpec, defaults: Defaults) -> Conv | None:
    """A tuple as a list or a set: its elements unified when *want*'s are of any type."""
    kind, elem_type = want.kind, want.element
    if not have.items:
        return lambda value: empty(kind, elem_type)
    if elem_type.kind == "any":
        found = unify(list(have.items))
        if found is None or (found.kind == "any"
                             and any(t.kind != "any" for t in have.items)):
            return None
        elem_type = found
    convs = [None if t == elem_type else get_conversion(t, elem_type, defaults)
             for t in have.items]
    if any(c is None and t != elem_type for c, t in zip(convs, have.items, strict=True)):
        return None

    def run(value: object) -> object:
        """The tuple converted."""
        items = [c(v) if c is not None else v for c, v in _pairs(convs, value)]
        if kind == "list":
            items = _unified(items)
        one_type(items, kind, elem_type)
        return TfList(items) if kind == "list" else make_set(items)

    return run


def _object_to_map(have: TypeSpec, elem_type: TypeSpec, defaults: Defaults) -> Conv | None:
    """An object as a map: its attributes unified when the map's elements are of any type."""
    if not have.attrs:
        return lambda value: empty("map", elem_type)
    types = have.attr_types()
    if elem_type.kind == "any":
        found = unify(list(types.values()))
        if found is None:
            return None
        elem_type = found
    convs = {k: None if t == elem_type else get_conversion(t, elem_type, defaults)
             for k, t in types.items()}
    if any(c is None and types[k] != elem_type for k, c in convs.items()):
        return None

    def run(value: object) -> object:
        """The object converted."""
        assert isinstance(value, dict)
        out = {k: (convs[k](v) if convs.get(k) is not None else v)  # type: ignore[misc]
               for k, v in value.items()}
        if elem_type.kind in (*COLLECTIONS, "object"):
            out = dict(zip(out, _unified(list(out.values())), strict=True))
        one_type(list(out.values()), "map", elem_type)
        return TfMap(out)

    return run


def _map_to_object(have: TypeSpec, want: TypeSpec, defaults: Defaults) -> Conv | None:
    """A map as an object: its keys not in *want* dropped."""
    elem = have.element
    convs: dict[str, Conv | None] = {}
    for name, attr in want.attrs.items():
        convs[name] = None if attr.type == elem else get_conversion(elem, attr.type, defaults)
        if convs[name] is None and attr.type != elem and not attr.optional:
            return None

    def run(value: object) -> object:
        """The map converted."""
        assert isinstance(value, dict)
        out: dict[str, object] = {}
        for name, attr in want.attrs.items():
            if name not in value:
                if not attr.optional:
                    raise EvalError(f'map has no element for required attribute "{name}"')
                item: object = None
            elif convs[name] is None and attr.type != elem:
                raise EvalError(f'map element type is incompatible with attribute "{name}"')
            else:
                conv = convs[name]
                item = conv(value[name]) if conv is not None else value[name]
            if untag(item) is None and attr.default is not None and defaults is not None:
                item = convert(defaults(attr.default), attr.type, defaults)
            out[name] = item
        return out

    return run


def _unified(items: list[object]) -> list[object]:
    """Elements converted to the one type their types unify to (cty's
    conversionUnifyListElements)."""
    if not items:
        return items
    types = [type_of(v) for v in items]
    found = unify(types)
    if found is None:
        raise EvalError("cannot find a common base type for all elements")
    out: list[object] = []
    for item, ty in zip(items, types, strict=True):
        if ty != found:
            conv = get_conversion(ty, found)
            if conv is None:
                raise EvalError("cannot find a common base type for all elements")
            item = conv(item)
        out.append(item)
    return out


def one_type(items: list[object], kind: str, elem_type: TypeSpec) -> None:
    """EvalError unless *items*, converted to *elem_type*, are all of one type (cty's
    CanListVal): a null where *elem_type* is known is of that type, as cty converted it;
    where it is `any`, of no type but its own (`set(any)` is not `set(string)`)."""
    first = None
    for item in items:
        ty = type_of(item)
        if ty.kind == "any":
            continue
        ty = fill(ty, elem_type)
        if first is None:
            first = ty
        elif first != ty:
            raise EvalError(f"element types must all match for conversion to {kind}")


def mismatch(have: TypeSpec, want: TypeSpec) -> str:
    """Why *have* cannot become *want* (cty's MismatchMessage, its common cases)."""
    if have.kind == "object" and want.kind == "object":
        missing = sorted(k for k, a in want.attrs.items()
                         if not a.optional and k not in have.attrs)
        if missing:
            return f'attribute "{missing[0]}" is required'
        for name, attr in want.attrs.items():
            source = have.attrs.get(name)
            if source is not None and get_conversion(source.type, attr.type) is None:
                return f'attribute "{name}": {mismatch(source.type, attr.type)}'
        return "incorrect object attributes"
    if want.kind in COLLECTIONS and want.element.kind == "any" and (
            (have.kind, want.kind) in (("tuple", "list"), ("tuple", "set"),
                                       ("object", "map"))):
        return f"all {want.kind} elements must have the same type"
    if have.kind in COLLECTIONS and want.kind in COLLECTIONS and (
            have.kind == want.kind or {have.kind, want.kind} == {"list", "set"}):
        return (f"incorrect {want.kind} element type: "
                f"{mismatch(have.element, want.element)}")
    return f"{friendly_constraint(want)} required"


_UNIFIER = Unifier(lambda have, want: get_conversion(have, want) is not None)
