"""Evaluate HCL expressions against a `scopes.Scope`, keeping unknowns fine-grained and honest."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from checker.sources.hcl import budget, functions
from checker.sources.hcl.budget import BudgetExceeded
from checker.sources.hcl.exprnodes import (
    Binary,
    Call,
    Conditional,
    Expr,
    ForExpr,
    GetAttr,
    Index,
    Lit,
    Name,
    ObjectExpr,
    Splat,
    Template,
    TupleExpr,
    Unary,
)
from checker.sources.hcl.operators import binary, get_attr, index_value, iterate, unary
from checker.sources.hcl.scopes import Scope
from checker.sources.hcl.templates import render
from checker.sources.hcl.values import (
    EvalError,
    Unknown,
    equal,
    plain,
    to_text,
    type_name,
)

MAX_DEPTH = 100  # nested evaluations (expressions, locals, outputs): ~6 Python frames each
_DEPTH = [0]
_MESSAGE = 300  # characters of an error's message kept in an Unknown's reason


def resolve(expr: Expr, scope: Scope) -> object:
    """The value of *expr*; an error Terraform would report, or a budget spent (`budget`),
    becomes an Unknown naming it."""
    try:
        return evaluate(expr, scope)
    except EvalError as exc:
        message = str(exc)
        message = message if len(message) <= _MESSAGE else message[: _MESSAGE - 3] + "..."
        return Unknown(f"{expr.text} ({expr.where}): {message}")
    except BudgetExceeded as exc:
        return Unknown(exc.at(f"{expr.text} ({expr.where})").reason)
    except RecursionError:
        return Unknown(f"{expr.text} ({expr.where}) is nested too deeply to evaluate")


def evaluate(expr: Expr, scope: Scope) -> object:
    """The value of *expr*; raises EvalError where Terraform would fail, BudgetExceeded
    (placed at the innermost expression) where a budget is spent."""
    if _DEPTH[0] >= MAX_DEPTH:
        return Unknown(f"{expr.text} ({expr.where}) is nested too deeply to evaluate")
    _DEPTH[0] += 1
    try:
        budget.step()
        return _DISPATCH[type(expr)](expr, scope)
    except BudgetExceeded as exc:
        raise exc.at(f"{expr.text} ({expr.where})") from None
    finally:
        _DEPTH[0] -= 1


def _lit(expr: Lit, scope: Scope) -> object:
    """A literal."""
    return expr.value


def _tuple(expr: TupleExpr, scope: Scope) -> object:
    """`[...]`: elements evaluated as they are."""
    budget.elements(len(expr.items))
    return [evaluate(item, scope) for item in expr.items]


def _object(expr: ObjectExpr, scope: Scope) -> object:
    """`{...}`: unknown as a whole when a key is."""
    budget.elements(len(expr.items))
    out: dict[str, object] = {}
    for key_expr, value_expr in expr.items:
        key = plain(evaluate(key_expr, scope))
        if isinstance(key, Unknown):
            return Unknown(key.reason)  # which keys the object has is not known
        out[to_text(key)] = evaluate(value_expr, scope)
    return out


def _name(expr: Name, scope: Scope) -> object:
    """A bare name bound here (for variables, each, count, iterators)."""
    if expr.name in scope.names:
        return scope.names[expr.name]
    if expr.name == "each":
        raise EvalError("each is only available where for_each is set")
    if expr.name == "count":
        raise EvalError("count is only available where count is set")
    raise EvalError(f"{expr.name} is not a value on its own")


def _root_attr(root: str, attr: str, expr: GetAttr, scope: Scope) -> object:
    """`var.X`, `local.X`, `module.X`, `path.X`, `TYPE.NAME`...: resolved by the context."""
    ctx = scope.ctx
    if root == "var":
        return ctx.var(attr, expr)
    if root == "local":
        return ctx.local(attr, expr)
    if root == "module":
        return ctx.module(attr, expr)
    if root == "path":
        return ctx.path(attr)
    if root == "terraform":
        if attr == "workspace":
            return "default"
        return Unknown(f"{expr.text} ({expr.where}) is not read")
    if root == "self":
        return Unknown(f"{expr.text} ({expr.where}) is known only after apply")
    if root in ("each", "count"):
        return _name(Name(expr.src, expr.line, expr.start, expr.end, root), scope)
    return ctx.resource(root, attr, expr)


def _getattr(expr: GetAttr, scope: Scope) -> object:
    """`obj.name`, or a reference rooted at var/local/module/data/a resource type."""
    obj = expr.obj
    if isinstance(obj, Name) and obj.name not in scope.names:
        if obj.name != "data":
            return _root_attr(obj.name, expr.name, expr, scope)
        raise EvalError("data needs a type and a name: data.TYPE.NAME")
    if (isinstance(obj, GetAttr) and isinstance(obj.obj, Name) and obj.obj.name == "data"
            and "data" not in scope.names):
        return scope.ctx.data(obj.name, expr.name, expr)
    return get_attr(evaluate(obj, scope), expr.name, expr.where)


def _index(expr: Index, scope: Scope) -> object:
    """`obj[key]`."""
    return index_value(evaluate(expr.obj, scope), evaluate(expr.key, scope))


def _splat(expr: Splat, scope: Scope) -> object:
    """`obj[*].steps` / `obj.*.steps`."""
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
    return out


def _call(expr: Call, scope: Scope) -> object:
    """A function call; an unsupported function is an Unknown naming it."""
    if expr.name in ("try", "can"):
        return _try(expr, scope)
    args = [evaluate(a, scope) for a in expr.args]
    if expr.expand and args:
        last = plain(args.pop())
        if isinstance(last, Unknown):
            return Unknown(last.reason)
        if not isinstance(last, list):
            raise EvalError("only a list can be expanded with ...")
        budget.elements(len(args) + len(last))
        args.extend(last)
    if not functions.supported(expr.name):
        return Unknown(f"{expr.text} ({expr.where}): function {expr.name} is not supported")
    try:
        return functions.call(expr.name, args)
    except (TypeError, ValueError, IndexError, KeyError, AttributeError) as exc:
        raise EvalError(f"{expr.name}: {exc}") from None


def _try(expr: Call, scope: Scope) -> object:
    """`try(...)` and `can(...)`: arguments evaluated lazily, errors caught."""
    for arg in expr.args:
        try:
            value = evaluate(arg, scope)
        except EvalError:
            continue
        if expr.name == "can":
            unknown = plain(value)
            return Unknown(unknown.reason) if isinstance(unknown, Unknown) else True
        return value
    if expr.name == "can":
        return False
    raise EvalError("no argument of try() could be evaluated")


def _for(expr: ForExpr, scope: Scope) -> object:
    """A `for` expression (tuple or object form, `if`, grouping `...`)."""
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
            keep = plain(evaluate(expr.cond, inner))
            if isinstance(keep, Unknown):
                return Unknown(keep.reason)  # which elements stay is not known
            if not keep:
                continue
        value = evaluate(expr.value, inner)
        if expr.key is None:
            items.append(value)
            continue
        k = plain(evaluate(expr.key, inner))
        if isinstance(k, Unknown):
            return Unknown(k.reason)
        text = to_text(k)
        if expr.group:
            group = grouped.setdefault(text, [])
            assert isinstance(group, list)
            group.append(value)
        elif text in grouped:
            raise EvalError(f"duplicate key {text!r} in a for expression (use ... to group)")
        else:
            grouped[text] = value
    return items if expr.key is None else grouped


def _conditional(expr: Conditional, scope: Scope) -> object:
    """`c ? a : b`: with c unknown, a when both branches are equal, else an Unknown that can
    only be one of the branches (when they are single values)."""
    cond = plain(evaluate(expr.cond, scope))
    if isinstance(cond, Unknown):
        try:
            then, other = evaluate(expr.then, scope), evaluate(expr.otherwise, scope)
        except EvalError:
            return Unknown(cond.reason)  # a branch that may never be taken fails
        if equal(then, other) is True:
            return then
        branches = _branches(then) + _branches(other)
        return Unknown(cond.reason, possible=None if _MANY in branches else branches)
    if cond in ("true", "false"):
        cond = cond == "true"
    if not isinstance(cond, bool):
        raise EvalError(f"a condition must be a bool, not {type_name(cond)}")
    return evaluate(expr.then if cond else expr.otherwise, scope)


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


def _binary(expr: Binary, scope: Scope) -> object:
    """`a OP b`."""
    return binary(expr.op, plain(evaluate(expr.left, scope)), plain(evaluate(expr.right, scope)))


def _unary(expr: Unary, scope: Scope) -> object:
    """`-x` / `!x`."""
    return unary(expr.op, plain(evaluate(expr.operand, scope)))


def _template(expr: Template, scope: Scope) -> object:
    """A string template."""
    return render(expr, scope, evaluate)


# Each handler takes its own Expr subclass: keyed by that class, so Any for the argument.
_DISPATCH: dict[type, Callable[[Any, Scope], object]] = {
    Lit: _lit,
    TupleExpr: _tuple,
    ObjectExpr: _object,
    Name: _name,
    GetAttr: _getattr,
    Index: _index,
    Splat: _splat,
    Call: _call,
    ForExpr: _for,
    Conditional: _conditional,
    Binary: _binary,
    Unary: _unary,
    Template: _template,
}

__all__ = ["evaluate", "resolve"]
