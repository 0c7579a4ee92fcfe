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
from checker.sources.hcl.forms import conditional, for_expr, splat, try_call
from checker.sources.hcl.numbers import Num
from checker.sources.hcl.operators import binary, get_attr, index_value, key_text, unary
from checker.sources.hcl.scopes import Scope
from checker.sources.hcl.templates import render
from checker.sources.hcl.valuemodel import (
    EvalError,
    Unknown,
    plain,
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
    """A literal (a number beyond the budget of one is over it)."""
    if isinstance(expr.value, int | float | Num) and not isinstance(expr.value, bool):
        budget.number(expr.value)
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
        out[key_text(key, "an object key")] = evaluate(value_expr, scope)
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
            return ctx.workspace(expr)
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


def _call(expr: Call, scope: Scope) -> object:
    """A function call; a function not implemented, or not known before apply, is an
    Unknown naming the call."""
    name = functions.canonical(expr.name)
    if name in functions.LAZY:
        if not expr.args or (name == "can" and len(expr.args) > 1):
            raise EvalError(f"{name}() takes {'one argument' if name == 'can' else 'arguments'}")
        return try_call(expr, scope, evaluate, name == "can")
    if not functions.known(expr.name):
        what = "a provider function" if "::" in expr.name else "not a Terraform function"
        return Unknown(f"{expr.text} ({expr.where}): {expr.name} is {what}")
    args = [evaluate(a, scope) for a in expr.args]
    if expr.expand and args:
        last = plain(args.pop())
        if isinstance(last, Unknown):
            return Unknown(last.reason)
        if not isinstance(last, list):
            raise EvalError("only a list, set or tuple can be expanded with ...")
        budget.elements(len(args) + len(last))
        args.extend(last)
    precheck(expr, args)
    try:
        result = functions.call(expr.name, args)
    except EvalError as exc:  # named by the call that failed, however long the expression
        raise EvalError(f"{name}(): {exc}") from None
    by_design = functions.by_design(expr.name)
    if by_design is not None:
        return Unknown(f"{expr.text} ({expr.where}) is not known before apply: {by_design}")
    return result


def _reference(expr: Expr) -> bool:
    """Whether *expr* is a reference, as templatestring requires its template to be: a
    name, with attributes, indexes or splats after it."""
    while isinstance(expr, GetAttr | Index | Splat):
        expr = expr.obj
    return isinstance(expr, Name)


def precheck(call: Call, args: list[object]) -> None:
    """What Terraform refuses in a call before it calls the function: templatestring's
    template must be a reference to a string from elsewhere, not a literal or an inline
    template (*args*: the arguments' values). EvalError when refused."""
    if call.name.removeprefix("core::") != "templatestring" or not call.args or call.expand:
        return
    first = call.args[0]
    if not _reference(first):
        raise EvalError("templatestring: invalid template expression: templatestring is only "
                        "for rendering templates retrieved dynamically from elsewhere; write "
                        "a template string expression, or refer to the template")
    value = plain(args[0]) if args else None
    if not isinstance(value, str | Unknown):
        raise EvalError("templatestring: invalid template value: a string is required")


def _binary(expr: Binary, scope: Scope) -> object:
    """`a OP b`."""
    return binary(expr.op, plain(evaluate(expr.left, scope)), plain(evaluate(expr.right, scope)))


def _unary(expr: Unary, scope: Scope) -> object:
    """`-x` / `!x`."""
    return unary(expr.op, plain(evaluate(expr.operand, scope)))


def _template(expr: Template, scope: Scope) -> object:
    """A string template."""
    return render(expr, scope, evaluate)


def _splat(expr: Splat, scope: Scope) -> object:
    """`obj[*].steps` / `obj.*.steps`."""
    return splat(expr, scope, evaluate)


def _for(expr: ForExpr, scope: Scope) -> object:
    """A `for` expression."""
    return for_expr(expr, scope, evaluate)


def _conditional(expr: Conditional, scope: Scope) -> object:
    """`c ? a : b`."""
    return conditional(expr, scope, evaluate)


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
