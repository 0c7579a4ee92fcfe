"""Evaluated values -> the model's field types, with `Unk` -> `Unknown`/`PartlyKnown`."""

from __future__ import annotations

from checker.model import Maybe, PartlyKnown, Unknown
from checker.sources.hcl.values import EvalError, Unk, find_unknown, plain, to_text


def unknown(value: Unk) -> Unknown:
    """The model's Unknown (PartlyKnown when the string is known in part)."""
    if value.parts:
        return PartlyKnown(value.reason, value.parts)
    return Unknown(value.reason)


def as_str(value: object) -> Maybe[str | None]:
    """A string field (numbers and bools spelled as Terraform would)."""
    value = plain(value)
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, Unk):
        return unknown(value)
    try:
        return to_text(value)
    except EvalError as exc:
        return Unknown(f"not a string: {exc}")


def as_int(value: object) -> Maybe[int | None]:
    """A whole-number field."""
    value = plain(value)
    if isinstance(value, Unk):
        return unknown(value)
    if value is None:
        return None
    number = as_float(value)
    return int(number) if isinstance(number, float) else number


def as_float(value: object) -> Maybe[float | None]:
    """A number field as float."""
    value = plain(value)
    if isinstance(value, Unk):
        return unknown(value)
    if value is None:
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    try:
        return float(str(value)) if isinstance(value, str) else Unknown(f"not a number: {value!r}")
    except ValueError:
        return Unknown(f"not a number: {value!r}")


def as_bool(value: object) -> Maybe[bool | None]:
    """A bool field (`"true"`/`"false"` strings convert, as Terraform does)."""
    value = plain(value)
    if isinstance(value, Unk):
        return unknown(value)
    if value is None or isinstance(value, bool):
        return value
    if value in ("true", "false"):
        return value == "true"
    return Unknown(f"not a bool: {value!r}")


def str_map(value: object, drop_null: bool = True) -> Maybe[dict[str, str]]:
    """A map of strings; unknown as a whole when any value is unknown (as the plan source)."""
    value = plain(value)
    if isinstance(value, Unk):
        return unknown(value)
    if value is None:
        return {}
    if not isinstance(value, dict):
        return Unknown(f"not a map: {value!r}")
    missing = find_unknown(value)
    if missing is not None:
        return unknown(Unk(missing.reason))
    out: dict[str, str] = {}
    for key, item in value.items():
        item = plain(item)
        if item is None and drop_null:
            continue
        text = as_str(item)
        if not isinstance(text, str):
            return Unknown(f"{key}: not a string")
        out[str(key)] = text
    return out


def str_tuple(value: object) -> Maybe[tuple[str, ...]]:
    """A list of strings (null: empty); unknown as a whole when any element is."""
    value = plain(value)
    if isinstance(value, Unk):
        return unknown(value)
    if value is None:
        return ()
    if not isinstance(value, list):
        return Unknown(f"not a list: {value!r}")
    missing = find_unknown(value)
    if missing is not None:
        return unknown(Unk(missing.reason))
    items = [as_str(v) for v in value]
    return tuple(v for v in items if isinstance(v, str))


def actions(value: object) -> Maybe[tuple[Maybe[str], ...]]:
    """Alarm actions: a known list whose elements may be unknown (ARNs known after apply)."""
    value = plain(value)
    if isinstance(value, Unk):
        return unknown(value)
    if value is None:
        return ()
    if not isinstance(value, list):
        return Unknown(f"not a list: {value!r}")
    out: list[Maybe[str]] = []
    for item in value:
        text = as_str(item)
        if text is not None:
            out.append(text)
    return tuple(out)
