"""CloudFormation's conditions in three-valued logic, resources that exist only under one,
Fn::FindInMap, and narrowing an unknown by the values its parameters can only be.

A condition is True, False or an Unknown: `Fn::And` is False when any part is False, even
where another is not known; `Fn::Or` is True when any part is True; `Fn::Equals` compares
as CloudFormation does, as text (`5` and "5" are equal, "5.0" and "5" are not). Conditions
are evaluated once each, those a condition refers to first (so a chain of any length takes
no recursion), and a cycle is `invalid`, naming it. Where a value is not known only because
parameters are not, and each of those can only be one of a few values (AllowedValues),
`narrow` evaluates it again for every choice of them: when all agree, that is the value.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Mapping
from typing import Any, Final

from checker.sources.cfn import texts
from checker.sources.cfn.parameters import (
    MAX_NESTING,
    MAX_POSSIBLE,
    Inputs,
    Spent,
    because,
    cfn_text,
    choices,
    known,
    where,
)
from checker.specfile.limits import key_text, kind_of
from checker.unknown import Reason, Unknown, invalid

MAX_COMBOS: Final = 64  # choices of parameter values one narrowing tries
_MISSING: Final = object()
Evaluator = Callable[[Any, Inputs, int | None], object]


def condition(name: str, inputs: Inputs) -> bool | Unknown:
    """The truth of the template's condition *name*: True, False, or an Unknown (with
    possible=(True, False) when it depends only on parameters that can each be only a few
    values, and those values disagree); `invalid` for a condition CloudFormation refuses."""
    try:
        return condition_at(name, inputs, None)
    except Spent as err:
        return Unknown(f"condition {key_text(name)} {err}")


def condition_at(name: str, inp: Inputs, line: int | None) -> bool | Unknown:
    """`condition`, used at *line*; raises Spent when the budget is spent."""
    key = ("condition", name)
    if key not in inp.memo:
        found: object = _raw(name, inp)
        if isinstance(found, Unknown):
            found = narrow({"Condition": name}, found, inp, line, truth)
        if isinstance(found, Unknown) and name in inp.conditions:
            at = where(inp.path, getattr(inp.conditions, "key_lines", {}).get(name))
            both = (True, False) if found.possible else None
            found = Unknown(f"condition {key_text(name)} ({at}): {found.reason}", found.kind,
                            possible=both)
        inp.memo[key] = found
    result: bool | Unknown = inp.memo[key]
    return result


def exists(logical: str, inputs: Inputs) -> bool | Unknown:
    """Whether the template's resource *logical* is created: True without a Condition; the
    truth of its Condition (an Unknown: it may or may not be created, as deploy decides)."""
    resource = inputs.resources.get(logical)
    if not isinstance(resource, Mapping):
        return invalid(f"resource {key_text(logical)} is not in the template's Resources")
    name = resource.get("Condition")
    if name is None:
        return True
    line = getattr(resource, "key_lines", {}).get("Condition") or \
        getattr(resource, "line", None)
    head = f"resource {key_text(logical)} ({where(inputs.path, line)})"
    if not isinstance(name, str):
        return invalid(f"{head}: its Condition is {kind_of(name)}, not a condition's name")
    try:
        found = condition_at(name, inputs, line)
    except Spent as err:
        found = Unknown(f"condition {key_text(name)} {err}")
    if isinstance(found, Unknown):
        return Unknown(f"{head} is created only if condition {key_text(name)} is true: "
                       f"{found.reason}", found.kind, possible=found.possible)
    return found


def _raw(name: str, inp: Inputs) -> bool | Unknown:
    """The truth of condition *name*, not narrowed; those it refers to evaluated first."""
    key = ("raw", name)
    if key not in inp.memo:
        for each in _order(name, inp):
            body = inp.conditions.get(each, _MISSING)
            inp.memo[("raw", each)] = invalid(
                f"condition {key_text(each)} is not in the template's Conditions") \
                if body is _MISSING else \
                truth(body, inp, getattr(inp.conditions, "key_lines", {}).get(each))
    result: bool | Unknown = inp.memo[key]
    return result


def _order(name: str, inp: Inputs) -> list[str]:
    """The conditions *name* needs evaluated, each after those it refers to; those in a
    cycle are set to `invalid` at once."""
    order: list[str] = []
    state = {name: 1}  # 1: being visited, 2: done
    path = [name]
    stack = [iter(_refers(name, inp))]
    while stack:
        dep = next(stack[-1], None)
        if dep is None:
            stack.pop()
            done = path.pop()
            state[done] = 2
            order.append(done)
        elif ("raw", dep) in inp.memo or state.get(dep) == 2:
            continue
        elif state.get(dep) == 1:
            cycle = [*path[path.index(dep):], dep]
            shown = " -> ".join(key_text(c) for c in cycle[:10])
            bad = invalid(f"conditions {shown}{' ...' if len(cycle) > 10 else ''} refer to "
                          "each other in a cycle")
            for member in cycle:
                inp.memo[("raw", member)] = bad
        else:
            state[dep] = 1
            path.append(dep)
            stack.append(iter(_refers(dep, inp)))
    return [each for each in order if ("raw", each) not in inp.memo]


def _refers(name: str, inp: Inputs) -> list[str]:
    """The conditions the body of condition *name* refers to."""
    out: list[str] = []
    stack = [inp.conditions.get(name)]
    while stack:
        inp.budget.spend()
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, Mapping):
            if len(node) == 1:
                fn, arg = next(iter(node.items()))
                target = arg[0] if fn == "Fn::If" and isinstance(arg, list) and arg else arg
                if fn in ("Condition", "Fn::If") and isinstance(target, str):
                    out.append(target)
            stack.extend(node.values())
    return out


def truth(node: Any, inp: Inputs, line: int | None) -> bool | Unknown:
    """The truth of a condition function (Fn::Equals, Fn::And, Fn::Or, Fn::Not, or
    {"Condition": name}) written at *line*."""
    line = getattr(node, "line", None) or line
    site = where(inp.path, line)
    if not (isinstance(node, Mapping) and len(node) == 1):
        return invalid(f"the condition at {site} is {kind_of(node)}, not a condition function")
    fn, arg = next(iter(node.items()))
    if fn == "Condition":
        return _raw(arg, inp) if isinstance(arg, str) else invalid(
            f"Condition ({site}) names {kind_of(arg)}, not a condition")
    sizes = {"Fn::Equals": (2, 2), "Fn::Not": (1, 1), "Fn::And": (2, 10), "Fn::Or": (2, 10)}
    if fn not in sizes:
        return invalid(f"{key_text(fn)} ({site}) is not a condition function")
    low, high = sizes[fn]
    if not (isinstance(arg, list) and low <= len(arg) <= high):
        return invalid(f"{fn} ({site}) takes a list of {low}" + (f" to {high}" if high > low
                                                                  else ""))
    if inp.depth >= MAX_NESTING:
        return Unknown(f"{fn} ({site}) is nested too deeply to evaluate")
    inp.depth += 1
    try:
        if fn == "Fn::Equals":
            values = [inp.calls.evaluate_at(value, inp, line) for value in arg]
            return _equals(values[0], values[1], site)
        found = [truth(part, inp, line) for part in arg]
    finally:
        inp.depth -= 1
    for part in found:
        if isinstance(part, Unknown) and part.kind is not Reason.UNKNOWN_VALUE:
            return part
    if fn == "Fn::Not":
        return not found[0] if isinstance(found[0], bool) else found[0]
    decisive: bool = fn == "Fn::Or"  # True decides an Or, False an And
    if any(part is decisive for part in found):
        return decisive
    unknown = next((part for part in found if isinstance(part, Unknown)), None)
    return unknown if unknown is not None else not decisive


def _equals(a: object, b: object, site: str) -> bool | Unknown:
    """Fn::Equals of two values, as text; what an unknown side can only be decides it when
    every choice gives one answer."""
    for side in (a, b):
        if isinstance(side, Unknown) and side.kind is not Reason.UNKNOWN_VALUE:
            return side
    if not isinstance(a, Unknown) and not isinstance(b, Unknown):
        return _text(a) == _text(b)
    left = (a,) if not isinstance(a, Unknown) else choices(a)
    right = (b,) if not isinstance(b, Unknown) else choices(b)
    if left and right and len(left) * len(right) <= MAX_COMBOS * MAX_COMBOS:
        answers = {_text(x) == _text(y) for x in left for y in right}
        if len(answers) == 1:
            return answers.pop()
    unknown = a if isinstance(a, Unknown) else b
    assert isinstance(unknown, Unknown)
    return because("Fn::Equals", site, unknown, possible=None, parts=None, origin=None,
                   decoded=None)


def _text(value: object) -> object:
    """*value* as Fn::Equals compares it: scalars as text, through lists and mappings."""
    if isinstance(value, list):
        return [_text(v) for v in value]
    if isinstance(value, dict):
        return {k: _text(v) for k, v in value.items()}
    found = cfn_text(value)
    return value if found is None else found


def if_(arg: Any, inp: Inputs, line: int | None) -> object:
    """Fn::If [condition, value if true, value if false]; with the condition not known, the
    values it can only be (NO_VALUE among them where a branch is AWS::NoValue)."""
    site = where(inp.path, line)
    if not (isinstance(arg, list) and len(arg) == 3 and isinstance(arg[0], str)):
        return invalid(f"Fn::If ({site}) is not [condition, value if true, value if false]")
    expr = f"Fn::If {key_text(arg[0])}"
    holds = condition_at(arg[0], inp, line)
    if isinstance(holds, bool):
        return inp.calls.evaluate_at(arg[1] if holds else arg[2], inp, line)
    if holds.kind is not Reason.UNKNOWN_VALUE:
        return because(expr, site, holds)
    values = [inp.calls.evaluate_at(branch, inp, line) for branch in arg[1:]]
    if known(values[0]) and values[0] == values[1]:
        return values[0]
    options: list[object] = []
    for value in values:
        for option in (value.possible or (value,)) if isinstance(value, Unknown) else (value,):
            if not known(option) or len(options) > MAX_POSSIBLE:
                return because(expr, site, holds, possible=None)
            if option not in options:
                options.append(option)
    return because(expr, site, holds, possible=tuple(options))


def narrow(node: Any, found: Unknown, inp: Inputs, line: int | None,
           evaluate: Evaluator) -> object:
    """*found*, the value of *node*, narrowed: evaluated again for each choice of values
    of the parameters it uses that can only be a few; the value when every choice gives
    the same, else *found* knowing them as possible (when each is known)."""
    if inp.lifting or found.kind is not Reason.UNKNOWN_VALUE or not inp.choosing:
        return found
    try:
        names = sorted(n for n in params_used(node, inp) if choices(inp.params[n]))
        options = [choices(inp.params[n]) or () for n in names]
        if not names or math.prod(len(o) for o in options) > MAX_COMBOS:
            return found
        results: list[object] = []
        for combo in itertools.product(*options):
            value = evaluate(node, inp.fixing(dict(zip(names, combo, strict=True))), line)
            if not known(value):
                return found
            if value not in results:
                results.append(value)
    except Spent:
        return found
    return results[0] if len(results) == 1 else found.but(possible=tuple(results))


def params_used(node: Any, inp: Inputs) -> set[str]:
    """The parameters *node* refers to, through the conditions and table names it uses."""
    found: set[str] = set()
    seen: set[str] = set()
    stack = [node]
    while stack:
        inp.budget.spend()
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        if not isinstance(item, Mapping):
            continue
        stack.extend(item.values())
        if len(item) != 1:
            continue
        fn, arg = next(iter(item.items()))
        names: list[Any] = [arg] if fn in ("Ref", "Condition") else []
        if fn == "Fn::Sub":
            text = arg[0] if isinstance(arg, list) and arg else arg
            names = texts.VARIABLE.findall(text) if isinstance(text, str) else []
        elif fn == "Fn::If" and isinstance(arg, list) and arg:
            names = [arg[0]]
        for name in names:
            if not isinstance(name, str) or name in seen:
                continue
            seen.add(name)
            if name in inp.params:
                found.add(name)
            if fn in ("Condition", "Fn::If"):
                stack.append(inp.conditions.get(name))
            elif name in inp.resources:
                resource = inp.resources[name]
                props = resource.get("Properties") if isinstance(resource, Mapping) else None
                if isinstance(props, Mapping):
                    stack.append(props.get("TableName"))
    return found
