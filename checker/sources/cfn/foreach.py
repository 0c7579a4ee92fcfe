"""`Fn::ForEach` loops (the AWS::LanguageExtensions transform) expanded, as CloudFormation
expands them before it reads the template.

`Fn::ForEach::Name: [Identifier, Collection, {OutputKey: OutputValue}]` writes its fragment
once per value of the collection (a list, or a function of one: `Ref` of a
CommaDelimitedList parameter, `Fn::FindInMap`...). In the fragment's keys, `${Identifier}`
is the value and `&{Identifier}` the value with everything but letters and digits removed;
in its values, `Ref: Identifier` is the value and so is each of those forms in a `Fn::Sub`
string (a `Fn::Sub` left with no variable is its text). Loops nest, and may be written in
Resources, in Conditions and in a resource's properties. A loop whose collection only deploy
knows (a parameter with no value), or that is too large to write, is not expanded: it is
returned as `Unexpanded`, so that the tables it may make are unknown, never absent.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

from checker.errors import RunError, located
from checker.sources.cfn.intrinsics import evaluate
from checker.sources.cfn.parameters import MAX_STRING, Inputs, Spent
from checker.sources.cfn.template import FOR_EACH
from checker.specfile.limits import brief, kind_of
from checker.specfile.yamlread import LineDict, LineList
from checker.specfile.yamltypes import lined
from checker.unknown import Unknown

MAX_WRITTEN: Final = 10_000  # entries all the loops of one template write (CloudFormation: 500)
_VARIABLE: Final = re.compile(r"[$&]\{")
_NOT_ALNUM: Final = re.compile(r"[^0-9a-zA-Z]+")


@dataclass(frozen=True)
class Unexpanded:
    """A loop not expanded: where it is, and why."""

    name: str
    line: int | None
    why: str


class _Run:
    """One section's expansion: the inputs collections are evaluated with, the loops not
    expanded, the entries written so far."""

    def __init__(self, inputs: Inputs) -> None:
        self.inputs = inputs
        self.unexpanded: list[Unexpanded] = []
        self.written = 0


def expand(section: Mapping[Any, Any], inputs: Inputs) -> tuple[Mapping[Any, Any],
                                                                  list[Unexpanded]]:
    """*section* (Resources or Conditions) with its loops expanded, and those not expanded.
    Without a loop it is returned as it is."""
    if not _has_loop(section):
        return section, []
    run = _Run(inputs)
    try:
        out = _walk(section, {}, run)
    except Spent as err:  # the section alone is too large to walk: no loop of it is written
        lines = getattr(section, "key_lines", {})
        kept = lined(((k, v) for k, v in section.items() if not _is_loop(k)), section)
        return kept, [Unexpanded(k, lines.get(k), f"the template {err}")
                      for k in section if _is_loop(k)]
    assert isinstance(out, Mapping)
    return out, run.unexpanded


def _is_loop(key: object) -> bool:
    return isinstance(key, str) and key.startswith(FOR_EACH)


def _has_loop(node: object) -> bool:
    if isinstance(node, Mapping):
        return any(map(_is_loop, node)) or any(map(_has_loop, node.values()))
    if isinstance(node, list):
        return any(map(_has_loop, node))
    return False


def _text(text: str, values: Mapping[str, str], run: _Run) -> str:
    """*text* with the identifiers put in (its length spent from the budget: a value put
    in many times cannot grow the template without bound)."""
    for name, value in values.items():
        text = text.replace("${" + name + "}", value).replace(
            "&{" + name + "}", _NOT_ALNUM.sub("", value))
    if len(text) > MAX_STRING:
        raise Spent(f"would write a string of more than {MAX_STRING:,} characters")
    run.inputs.budget.spend(len(text) // 1024)
    return text


def _walk(node: object, values: Mapping[str, str], run: _Run) -> object:
    """*node* with the loop identifiers in scope (*values*) put in, and its loops written."""
    run.inputs.budget.spend()
    if isinstance(node, list):
        out_list = LineList(_walk(v, values, run) for v in node)
        out_list.line = getattr(node, "line", 0)
        out_list.item_lines = list(getattr(node, "item_lines", [0] * len(node)))
        return out_list
    if not isinstance(node, Mapping):
        return node
    if values and len(node) == 1:
        ((name, arg),) = node.items()
        if name == "Ref" and isinstance(arg, str) and arg in values:
            return values[arg]
        if name == "Fn::Sub":
            return _sub(node, arg, values, run)
    out = LineDict()
    out.line = getattr(node, "line", 0)
    out.key_lines = {}
    lines = getattr(node, "key_lines", {})
    for key, value in node.items():
        if _is_loop(key):
            for made, (made_value, line) in _loop(key, value, lines.get(key), values,
                                                  run).items():
                if made in out:
                    raise RunError(located(run.inputs.path, line, f"{key} writes {brief(made)}"
                                           ", which is already there (CloudFormation "
                                           "refuses the template)"))
                out[made], out.key_lines[made] = made_value, line or 0
            continue
        name = _text(key, values, run) if values and isinstance(key, str) else key
        if name in out:
            raise RunError(located(run.inputs.path, lines.get(key), f"{brief(name)} is "
                                   "written twice, by a Fn::ForEach and by hand "
                                   "(CloudFormation refuses the template)"))
        out[name] = _walk(value, values, run)
        out.key_lines[name] = lines.get(key, 0)
    return out


def _sub(node: Mapping[Any, Any], arg: object, values: Mapping[str, str],
         run: _Run) -> object:
    """A Fn::Sub with the identifiers put in its text (its text alone when no variable is
    left)."""
    if isinstance(arg, str):
        text = _text(arg, values, run)
        return text if not _VARIABLE.search(text) else lined({"Fn::Sub": text}.items(), node)
    if isinstance(arg, list) and arg and isinstance(arg[0], str):
        rest = [_walk(v, values, run) for v in arg[1:]]
        return lined({"Fn::Sub": [_text(arg[0], values, run), *rest]}.items(), node)
    return lined({"Fn::Sub": _walk(arg, values, run)}.items(), node)


def _loop(key: str, arg: object, line: int | None, values: Mapping[str, str],
          run: _Run) -> dict[Any, tuple[object, int | None]]:
    """What the loop *key* writes: each entry and its line (none, when not expanded)."""
    why = _refusal(arg)
    if why is None:
        assert isinstance(arg, list)
        identifier, collection, fragment = arg
        items = _collection(collection, values, run)
        if isinstance(items, Unknown):
            why = items.reason
        else:
            try:
                return _write(fragment, identifier, items, values, run)
            except Spent as err:
                if values:  # a loop within a loop: the outermost is not expanded
                    raise
                why = f"writing it {err}"
    run.unexpanded.append(Unexpanded(key, line, why))
    return {}


def _refusal(arg: object) -> str | None:
    if not isinstance(arg, list) or len(arg) != 3:
        return f"it is {kind_of(arg)}, not a list of an identifier, a collection and a " \
               "fragment"
    if not isinstance(arg[0], str) or not arg[0]:
        return f"its identifier is {kind_of(arg[0])}, not text"
    if not isinstance(arg[2], Mapping):
        return f"its fragment is {kind_of(arg[2])}, not a mapping"
    return None


def _collection(node: object, values: Mapping[str, str], run: _Run) -> list[str] | Unknown:
    """The values of a loop's collection (an Unknown saying why they are not known)."""
    found = evaluate(_walk(node, values, run), run.inputs)
    if isinstance(found, Unknown):
        return Unknown(f"its collection is not known: {found.reason}", found.kind)
    if not isinstance(found, list):
        return Unknown(f"its collection is {kind_of(found)}, not a list")
    items: list[str] = []
    for item in found:
        if isinstance(item, Unknown):
            return Unknown(f"a value of its collection is not known: {item.reason}", item.kind)
        if not isinstance(item, str):
            return Unknown(f"a value of its collection is {kind_of(item)}, not text")
        items.append(item)
    return items


def _write(fragment: Mapping[Any, Any], identifier: str, items: list[str],
           values: Mapping[str, str], run: _Run) -> dict[Any, tuple[object, int | None]]:
    out: dict[Any, tuple[object, int | None]] = {}
    for item in items:
        written = _walk(fragment, {**values, identifier: item}, run)
        assert isinstance(written, LineDict)
        for made, value in written.items():
            run.written += 1
            if run.written > MAX_WRITTEN:
                raise Spent(f"would write more than {MAX_WRITTEN:,} entries")
            if made in out:
                raise RunError(located(run.inputs.path, written.key_lines.get(made),
                                       f"Fn::ForEach writes {brief(made)} twice "
                                       "(CloudFormation refuses the template)"))
            out[made] = (value, written.key_lines.get(made) or None)
    return out


__all__ = ["Unexpanded", "expand"]
