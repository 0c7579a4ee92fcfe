"""The evaluator's value model.

Known values are plain Python: None (null), bool, int/float (number), str, list (tuple,
list or set), dict (object or map). On top of those:

- `Unknown` (tablespec's one spelling of it): a value not known from source, with a reason
  naming the expression and its `file:line`; `parts` when it is a string known in part;
  `origin` when it is an attribute of a resource or data source (`aws_kms_key.k.arn`);
  `possible` when it can only be one of a few values (`c ? a : b` with `c` unknown).
- `Tagged`: a known value that remembers which resource attribute it is
  (`aws_dynamodb_table.t.name`), so alarms and KMS keys can be told by reference.
- `LazyObject`: an object whose attributes are computed on first use (module outputs,
  resource instances).
"""

from __future__ import annotations

from collections.abc import Callable

from checker.errors import RunError
from checker.sources.hcl import budget, numbers
from checker.unknown import Origin, Unknown

__all__ = [
    "EvalError",
    "LazyObject",
    "Origin",
    "Tagged",
    "TfList",
    "TfMap",
    "TfSet",
    "Thunk",
    "Unknown",
]


class TfList(list):  # type: ignore[type-arg]
    """A list (every element of one type); a plain Python list is a tuple.

    `elem_type` is the element type (a `ctytypes.TypeSpec`) of an empty one, when known:
    cty's empty `list(string)` is not its empty `list(any)`."""

    elem_type: object = None


class TfSet(list):  # type: ignore[type-arg]
    """A set, its elements in the order cty iterates them (`elem_type`: as a TfList's)."""

    elem_type: object = None


class TfMap(dict):  # type: ignore[type-arg]
    """A map (every value of one type); a plain Python dict is an object (`elem_type`: as
    a TfList's)."""

    elem_type: object = None


def like(model: list[object], items: list[object]) -> list[object]:
    """*items* as the same kind of sequence as *model* (tuple, list or set)."""
    if type(model) is list:
        return items
    out = type(model)(items)
    if not items and isinstance(model, TfList | TfSet) and isinstance(out, TfList | TfSet):
        out.elem_type = model.elem_type
    return out


class EvalError(Exception):
    """An expression Terraform itself would reject (caught by `try`/`can`)."""


class Tagged:
    """A known value that is attribute `origin` of a resource."""

    __slots__ = ("origin", "value")

    def __init__(self, value: object, origin: Origin) -> None:
        self.value = value
        self.origin = origin

    def __repr__(self) -> str:
        return f"Tagged({self.value!r}, {self.origin!r})"


_PENDING, _ACTIVE, _DONE = 0, 1, 2


class Thunk:
    """A value computed once, on first use. A cycle through it is the one-line error
    *cycle* (a local or a variable: Terraform refuses the configuration), else an Unknown;
    a budget spent while computing it makes it an Unknown naming the budget."""

    __slots__ = ("compute", "cycle", "label", "state", "value")

    def __init__(self, label: str, compute: Callable[[], object],
                 cycle: str | None = None) -> None:
        self.label = label
        self.compute = compute
        self.cycle = cycle
        self.state = _PENDING
        self.value: object = None

    def get(self) -> object:
        """The value (computed now if needed)."""
        if self.state == _DONE:
            return self.value
        if self.state == _ACTIVE:
            if self.cycle is not None:
                raise RunError(self.cycle)
            return Unknown(f"{self.label} refers to itself (a cycle)")
        self.state = _ACTIVE
        try:
            value = self.compute()
        except RecursionError:
            value = Unknown(f"{self.label} is nested too deeply to evaluate")
        except budget.BudgetExceeded as exc:
            value = Unknown(exc.at(self.label).reason)
        except BaseException:
            self.state = _PENDING  # not a value, and no longer being computed
            raise
        self.value, self.state = value, _DONE
        return value


class LazyObject:
    """An object (module instance outputs, resource instance) with attributes made on use."""

    __slots__ = ("attrs", "label", "missing")

    def __init__(self, label: str, attrs: dict[str, Thunk],
                 missing: Callable[[str, str], object] | None = None) -> None:
        self.label = label
        self.attrs = attrs
        self.missing = missing

    def get(self, name: str, site: str) -> object:
        """Attribute *name*, read at *site* (`file:line`)."""
        thunk = self.attrs.get(name)
        if thunk is not None:
            return thunk.get()
        if self.missing is not None:
            return self.missing(name, site)
        raise EvalError(f"{self.label} has no attribute {name!r}")

    def materialise(self) -> dict[str, object]:
        """Every attribute, computed."""
        return {k: t.get() for k, t in self.attrs.items()}

    def __repr__(self) -> str:
        return f"LazyObject({self.label!r})"


def untag(value: object) -> object:
    """*value* without its provenance (top level only)."""
    return value.value if isinstance(value, Tagged) else value


def plain(value: object) -> object:
    """*value* untagged, with a LazyObject turned into a dict (top level only)."""
    value = untag(value)
    return value.materialise() if isinstance(value, LazyObject) else value


def deep(value: object) -> object:
    """*value* with provenance dropped and lazy objects computed, all the way down (a step
    each element: shared values can make a walk far longer than the memory they take)."""
    value = plain(value)
    if isinstance(value, list):
        budget.step(len(value) + 1)
        return like(value, [deep(v) for v in value])
    if isinstance(value, dict):
        budget.step(len(value) + 1)
        out = {k: deep(v) for k, v in value.items()}
        if not isinstance(value, TfMap):
            return out
        made = TfMap(out)
        made.elem_type = value.elem_type
        return made
    return value


def find_unknown(value: object) -> Unknown | None:
    """The first unknown anywhere inside *value*, or None when it is wholly known."""
    value = plain(value)
    if isinstance(value, Unknown):
        return value
    if isinstance(value, list):
        budget.step(len(value) + 1)
        items: list[object] = value
    elif isinstance(value, dict):
        budget.step(len(value) + 1)
        items = list(value.values())
    else:
        return None
    for item in items:
        found = find_unknown(item)
        if found is not None:
            return found
    return None


def origin_of(value: object) -> Origin | None:
    """The resource attribute *value* is, if it remembers one."""
    if isinstance(value, Tagged | Unknown):
        return value.origin
    return None


is_number = numbers.is_number


def number(value: float | numbers.Num) -> numbers.Number:
    """A number in its plainest form: 5.0 -> 5, a float not whole a 53-bit `Num`."""
    if isinstance(value, float):
        return numbers.from_float(value)
    return value


def type_name(value: object) -> str:
    """Terraform's name for the type of *value*."""
    value = plain(value)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if is_number(value):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return {TfList: "list", TfSet: "set"}.get(type(value), "tuple")
    if isinstance(value, dict):
        return "map" if isinstance(value, TfMap) else "object"
    return "unknown"


def to_text(value: object) -> str:
    """A known primitive as a template shows it; EvalError for collections and null."""
    value = untag(value)
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if is_number(value):
        assert isinstance(value, int | float | numbers.Num)
        return numbers.text(value)
    if value is None:
        raise EvalError("cannot include a null value in a string template")
    raise EvalError(f"cannot include a {type_name(value)} in a string template")


def equal(a: object, b: object) -> bool | Unknown:
    """`a == b` by value; Unknown when either side is not wholly known."""
    a, b = deep(a), deep(b)
    unknown = find_unknown(a) or find_unknown(b)
    if unknown is not None:
        return unknown
    return same(a, b)


def same(a: object, b: object) -> bool:
    """Wholly known *a* and *b* are equal as cty compares: of one type (a tuple is not a
    list, an object not a map), numbers by value."""
    if is_number(a) and is_number(b):
        assert isinstance(a, int | float | numbers.Num) and isinstance(b, int | float | numbers.Num)
        return same_number(a, b)
    if type(a) is not type(b):
        return False
    if isinstance(a, list):
        assert isinstance(b, list)
        budget.step(len(a))
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict):
        assert isinstance(b, dict)
        budget.step(len(a))
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    return a == b


def same_number(a: numbers.Number, b: numbers.Number) -> bool:
    """cty's equality of numbers: whole ones exactly, others when they show the same
    decimal text (0.1 from a float64 `pow` equals the literal 0.1)."""
    if isinstance(a, numbers.Num) and isinstance(b, numbers.Num):
        return a.q == b.q or numbers.text(a) == numbers.text(b)
    return numbers.compare(a, b) == 0


def mark(value: object, origin: Origin) -> object:
    """*value* remembered as attribute *origin* (an Unknown keeps its reason)."""
    if isinstance(value, Unknown):
        return value.but(origin=origin)
    if isinstance(value, Tagged):
        return Tagged(value.value, origin)
    return Tagged(value, origin)
