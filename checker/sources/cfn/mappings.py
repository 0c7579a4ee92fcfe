"""Fn::FindInMap: a value of the template's Mappings; with a key not known, the values
it can only be (and the LanguageExtensions transform's DefaultValue)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from checker.sources.cfn.parameters import (
    MAX_POSSIBLE,
    Inputs,
    because,
    cfn_text,
    choices,
    known,
    where,
)
from checker.specfile.limits import key_text, kind_of
from checker.unknown import Reason, Unknown, invalid

_MISSING: Final = object()


def find_in_map(arg: Any, inp: Inputs, line: int | None) -> object:
    """Fn::FindInMap [map, top key, second key] (and {DefaultValue: v} of the
    LanguageExtensions transform); with a key not known, the values it can only be."""
    site = where(inp.path, line)
    if not (isinstance(arg, list) and len(arg) in (3, 4)):
        return invalid(f"Fn::FindInMap ({site}) is not [map, top key, second key]")
    default: object = _MISSING
    if len(arg) == 4:
        option = arg[3]
        if not (isinstance(option, Mapping) and list(option) == ["DefaultValue"]):
            return invalid(f"Fn::FindInMap ({site}): its fourth value is not {{DefaultValue}}")
        default = inp.calls.evaluate_at(option["DefaultValue"], inp, line)
    keys = [inp.calls.evaluate_at(key, inp, line) for key in arg[:3]]
    texts: list[str | Unknown] = []
    for key in keys:
        text = key if isinstance(key, Unknown) else cfn_text(key)
        if text is None or (isinstance(key, Unknown) and key.kind is not Reason.UNKNOWN_VALUE):
            return key if isinstance(key, Unknown) else invalid(
                f"Fn::FindInMap ({site}): a key is {kind_of(key)}, not text")
        texts.append(text)
    values, missing = _lookup(inp.mappings, texts, inp)
    if missing and default is not _MISSING:
        values.append(default)
    unknown = next((k for k in texts if isinstance(k, Unknown)), None)
    if unknown is None:
        return values[0] if values else invalid(
            f"Fn::FindInMap ({site}): Mappings has no "
            f"{'.'.join(key_text(t) for t in texts if isinstance(t, str))}")
    distinct: list[object] = []
    for value in values:
        if value not in distinct:
            distinct.append(value)
    ok = 0 < len(distinct) <= MAX_POSSIBLE and all(map(known, distinct))
    return because("Fn::FindInMap", site, unknown, parts=None, origin=None,
                              possible=tuple(distinct) if ok else None)


def _lookup(mappings: Mapping[Any, Any], keys: list[str | Unknown],
            inp: Inputs) -> tuple[list[object], bool]:
    """The values at *keys* (every key at a level whose key is not known; the keys it can
    only be, when it knows them), and whether a key may be missing."""
    level: list[object] = [mappings]
    missing = False
    for key in keys:
        step: list[object] = []
        for node in level:
            if not isinstance(node, Mapping):
                missing = True
                continue
            inp.budget.spend(1 + (len(node) if isinstance(key, Unknown) else 0))
            wanted = [key] if isinstance(key, str) else [
                cfn_text(k) or "" for k in choices(key) or ()]
            if not wanted:
                step.extend(node.values())
                missing = True
            for text in wanted:
                value = node.get(text, _MISSING)
                if value is _MISSING:  # a key written as a number: 123456789012
                    inp.budget.spend(len(node))
                    value = next((v for k, v in node.items()
                                  if not isinstance(k, str) and cfn_text(k) == text), _MISSING)
                missing = missing or value is _MISSING
                if value is not _MISSING:
                    step.append(value)
        level = step[:10_000]
    return level, missing
