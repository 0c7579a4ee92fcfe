"""CloudFormation's intrinsic functions, evaluated as far as the template and its inputs
know them.

`evaluate` gives a node's value with every function resolved, through mappings and lists:
plain data (LineDict/LineList keep their lines), an `Unknown` wherever only deploy decides
(naming the expression and its file:line; `parts` for text known in part, `origin` for a
resource's id or attribute, `possible` for the values it can only be), `invalid` where
CloudFormation would refuse it. `Ref AWS::NoValue` is `NO_VALUE`, dropped from the mapping
or list it is in. A mapping of one key, `Ref` or `Fn::...`, is a function; others are data.
"""

from __future__ import annotations

import base64
import json
from collections.abc import Callable, Mapping
from typing import Any, Final

from checker.sources.cfn import conditions, mappings, texts
from checker.sources.cfn.calls import UNBOUND, Calls
from checker.sources.cfn.parameters import (
    MAX_NESTING,
    MAX_STRING,
    Inputs,
    Spent,
    because,
    known,
    where,
)
from checker.specfile.limits import brief, key_text, kind_of
from checker.specfile.yamlread import LineDict, LineList
from checker.unknown import Origin, Reason, Unknown, invalid

# The resource types whose Ref is their name, and the property that sets it.
NAMED_BY: Final = {"AWS::DynamoDB::Table": "TableName", "AWS::DynamoDB::GlobalTable": "TableName",
                   "AWS::CloudWatch::Alarm": "AlarmName",
                   "AWS::CloudWatch::CompositeAlarm": "AlarmName"}


class NoValue:
    """`Ref AWS::NoValue`: the property or list element where it is the value is removed."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "AWS::NoValue"


NO_VALUE: Final = NoValue()
Handler = Callable[[Any, Inputs, int | None], object]


def evaluate(node: object, inputs: Inputs) -> object:
    """The value of *node* with every intrinsic function resolved (see the module)."""
    if inputs.calls is UNBOUND:
        inputs.calls = CALLS
    try:
        return evaluate_at(node, inputs, getattr(node, "line", None) or None)
    except Spent as err:
        return Unknown(f"{inputs.path}: the value {err}")
    except RecursionError:  # not expected within MAX_NESTING; never a crash
        return Unknown(f"{inputs.path}: the value is nested too deeply to evaluate")


def evaluate_at(node: object, inp: Inputs, line: int | None) -> object:
    """The value of *node*, written at *line* unless it knows its own; raises Spent when the
    budget is spent outside any function."""
    inp.budget.spend()
    if not isinstance(node, (dict, list)):
        return node
    line = getattr(node, "line", None) or line
    if inp.depth >= MAX_NESTING:
        return Unknown(f"the value at {where(inp.path, line)} is nested too deeply to evaluate")
    inp.depth += 1
    try:
        if isinstance(node, dict) and len(node) == 1:
            name = next(iter(node))
            if isinstance(name, str) and (name == "Ref" or name.startswith("Fn::")):
                return _call(node, name, inp, line)
        return _data(node, inp, line)
    finally:
        inp.depth -= 1


def _data(node: dict[Any, Any] | list[Any], inp: Inputs, line: int | None) -> object:
    """A mapping or list of values evaluated, NO_VALUE left out, lines kept."""
    lines: dict[Any, int] = getattr(node, "key_lines", {}) if isinstance(node, dict) else \
        dict(enumerate(getattr(node, "item_lines", [])))
    kept: list[tuple[Any, object, int]] = []
    for key, value in node.items() if isinstance(node, dict) else enumerate(node):
        at = lines.get(key) or line
        found = evaluate_at(value, inp, at)
        if found is not NO_VALUE:
            kept.append((key, found, at or 0))
    out: LineDict | LineList
    if isinstance(node, dict):
        out = LineDict((key, value) for key, value, _ in kept)
        out.key_lines = {key: at for key, _, at in kept}
    else:
        out = LineList(value for _, value, _ in kept)
        out.item_lines = [at for _, _, at in kept]
    out.line = line or 0
    return out


def _call(node: Mapping[str, Any], name: str, inp: Inputs, line: int | None) -> object:
    """The value of the function *name* (a Spent budget: an Unknown naming it), narrowed."""
    site = where(inp.path, line)
    handler = _FUNCTIONS.get(name)
    if handler is None:
        if name.startswith("Fn::ForEach::"):
            return Unknown(f"{key_text(name)} ({site}) is expanded by the "
                           "AWS::LanguageExtensions transform, which tablespec does not run")
        return invalid(f"{key_text(name)} ({site}) is not a CloudFormation function")
    try:
        value = handler(node[name], inp, line)
    except Spent as err:
        return Unknown(f"{name} ({site}) {err}")
    if isinstance(value, Unknown):
        value = conditions.narrow(node, value, inp, line, evaluate_at)
    return value


def args_of(arg: Any, inp: Inputs, line: int | None, name: str, shape: str) -> list[Any] | Unknown:
    """The values of a function written as a list of *shape*'s length, evaluated; invalid
    when it is not that, the first that is an Unknown."""
    site = where(inp.path, line)
    if not (isinstance(arg, list) and len(arg) == shape.count(",") + 1):
        return invalid(f"{name} ({site}) is not {shape}")
    values = [evaluate_at(value, inp, line) for value in arg]
    unknown = next((value for value in values if isinstance(value, Unknown)), None)
    return values if unknown is None else because(name, site, unknown, origin=None,
                                                  possible=None, parts=None)


def ref(arg: Any, inp: Inputs, line: int | None) -> object:
    """Ref: a parameter, a pseudo parameter, a resource's id (a table's or an alarm's: its
    name)."""
    site = where(inp.path, line)
    if not isinstance(arg, str):
        return invalid(f"Ref ({site}) names {kind_of(arg)}, not a parameter or resource")
    expr = f"Ref {key_text(arg)}"
    if arg == "AWS::NoValue":
        return NO_VALUE
    for names in (inp.params, inp.pseudo):
        if arg in names:
            value = names[arg]
            if isinstance(value, list):
                inp.budget.spend(len(value))
                return list(value)
            return because(expr, site, value) if isinstance(value, Unknown) else value
    gone, rtype = _resource(arg, inp, expr, site)
    if gone is not None:
        return gone
    origin = Origin(rtype, arg, "Ref")
    if rtype in NAMED_BY:
        name = _name(arg, inp.resources[arg], NAMED_BY[rtype], inp)
        if isinstance(name, str):
            return name
        if isinstance(name, Unknown):
            return because(expr, site, name, origin=origin)
    return Unknown(f"{expr} ({site}) is the id of {rtype} {key_text(arg)}, known only at "
                   "deploy", origin=origin)


def _resource(logical: str, inp: Inputs, expr: str, site: str) -> tuple[Unknown | None, str]:
    """The type of resource *logical*, and invalid when the template has no such resource
    or does not create it (its condition is false): CloudFormation refuses a reference."""
    if logical not in inp.resources:
        return invalid(f"{expr} ({site}): the template has no parameter or resource "
                       f"{key_text(logical)}"), "?"
    resource = inp.resources[logical]
    rtype = resource.get("Type") if isinstance(resource, Mapping) else None
    exists = conditions.exists(logical, inp)
    if exists is False:
        exists = invalid(f"resource {key_text(logical)} is not created (its Condition is "
                         "false)")
    gone = because(expr, site, exists) if isinstance(exists, Unknown) and \
        exists.kind is Reason.INVALID_VALUE else None
    return gone, rtype if isinstance(rtype, str) else "?"


def _name(logical: str, resource: Mapping[Any, Any], prop: str, inp: Inputs) -> object:
    """The name (*prop*) of the resource *logical* (None: CloudFormation names it)."""
    key = ("name", logical)
    if key not in inp.memo:
        inp.memo[key] = Unknown(f"the {prop} of {key_text(logical)} refers to itself")
        props = resource.get("Properties")
        node = props.get(prop) if isinstance(props, Mapping) else None
        at = getattr(props, "key_lines", {}).get(prop) if node is not None else None
        found = None if node is None else evaluate_at(node, inp, at)
        inp.memo[key] = None if found is NO_VALUE else found
    return inp.memo[key]


def getatt(arg: Any, inp: Inputs, line: int | None) -> object:
    """Fn::GetAtt [resource, attribute] (or "resource.attribute"): known only at deploy."""
    site = where(inp.path, line)
    if isinstance(arg, str) and "." in arg:
        arg = arg.split(".", 1)
    if not (isinstance(arg, list) and len(arg) == 2 and isinstance(arg[0], str)):
        return invalid(f"Fn::GetAtt ({site}) is not [resource, attribute]")
    attr = evaluate_at(arg[1], inp, line)
    if not isinstance(attr, str):
        return attr if isinstance(attr, Unknown) else invalid(
            f"Fn::GetAtt ({site}): the attribute is {kind_of(attr)}, not text")
    expr = f"Fn::GetAtt {key_text(arg[0])}.{key_text(attr)}"
    gone, rtype = _resource(arg[0], inp, expr, site)
    return gone or Unknown(f"{expr} ({site}) is an attribute of {rtype} {key_text(arg[0])}, "
                           "known only at deploy", origin=Origin(rtype, arg[0], attr))


def _at_deploy(name: str, what: str) -> Handler:
    """A function whose value only deploy knows (Fn::ImportValue names its export)."""
    def handler(arg: Any, inp: Inputs, line: int | None) -> object:
        export = evaluate_at(arg, inp, line) if name == "Fn::ImportValue" else None
        shown = f"{name} {brief(export)}" if isinstance(export, str) else name
        return Unknown(f"{shown} ({where(inp.path, line)}) is {what}, known only at deploy")
    return handler


def _whole(name: str, make: Callable[[Any], object], *, deep: bool = True) -> Handler:
    """A function of one value, known when the value is (*deep*: every part of it)."""
    def handler(arg: Any, inp: Inputs, line: int | None) -> object:
        site = where(inp.path, line)
        value = evaluate_at(arg, inp, line)
        if isinstance(value, Unknown):
            return because(name, site, value, origin=None, possible=None, parts=None)
        if deep and not known(value):
            return Unknown(f"{name} ({site}) is of a value known only in part",
                           decoded=value if name == "Fn::ToJsonString" else None)
        found = make(value)
        if isinstance(found, str) and len(found) > MAX_STRING:
            return Unknown(f"{name} ({site}) would be longer than {MAX_STRING:,} characters")
        return found if found is not None else invalid(
            f"{name} ({site}) is not of {kind_of(value)}")
    return handler


def _condition_function(name: str) -> Handler:
    """A condition function used as a value (it is True, False or an Unknown)."""
    return lambda arg, inp, line: conditions.truth({name: arg}, inp, line)


_FUNCTIONS: dict[str, Handler] = {
    "Ref": ref, "Fn::GetAtt": getatt, "Fn::Sub": texts.sub, "Fn::Join": texts.join,
    "Fn::Select": texts.select, "Fn::Split": texts.split,
    "Fn::If": lambda arg, inp, line: conditions.if_(arg, inp, line),
    "Fn::FindInMap": lambda arg, inp, line: mappings.find_in_map(arg, inp, line),
    "Fn::ImportValue": _at_deploy("Fn::ImportValue", "another stack's export"),
    "Fn::GetAZs": _at_deploy("Fn::GetAZs", "the region's Availability Zones"),
    "Fn::Cidr": _at_deploy("Fn::Cidr", "a list of CIDR blocks"),
    "Fn::Transform": _at_deploy("Fn::Transform", "a macro's output"),
    "Fn::Base64": _whole("Fn::Base64", lambda v: base64.b64encode(
        v.encode("utf-8", "surrogatepass")).decode()
                         if isinstance(v, str) else None),
    "Fn::Length": _whole("Fn::Length", lambda v: len(v) if isinstance(v, list) else None,
                         deep=False),
    "Fn::ToJsonString": _whole("Fn::ToJsonString", lambda v: json.dumps(
        v, separators=(",", ":"), ensure_ascii=False) if isinstance(v, (dict, list)) else None),
    **{name: _condition_function(name)
       for name in ("Fn::Equals", "Fn::And", "Fn::Or", "Fn::Not")},
}


class _Calls:
    """This module's functions, as conditions, mappings and texts call them back (`Calls`)."""

    evaluate_at = staticmethod(evaluate_at)
    ref = staticmethod(ref)
    getatt = staticmethod(getatt)
    args_of = staticmethod(args_of)


CALLS: Final[Calls] = _Calls()
