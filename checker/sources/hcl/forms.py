"""The compound forms of the evaluator: conditionals, `for` expressions, splats, `try`.

Each takes the evaluator's `evaluate` as an argument (as `templates.render` does), so
that `evaluate` can dispatch to them without an import cycle.
"""

from __future__ import annotations

from collections.abc import Callable
from types import NoneType

from checker.sources.hcl import budget
from checker.sources.hcl.ctyconvert import convert, unify
from checker.sources.hcl.ctytypes import type_of
from checker.sources.hcl.exprnodes import Call, Conditional, Expr, ForExpr, Splat
from checker.sources.hcl.operators import get_attr, index_value, iterate, key_text, to_bool
from checker.sources.hcl.scopes import Scope
from checker.sources.hcl.valuemodel import (
    EvalError,
    LazyObject,
    TfList,
    TfSet,
    Unknown,
    equal,
    find_unknown,
    plain,
    untag,
)

Evaluate = Callable[[Expr, Scope], object]


def unified(value: object, other: object) -> object:
    """*value*, a conditional's result, as the type it and the other branch unify to
    (`true ? 1 : "a"` is `"1"`); EvalError when the branches have no type in common.
    A null or unknown branch takes the other's type (a null stays null)."""
    if any(isinstance(untag(v), LazyObject | NoneType) for v in (value, other)):
        return value  # a module or resource instance is not computed for this
    mine, theirs = type_of(value), type_of(other)
    if "any" in (mine.kind, theirs.kind) or mine == theirs:
        return value
    target = unify([mine, theirs])
    if target is None:
        raise EvalError("the true and false result expressions must have consistent types")
    if target == mine:
        return value
    try:
        return convert(value, target)
    except EvalError as exc:
        raise EvalError(f"the result value has the wrong type: {exc}") from None


def conditional(expr: Conditional, scope: Scope, evaluate: Evaluate) -> object:
    """`c ? a : b`. Both branches are evaluated, as HCL does (an error in the one not
    taken is dropped) and the result takes the type both unify to. With c unknown: a
    when both branches are equal, else an Unknown that can only be one of the branches
    (when they are single values)."""
    cond = plain(evaluate(expr.cond, scope))
    if isinstance(cond, Unknown):
        return _either(cond, expr, scope, evaluate)
    taken, other = (expr.then, expr.otherwise) if to_bool(cond, "a condition") is True else (
        expr.otherwise, expr.then)
    value = evaluate(taken, scope)
    try:
        beside = evaluate(other, scope)
    except EvalError:
        return value  # the branch not taken fails: its type is not known, nothing to unify
    return unified(value, beside)


def _either(cond: Unknown, expr: Conditional, scope: Scope, evaluate: Evaluate) -> object:
    """A conditional whose condition is not known."""
    try:
        then, other = evaluate(expr.then, scope), evaluate(expr.otherwise, scope)
        then, other = unified(then, other), unified(other, then)
    except EvalError:
        return Unknown(cond.reason)  # a branch that may never be taken fails
    if equal(then, other) is True:
        return then
    branches = _branches(then) + _branches(other)
    return Unknown(cond.reason, possible=None if _MANY in branches else branches)


_MANY = object()  # a branch that is a collection or wholly unknown: no short list of values


def _branches(value: object) -> tuple[object, ...]:
    """The single values a conditional branch can be."""
    value = plain(value)
    if isinstance(value, Unknown):
        if value.possible:
            return value.possible
        return (value,) if value.origin is not None else (_MANY,)
    if value is None or isinstance(value, bool | int | float | str):
        return (value,)
    return (_MANY,)


def for_expr(expr: ForExpr, scope: Scope, evaluate: Evaluate) -> object:
    """A `for` expression: a tuple, or an object (`...` groups the values of one key into
    a tuple); a set's elements are their own keys."""
    pairs = iterate(evaluate(expr.collection, scope))
    if isinstance(pairs, Unknown):
        return pairs
    items: list[object] = []
    grouped: dict[str, object] = {}
    budget.elements(len(pairs))
    for key, item in pairs:
        budget.step()
        names = {expr.value_var: item}
        if expr.key_var:
            names[expr.key_var] = key
        inner = scope.bind(**names)
        if expr.cond is not None:
            keep = to_bool(plain(evaluate(expr.cond, inner)), "the if clause of a for")
            if isinstance(keep, Unknown):
                return Unknown(keep.reason)  # which elements stay is not known
            if not keep:
                continue
        if expr.key is None:
            items.append(evaluate(expr.value, inner))
            continue
        k = plain(evaluate(expr.key, inner))
        if isinstance(k, Unknown):
            return Unknown(k.reason)
        text = key_text(k, "the key of a for expression")
        value = evaluate(expr.value, inner)
        if expr.group:
            group = grouped.setdefault(text, [])
            assert isinstance(group, list)
            group.append(value)
        elif text in grouped:
            raise EvalError(f"duplicate key {text[:40]!r} in a for expression (use ... to "
                            "group)")
        else:
            grouped[text] = value
    return items if expr.key is None else grouped


def splat(expr: Splat, scope: Scope, evaluate: Evaluate) -> object:
    """`obj[*].steps` / `obj.*.steps`: the steps applied to each element. A list or a set
    gives a list, a tuple a tuple; null gives an empty tuple, any other value a tuple of
    itself."""
    value = plain(evaluate(expr.obj, scope))
    if isinstance(value, Unknown):
        return value
    items = [] if value is None else value if isinstance(value, list) else [value]
    budget.elements(len(items))
    out: list[object] = []
    for item in items:
        budget.step()
        for step in expr.steps:
            if isinstance(step, str):
                item = get_attr(item, step, expr.where)
            else:
                item = index_value(item, evaluate(step, scope))
        out.append(item)
    return TfList(out) if isinstance(value, TfList | TfSet) else out


def try_call(expr: Call, scope: Scope, evaluate: Evaluate, can: bool) -> object:
    """`try(...)` and `can(...)`: arguments evaluated in turn, errors caught. A value not
    wholly known may yet fail: try and can are then not known either."""
    for arg in expr.args:
        try:
            value = evaluate(arg, scope)
        except EvalError:
            if can:
                return False
            continue
        unknown = find_unknown(value)
        if unknown is not None:  # an unknown itself keeps what is known of it (its origin)
            return value if plain(value) is unknown and not can else Unknown(unknown.reason)
        return True if can else value
    if can:
        return False
    raise EvalError("no argument of try() could be evaluated")
