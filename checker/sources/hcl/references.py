"""What expressions refer to, read from syntax alone: the cycles among locals.

Terraform refuses a local that depends on itself, whichever branch of a conditional the
reference is in, so the references are read from the expressions as written, not from
an evaluation. A `for` variable named `local` hides the locals inside its `for`.
"""

from __future__ import annotations

from checker.sources.hcl.bodynodes import Attribute
from checker.sources.hcl.exprnodes import (
    Binary,
    Call,
    Conditional,
    Expr,
    ForExpr,
    GetAttr,
    Index,
    Name,
    ObjectExpr,
    Part,
    Splat,
    Template,
    TemplateFor,
    TemplateIf,
    TupleExpr,
    Unary,
)


def local_refs(expr: Expr) -> set[str]:
    """The names of the locals *expr* refers to (`local.NAME`)."""
    out: set[str] = set()
    _walk(expr, out)
    return out


def children(expr: Expr) -> list[Expr]:
    """The sub-expressions of *expr* (a `for`'s and template's are walked apart)."""
    if isinstance(expr, TupleExpr):
        return list(expr.items)
    if isinstance(expr, ObjectExpr):
        return [e for pair in expr.items for e in pair]
    if isinstance(expr, GetAttr):
        return [expr.obj]
    if isinstance(expr, Index):
        return [expr.obj, expr.key]
    if isinstance(expr, Splat):
        return [expr.obj, *(s for s in expr.steps if isinstance(s, Expr))]
    if isinstance(expr, Call):
        return list(expr.args)
    if isinstance(expr, Conditional):
        return [expr.cond, expr.then, expr.otherwise]
    if isinstance(expr, Binary):
        return [expr.left, expr.right]
    if isinstance(expr, Unary):
        return [expr.operand]
    return []


def _walk(expr: Expr, out: set[str]) -> None:
    """Add the locals *expr* refers to to *out*."""
    if isinstance(expr, GetAttr) and isinstance(expr.obj, Name) and expr.obj.name == "local":
        out.add(expr.name)
        return
    if isinstance(expr, ForExpr):
        _walk(expr.collection, out)
        if "local" not in (expr.key_var, expr.value_var):
            for inner in (expr.key, expr.value, expr.cond):
                if inner is not None:
                    _walk(inner, out)
        return
    if isinstance(expr, Template):
        _parts(expr.parts, out)
        return
    for child in children(expr):
        _walk(child, out)


def _parts(parts: tuple[Part, ...], out: set[str]) -> None:
    """Add the locals a template's parts refer to."""
    for part in parts:
        if isinstance(part, Expr):
            _walk(part, out)
        elif isinstance(part, TemplateIf):
            _walk(part.cond, out)
            _parts(part.then, out)
            _parts(part.otherwise, out)
        elif isinstance(part, TemplateFor):
            _walk(part.collection, out)
            if "local" not in (part.key_var, part.value_var):
                _parts(part.body, out)


def local_cycle(locals_: dict[str, Attribute]) -> list[Attribute] | None:
    """A cycle among *locals_* (the local written first, then the locals it goes through),
    or None when there is none."""
    refs = {name: sorted(local_refs(attr.expr) & locals_.keys())
            for name, attr in locals_.items()}
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    for start in sorted(locals_, key=lambda n: (locals_[n].file, locals_[n].line)):
        if state.get(start):
            continue
        path: list[str] = [start]
        todo = [iter(refs[start])]
        state[start] = 1
        while todo:
            nxt = next(todo[-1], None)
            if nxt is None:
                state[path.pop()] = 2
                todo.pop()
            elif state.get(nxt) == 1:
                cycle = path[path.index(nxt):]
                first = min(range(len(cycle)),
                            key=lambda i: (locals_[cycle[i]].file, locals_[cycle[i]].line))
                return [locals_[n] for n in cycle[first:] + cycle[:first]]
            elif not state.get(nxt):
                state[nxt] = 1
                path.append(nxt)
                todo.append(iter(refs[nxt]))
    return None
