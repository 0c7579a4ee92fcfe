"""Reading evaluated CloudFormation properties: an object's member, a list, a required
value, a list of strings, where a value may be an `Unknown` that knows what it can only be
(a property written under `Fn::If`; AWS::NoValue among them: left out)."""

from __future__ import annotations

from typing import TypeVar

from checker.sources.cfn.intrinsics import NO_VALUE
from checker.sources.typed import string, wrong_type
from checker.unknown import Maybe, Unknown, invalid

T = TypeVar("T")


def member(value: object, key: str, where: str) -> object:
    """Property *key* of the object *value* (None when either is left out); of each object
    an Unknown can only be, when it knows them."""
    if value is None or value is NO_VALUE:
        return None
    if isinstance(value, dict):
        return value.get(key)
    if isinstance(value, Unknown):
        if not value.possible:
            return value
        found = [member(v, key, where) for v in value.possible]
        if any(isinstance(f, Unknown) for f in found):
            return value.but(possible=None)
        first = found[0]
        return first if all(f == first for f in found) else value.but(possible=tuple(found))
    return wrong_type(where, value, "an object")


def items(value: object, where: str) -> Maybe[list[object]]:
    """A list property (left out: empty)."""
    if value is None:
        return []
    if isinstance(value, list):
        return value
    if isinstance(value, Unknown):
        return Unknown(value.reason, value.kind, origin=value.origin)
    return wrong_type(where, value, "a list")


def required(value: Maybe[T | None], where: str) -> Maybe[T]:
    return invalid(f"{where} is not set") if value is None else value


def strings(items: list[object], where: str) -> Maybe[tuple[str, ...]]:
    out: list[str] = []
    for i, item in enumerate(items):
        found = string(item, f"{where}[{i}]")
        if found is None or isinstance(found, Unknown):
            return found if isinstance(found, Unknown) else invalid(f"{where}[{i}] is null")
        out.append(found)
    return tuple(out)


def pairs(value: object, where: str, key: str, value_key: str
          ) -> Maybe[dict[str, Maybe[str]]]:
    """A list of {KEY: name, VALUE: text} (Tags, Dimensions) as a map (left out: empty)."""
    found = items(value, where)
    if isinstance(found, Unknown):
        return found
    out: dict[str, Maybe[str]] = {}
    for i, item in enumerate(found):
        spot = f"{where}[{i}]"
        name = required(string(member(item, key, spot), f"{spot}.{key}"), f"{spot}.{key}")
        if isinstance(name, Unknown):
            return name
        out[name] = required(string(member(item, value_key, spot), f"{spot}.{value_key}"),
                             f"{spot}.{value_key}")
    return out
