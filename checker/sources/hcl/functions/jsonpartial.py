"""Functions of values known only in part that still say what they know (`PARTIAL`).

`jsonencode(x)` of an `x` whose structure is known (every object's keys, every list's
length) but some of whose leaves are not is an Unknown whose `decoded` is `x` as plain
JSON-shaped data (dicts with string keys, lists, str, bool, int, float, None) with the
Unknown leaves left in place: a policy written with `jsonencode` can be read before apply.
An `x` unknown as a whole stays a bare Unknown. The walk is iterative and counted against
the evaluator's budgets, as `cty_json` is.
"""

from __future__ import annotations

from collections.abc import Callable

from checker.sources.hcl import budget, numbers
from checker.sources.hcl.valuemodel import EvalError, Unknown, plain, type_name

Partial = Callable[[list[object], Unknown], object]


def _leaf(value: object) -> object:
    """A known primitive (or an Unknown leaf) as JSON-shaped data; EvalError for what
    JSON cannot hold."""
    if value is None or isinstance(value, bool | str | Unknown):
        return value
    if isinstance(value, int):
        return int(value)  # a `Wide` (or negative zero) as a plain int
    if isinstance(value, numbers.Num):
        return float(value)
    if isinstance(value, float):
        raise EvalError("an infinite number cannot be written as JSON")
    raise EvalError(f"a {type_name(value)} cannot be written as JSON")


def decoded(value: object) -> object | None:
    """*value* as JSON-shaped data with its Unknown leaves in place; None when *value* is
    unknown as a whole. Lists of every kind (tuple, list, set) become lists, maps and
    objects dicts; provenance is dropped and lazy objects computed."""
    root = plain(value)
    if isinstance(root, Unknown):
        return None
    holder: list[object] = [None]
    # (value still to convert, the container to put it in, its index or key there)
    stack: list[tuple[object, list[object] | dict[str, object], int | str]] = [
        (root, holder, 0)]
    while stack:
        item, into, at = stack.pop()
        budget.step()
        item = plain(item)
        made: object
        if isinstance(item, list):
            budget.elements(len(item))
            elements: list[object] = [None] * len(item)
            stack.extend((element, elements, i) for i, element in enumerate(item))
            made = elements
        elif isinstance(item, dict):
            budget.elements(len(item))
            members: dict[str, object] = dict.fromkeys(item)
            stack.extend((member, members, key) for key, member in item.items())
            made = members
        else:
            made = _leaf(item)
        into[at] = made  # type: ignore[index]  # an index into a list, a key into a dict
    return holder[0]


def jsonencode(args: list[object], unknown: Unknown) -> Unknown:
    """`jsonencode(val)` of a *val* not wholly known (*unknown*: the first unknown in it):
    an Unknown with the reason it has always had, and `decoded` where *val*'s shape is
    known."""
    shape = decoded(args[0])
    return Unknown(unknown.reason) if shape is None else Unknown(unknown.reason,
                                                                 decoded=shape)


PARTIAL: dict[str, Partial] = {"jsonencode": jsonencode}

__all__ = ["PARTIAL", "decoded"]
