"""Values read as the type their schema says, or `invalid_value`: never a guess.

A reader hands over what the source holds: JSON-shaped values (None for null or not set)
or an `Unknown`. Each function here takes one such value and returns it as its schema
type, or an `Unknown` of kind `invalid_value` that names the value and where it stands
(`"false"` is not a bool, `300.7` is not a whole number, `[false]` is not a string). An
`Unknown` that knows the values it can only be is mapped value by value.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TypeVar

from checker.unknown import Maybe, Unknown, invalid

T = TypeVar("T")
BIGGEST = 2**63  # larger whole numbers are not settings anyone writes: an input to refuse
_SHOWN = 60


def shown(value: object) -> str:
    """A value as a message quotes it: JSON-like, cut short."""
    if isinstance(value, str):
        text = '"' + value.replace('"', '\\"') + '"'
    elif isinstance(value, bool):
        text = "true" if value else "false"
    elif value is None:
        text = "null"
    elif isinstance(value, int) and not isinstance(value, bool) and abs(value) >= BIGGEST:
        text = f"a number of about {int(value.bit_length() * 0.30103) + 1} digits"
    else:
        try:
            text = repr(value)
        except (ValueError, RecursionError):  # an enormous int, a self-referencing list
            text = f"a {type(value).__name__}"
    return text if len(text) <= _SHOWN else text[: _SHOWN - 3] + "..."


def _kind(value: object) -> str:
    if isinstance(value, bool):
        return "a bool"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a map"
    return "a value"


def wrong_type(where: str, value: object, want: str) -> Unknown:
    """*value* at *where* is not of type *want*: invalid, naming it."""
    return invalid(f"{where} is {shown(value)} ({_kind(value)}), not {want}")


def each_possible(value: Unknown, read: Callable[[object], Maybe[T]]) -> Maybe[T]:
    """*read* applied to every value an Unknown can only be: the one result when they all
    agree, else the Unknown with the results as its possible values."""
    if not value.possible:
        return value
    results = [read(v) for v in value.possible]
    known = [r for r in results if not isinstance(r, Unknown)]
    if len(known) == len(results) and all(r == known[0] for r in known[1:]):
        return known[0]
    flat: list[object] = []
    for r in results:
        if isinstance(r, Unknown) and r.possible:
            flat.extend(r.possible)
        elif isinstance(r, Unknown):
            return value.but(possible=None)  # one branch is wholly unknown: so is the value
        else:
            flat.append(r)
    return value.but(possible=tuple(dict.fromkeys(flat)) if _hashable(flat) else tuple(flat))


def _hashable(items: list[object]) -> bool:
    try:
        hash(tuple(items))
    except TypeError:
        return False
    return True


def boolean(value: object, where: str) -> Maybe[bool | None]:
    """A bool; None when null or not set."""
    if value is None or value is True or value is False:
        return value
    if isinstance(value, Unknown):
        return each_possible(value, lambda v: boolean(v, where))
    return wrong_type(where, value, "a bool")


def string(value: object, where: str) -> Maybe[str | None]:
    """A string; None when null or not set."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, Unknown):
        return each_possible(value, lambda v: string(v, where))
    return wrong_type(where, value, "a string")


def number(value: object, where: str) -> Maybe[float | None]:
    """A finite number; None when null or not set."""
    if isinstance(value, Unknown):
        return each_possible(value, lambda v: number(v, where))
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        return wrong_type(where, value, "a number")
    if isinstance(value, int) and abs(value) >= BIGGEST:
        return wrong_type(where, value, "a number of sensible size")
    if isinstance(value, float) and not math.isfinite(value):
        return invalid(f"{where} is {value}, not a finite number")
    return float(value)


def whole(value: object, where: str) -> Maybe[int | None]:
    """A whole number (an int, or a float with no fraction); None when null or not set."""
    if type(value) is int and -BIGGEST < value < BIGGEST:
        return value
    if isinstance(value, Unknown):
        return each_possible(value, lambda v: whole(v, where))
    found = number(value, where)
    if found is None or isinstance(found, Unknown):
        return found
    if not found.is_integer():
        return invalid(f"{where} is {shown(value)}, not a whole number")
    return int(found)


def strings(value: object, where: str) -> Maybe[tuple[Maybe[str], ...]]:
    """A list (or set) of strings, each string or Unknown; null or not set: empty."""
    if isinstance(value, Unknown):
        return each_possible(value, lambda v: strings(v, where))
    if value is None:
        return ()
    if not isinstance(value, list):
        return wrong_type(where, value, "a list of strings")
    out: list[Maybe[str]] = []
    for i, item in enumerate(value):
        got = string(item, f"{where}[{i}]")
        out.append(wrong_type(f"{where}[{i}]", item, "a string") if got is None else got)
    return tuple(out)


def string_map(value: object, where: str, drop_null: bool = True) -> Maybe[dict[str, Maybe[str]]]:
    """A map of strings, each value a string or Unknown; null or not set: empty."""
    if isinstance(value, Unknown):
        return each_possible(value, lambda v: string_map(v, where, drop_null))
    if value is None:
        return {}
    if not isinstance(value, dict):
        return wrong_type(where, value, "a map of strings")
    out: dict[str, Maybe[str]] = {}
    for key, item in value.items():
        got = string(item, f"{where}.{key}")
        if got is None and drop_null:
            continue
        out[str(key)] = wrong_type(f"{where}.{key}", item, "a string") if got is None else got
    return out
