"""What an expression can see: its module instance's context and the names bound around it.

`Context` is what a module instance provides (`var.`, `local.`, `module.`, resources,
data sources, `path.`); a `Scope` adds the names bound where the expression is
written (`each`, `count`, dynamic block iterators, `for` variables).
"""

from __future__ import annotations

from typing import Protocol

from checker.sources.hcl.exprnodes import Expr
from checker.sources.hcl.valuemodel import EvalError


class Context(Protocol):
    """What a module instance lets its expressions see."""

    def var(self, name: str, site: Expr) -> object:
        """`var.NAME`."""

    def local(self, name: str, site: Expr) -> object:
        """`local.NAME`."""

    def module(self, name: str, site: Expr) -> object:
        """`module.NAME`: its outputs (a list or map of them under count/for_each)."""

    def resource(self, rtype: str, name: str, site: Expr) -> object:
        """`TYPE.NAME` of a managed resource."""

    def data(self, rtype: str, name: str, site: Expr) -> object:
        """`data.TYPE.NAME`."""

    def path(self, name: str) -> object:
        """`path.module`, `path.root`, `path.cwd`."""

    def workspace(self, site: Expr) -> object:
        """`terraform.workspace`."""


class Scope:
    """A module instance's context plus names bound here (each, count, iterators, for vars)."""

    __slots__ = ("ctx", "names")

    def __init__(self, ctx: Context, names: dict[str, object] | None = None) -> None:
        self.ctx = ctx
        self.names = names or {}

    def bind(self, **names: object) -> Scope:
        """A child scope with more names."""
        return Scope(self.ctx, {**self.names, **names})


class _Literal:
    """The context of a `.tfvars` file: literal values only, no references."""

    def _refuse(self, *args: object) -> object:
        """Any reference: not allowed in a variables file."""
        raise EvalError("a variables file can hold literal values only")

    var = local = module = resource = data = path = workspace = _refuse


def literal_scope() -> Scope:
    """A scope for literal values only (variables files)."""
    return Scope(_Literal())


__all__ = ["Context", "Scope", "literal_scope"]
