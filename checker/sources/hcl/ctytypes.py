"""cty's types: the type of a value, equality of types, and their names in messages.

A type is a `TypeSpec`: `string`, `number`, `bool`, `any` (cty's DynamicPseudoType: any
type, and the type of a null or an unknown, which tablespec does not type), `list(T)`,
`set(T)`, `map(T)`, `tuple([...])`, `object({...})`. The same class is a variable's type
constraint: an object attribute may be `optional()`, with a default expression.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from checker.sources.hcl import budget
from checker.sources.hcl.valuemodel import TfList, TfMap, TfSet, Unknown, is_number, plain

if TYPE_CHECKING:
    from checker.sources.hcl.exprnodes import Expr

PRIMITIVES = ("string", "number", "bool")
COLLECTIONS = ("list", "set", "map")


@dataclass(frozen=True, slots=True)
class ObjectAttr:
    """One attribute of an object type."""

    type: TypeSpec
    optional: bool = False
    default: Expr | None = None


@dataclass(frozen=True, slots=True)
class TypeSpec:
    """A type, or a type constraint: `string`, `list(T)`, `object({...})`..."""

    kind: str
    elem: TypeSpec | None = None
    items: tuple[TypeSpec, ...] = ()
    attrs: dict[str, ObjectAttr] = field(default_factory=dict)

    def __hash__(self) -> int:
        """A hash consistent with equality (the attributes' names stand for them)."""
        return hash((self.kind, self.elem, self.items, tuple(sorted(self.attrs))))

    @property
    def element(self) -> TypeSpec:
        """The element type of a list, set or map (`any` when not given)."""
        return self.elem if self.elem is not None else ANY

    def attr_types(self) -> dict[str, TypeSpec]:
        """An object's attribute types, by name."""
        return {name: attr.type for name, attr in self.attrs.items()}


ANY = TypeSpec("any")
STRING = TypeSpec("string")
NUMBER = TypeSpec("number")
BOOL = TypeSpec("bool")
EMPTY_TUPLE = TypeSpec("tuple")
EMPTY_OBJECT = TypeSpec("object")


def collection(kind: str, elem: TypeSpec) -> TypeSpec:
    """`list(elem)`, `set(elem)` or `map(elem)`."""
    return TypeSpec(kind, elem=elem)


def tuple_of(items: list[TypeSpec] | tuple[TypeSpec, ...]) -> TypeSpec:
    """`tuple([items...])`."""
    return TypeSpec("tuple", items=tuple(items))


def object_of(attrs: dict[str, TypeSpec]) -> TypeSpec:
    """`object({name = type, ...})`."""
    return TypeSpec("object", attrs={k: ObjectAttr(t) for k, t in attrs.items()})


def type_of(value: object) -> TypeSpec:
    """The cty type of *value* (`any` for a null or an unknown; a list's, set's or map's
    element type is the most precise type of its elements)."""
    budget.step()
    value = plain(value)
    if value is None or isinstance(value, Unknown):
        return ANY
    if isinstance(value, bool):
        return BOOL
    if isinstance(value, str):
        return STRING
    if is_number(value):
        return NUMBER
    if isinstance(value, TfList | TfSet):
        kind = "list" if isinstance(value, TfList) else "set"
        return TypeSpec(kind, elem=common([type_of(v) for v in value]) if value
                        else _empty_elem(value))
    if isinstance(value, list):
        return TypeSpec("tuple", items=tuple(type_of(v) for v in value))
    if isinstance(value, TfMap):
        return TypeSpec("map", elem=common([type_of(v) for v in value.values()]) if value
                        else _empty_elem(value))
    if isinstance(value, dict):
        return TypeSpec("object", attrs={k: ObjectAttr(type_of(v)) for k, v in value.items()})
    return ANY


def _empty_elem(value: TfList | TfSet | TfMap) -> TypeSpec:
    """The element type of an empty list, set or map (`any` when not recorded)."""
    return value.elem_type if isinstance(value.elem_type, TypeSpec) else ANY


def empty(kind: str, elem: TypeSpec) -> TfList | TfSet | TfMap:
    """An empty list, set or map of element type *elem*."""
    out = TfList() if kind == "list" else TfSet() if kind == "set" else TfMap()
    out.elem_type = elem
    return out


def list_of(items: Iterable[object], elem: TypeSpec) -> TfList:
    """A list of *items*, of element type *elem* when it is empty."""
    out = TfList(items)
    if not out:
        out.elem_type = elem
    return out


def common(types: list[TypeSpec]) -> TypeSpec:
    """The type of a collection's elements: their types with `any` (a null) filled in from
    the others."""
    found = list(dict.fromkeys(types))
    out = ANY
    for ty in found:
        out = fill(out, ty)
    return out


def fill(a: TypeSpec, b: TypeSpec) -> TypeSpec:
    """*a* with its `any` parts taken from *b* where the two have the same shape."""
    if a.kind == "any":
        return b
    if b.kind == "any" or a == b or a.kind != b.kind:
        return a
    if a.kind in COLLECTIONS:
        return TypeSpec(a.kind, elem=fill(a.element, b.element))
    if a.kind == "tuple" and len(a.items) == len(b.items):
        return tuple_of([fill(x, y) for x, y in zip(a.items, b.items, strict=True)])
    if a.kind == "object" and a.attrs.keys() == b.attrs.keys():
        return object_of({k: fill(t.type, b.attrs[k].type) for k, t in a.attrs.items()})
    return a


def is_primitive(ty: TypeSpec) -> bool:
    """True for string, number and bool."""
    return ty.kind in PRIMITIVES


def friendly(ty: TypeSpec) -> str:
    """cty's FriendlyName of a type (`list of string`)."""
    if ty.kind == "any":
        return "dynamic"
    if ty.kind in COLLECTIONS:
        return f"{ty.kind} of {friendly(ty.element)}"
    return ty.kind


def friendly_constraint(ty: TypeSpec) -> str:
    """cty's FriendlyNameForConstraint (`any type`, `list of any single type`)."""
    if ty.kind == "any":
        return "any type"
    if ty.kind in COLLECTIONS:
        elem = ty.element
        return f"{ty.kind} of " + ("any single type" if elem.kind == "any"
                                   else friendly_constraint(elem))
    return ty.kind
