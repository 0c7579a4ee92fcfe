"""Map and object functions that keep known parts known: merge, lookup, keys, values,
zipmap. A map's result is a map (`TfMap`, and its keys or values a list), an object's an
object (and a tuple)."""

from __future__ import annotations

from collections.abc import Callable

from checker.sources.hcl import budget
from checker.sources.hcl.ctyconvert import convert
from checker.sources.hcl.ctytypes import STRING, list_of, type_of
from checker.sources.hcl.functions.params import kind_name, known, param
from checker.sources.hcl.valuemodel import (
    EvalError,
    TfList,
    TfMap,
    TfSet,
    Unknown,
    find_unknown,
    plain,
)

_NOT_NULL = "argument must not be null"


def _merge(args: list[object]) -> object:
    """`merge(maps...)`: unknown only when a whole argument is; a map when every argument is
    a map of one type, else an object."""
    out: dict[str, object] = {}
    maps: list[TfMap] = []
    dynamic = objects = False
    for arg in args:
        value = known(arg)
        if isinstance(value, Unknown):
            return value
        if value is None:
            dynamic = True
            continue
        if dynamic and isinstance(value, list) and not value:
            continue  # after a null, cty no longer checks types: an empty tuple adds nothing
        if not isinstance(value, dict):
            raise EvalError(f'arguments must be maps or objects, got "{kind_name(value)}"')
        budget.elements(len(out) + len(value))
        if isinstance(value, TfMap):
            maps.append(value)
        else:
            objects = True
        out.update(value)
    if maps and not (dynamic or objects) and len({type_of(m) for m in maps}) == 1:
        return TfMap(out)  # maps all of one type; else an object
    return out


def _lookup(args: list[object]) -> object:
    """`lookup(map, key, default?)`: a map's default converted to its element type."""
    if len(args) > 3:
        raise EvalError(f"lookup() takes two or three arguments, got {len(args)}")
    table, key = known(args[0]), known(param("lookup", 1, args[1]))
    if table is None:
        raise EvalError(_NOT_NULL)
    if isinstance(table, Unknown):
        return table
    if not isinstance(table, dict):
        raise EvalError("lookup() requires a map as the first argument")
    default: object = args[2] if len(args) == 3 else None
    if isinstance(table, TfMap) and len(args) == 3:
        try:
            default = convert(default, type_of(table).element)
        except EvalError:
            raise EvalError("the default value must have the same type as the map "
                            "elements") from None
    if isinstance(key, Unknown):
        return key
    assert isinstance(key, str)
    if key in table:
        return table[key]
    if len(args) == 3:
        return default
    if isinstance(table, TfMap):
        raise EvalError(f'lookup failed to find key "{key[:40]}"')
    raise EvalError(f'the given object has no attribute "{key[:40]}"')


def _mapping(value: object, problem: str) -> dict[str, object] | Unknown:
    """A map or object argument (or Unknown); EvalError for null or another type."""
    raw = known(value)
    if raw is None:
        raise EvalError(_NOT_NULL)
    if not isinstance(raw, Unknown | dict):
        raise EvalError(problem)
    return raw


def _keys(args: list[object]) -> object:
    """`keys(map)`: a sorted list of a map's keys; a tuple of an object's."""
    table = _mapping(args[0], "must have map or object type")
    if isinstance(table, Unknown):
        return table
    names = sorted(table)
    return list_of(names, STRING) if isinstance(table, TfMap) else names


def _values(args: list[object]) -> object:
    """`values(map)`: a list of a map's values, a tuple of an object's, by key."""
    table = _mapping(args[0], "values() requires a map as the first argument")
    if isinstance(table, Unknown):
        return table
    out = [table[k] for k in sorted(table)]
    return list_of(out, type_of(table).element) if isinstance(table, TfMap) else out


def _zipmap(args: list[object]) -> object:
    """`zipmap(keys, values)`: a map from a list of values, an object from a tuple."""
    keys, values = known(param("zipmap", 0, args[0])), known(args[1])
    if values is None:
        raise EvalError(_NOT_NULL)
    if isinstance(keys, Unknown):
        return keys
    if isinstance(values, Unknown):
        return values
    if not isinstance(values, list) or isinstance(values, TfSet):
        raise EvalError("values argument must be a list or tuple value")
    assert isinstance(keys, list)
    unknown = find_unknown(keys)
    if unknown is not None:
        return Unknown(unknown.reason)
    if len(keys) != len(values):
        raise EvalError(f"number of keys ({len(keys)}) does not match number of values "
                        f"({len(values)})")
    out: dict[str, object] = {}
    for i, (key, value) in enumerate(zip(keys, values, strict=True)):
        name = plain(key)
        if not isinstance(name, str):
            raise EvalError(f"keys list has null value at index {i}")
        out[name] = value
    return TfMap(out) if isinstance(values, TfList) else out


LENIENT: dict[str, Callable[[list[object]], object]] = {
    "merge": _merge, "lookup": _lookup, "keys": _keys, "values": _values, "zipmap": _zipmap,
}
