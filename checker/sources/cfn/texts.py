"""The functions that build text or lists of it: Fn::Sub, Fn::Join, Fn::Select and
Fn::Split; text known only in part is an Unknown knowing its literal parts."""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from typing import Any, Final

from checker.sources.cfn.parameters import (
    MAX_ELEMENTS,
    MAX_STRING,
    REASON,
    Inputs,
    because,
    cfn_text,
    where,
)
from checker.specfile.limits import brief, key_text, kind_of
from checker.unknown import Reason, Unknown, invalid

VARIABLE: Final = re.compile(r"\$\{([^}]*)\}")  # a Fn::Sub variable


def _piece(value: object, expr: str, site: str) -> str | Unknown:
    """*value* as a piece of the text Fn::Sub or Fn::Join builds."""
    text = value if isinstance(value, Unknown) else cfn_text(value)
    return text if text is not None else invalid(
        f"{expr} ({site}): a value is {kind_of(value)}, not text")


def concat(expr: str, site: str, pieces: list[str | Unknown], inp: Inputs) -> object:
    """The text of *pieces* joined: text, or an Unknown knowing its literal parts."""
    parts: list[str | None] = []
    first: Unknown | None = None
    for piece in pieces:
        if isinstance(piece, Unknown) and piece.kind is not Reason.UNKNOWN_VALUE:
            return because(expr, site, piece)
        if isinstance(piece, Unknown):
            first = first or piece
        parts.extend((piece.parts or (None,)) if isinstance(piece, Unknown) else (piece,))
    size = sum(len(part) for part in parts if part)
    if size > MAX_STRING:
        return Unknown(f"{expr} ({site}) would be longer than {MAX_STRING:,} characters")
    inp.budget.spend(len(parts) + size // 1024)
    if first is None:
        return "".join(part for part in parts if part is not None)
    merged = [None if gap else "".join(part for part in run if part is not None)
              for gap, run in itertools.groupby((p for p in parts if p != ""),
                                                key=lambda p: p is None)]
    if merged == [None]:
        return because(expr, site, first)
    return Unknown(f"{expr} ({site}) is known only in part: {first.reason[-REASON:]}",
                   parts=tuple(merged))


def sub(arg: Any, inp: Inputs, line: int | None) -> object:
    """Fn::Sub text (or [text, {variables}]) with `${name}` replaced, `${!name}` kept."""
    site = where(inp.path, line)
    text, names = (arg, {}) if isinstance(arg, str) else \
        (arg[0], arg[1]) if isinstance(arg, list) and len(arg) == 2 else (None, None)
    if not isinstance(text, str) or not isinstance(names, Mapping):
        return invalid(f"Fn::Sub ({site}) is not text or [text, {{variables}}]")
    if len(text) > MAX_STRING:
        return Unknown(f"Fn::Sub ({site}) is longer than {MAX_STRING:,} characters")
    pieces: list[str | Unknown] = []
    seen: dict[str, str | Unknown] = {}
    pos = 0
    for match in VARIABLE.finditer(text):
        inp.budget.spend()
        name = match.group(1)
        pieces.append(text[pos:match.start()])
        pos = match.end()
        if name.startswith("!"):
            pieces.append("${" + name[1:] + "}")
            continue
        if name not in seen:
            seen[name] = _piece(_variable(name, names, inp, line), "Fn::Sub", site)
        pieces.append(seen[name])
    pieces.append(text[pos:])
    return concat("Fn::Sub", site, pieces, inp)


def _variable(name: str, names: Mapping[Any, Any], inp: Inputs, line: int | None) -> object:
    """The value of `${name}` in a Fn::Sub: its variable, else a parameter, pseudo parameter
    or resource, else a resource's attribute."""
    if name in names:
        at = getattr(names, "key_lines", {}).get(name) or line
        return inp.calls.evaluate_at(names[name], inp, at)
    if name in inp.params or name in inp.pseudo or name in inp.resources:
        return inp.calls.ref(name, inp, line)
    if "." in name and name.split(".", 1)[0] in inp.resources:
        return inp.calls.getatt(name, inp, line)
    return invalid(f"Fn::Sub ({where(inp.path, line)}): ${{{key_text(name)}}} names no "
                   "variable, parameter or resource")


def join(arg: Any, inp: Inputs, line: int | None) -> object:
    """Fn::Join [delimiter, [values]]."""
    site = where(inp.path, line)
    found = inp.calls.args_of(arg, inp, line, "Fn::Join", "[delimiter, [values]]")
    if isinstance(found, Unknown):
        return found
    delimiter, values = found
    if not isinstance(delimiter, str) or not isinstance(values, list):
        return invalid(f"Fn::Join ({site}) is not [delimiter, [values]]")
    pieces: list[str | Unknown] = []
    for i, value in enumerate(values):
        if i:
            pieces.append(delimiter)
        pieces.append(_piece(value, "Fn::Join", site))
    return concat("Fn::Join", site, pieces, inp)


def select(arg: Any, inp: Inputs, line: int | None) -> object:
    """Fn::Select [index, [values]]."""
    site = where(inp.path, line)
    found = inp.calls.args_of(arg, inp, line, "Fn::Select", "[index, [values]]")
    if isinstance(found, Unknown):
        return found
    index, values = found
    text = None if isinstance(index, bool) else cfn_text(index)
    if text is None or not text.isdigit() or len(text) > 9:
        return invalid(f"Fn::Select ({site}): the index {brief(index)} is not a number from 0")
    if not isinstance(values, list):
        return invalid(f"Fn::Select ({site}) selects from {kind_of(values)}, not a list")
    if int(text) >= len(values):
        return invalid(f"Fn::Select ({site}): index {text} is out of range (the list has "
                       f"{len(values)})")
    return values[int(text)]


def split(arg: Any, inp: Inputs, line: int | None) -> object:
    """Fn::Split [delimiter, text]."""
    site = where(inp.path, line)
    found = inp.calls.args_of(arg, inp, line, "Fn::Split", "[delimiter, text]")
    if isinstance(found, Unknown):
        return found
    delimiter, text = found
    if not isinstance(delimiter, str) or not delimiter or not isinstance(text, str):
        return invalid(f"Fn::Split ({site}) is not [delimiter, text]")
    if text.count(delimiter) >= MAX_ELEMENTS:
        return Unknown(f"Fn::Split ({site}) would make more than {MAX_ELEMENTS:,} elements")
    inp.budget.spend(len(text) // 1024)
    return text.split(delimiter)
