"""Follow `configuration` expressions of a plan through variables and module calls."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

_MODULE_STEP = re.compile(r'module\.([\w-]+)(?:\[(?:"(?:[^"\\]|\\.)*"|\d+)\])?')


def module_path(module_address: str | None) -> tuple[str, ...]:
    """`module.a["x"].module.b` -> ("a", "b"): the configuration path, instance keys dropped."""
    if not module_address:
        return ()
    return tuple(m.group(1) for m in _MODULE_STEP.finditer(module_address))


@dataclass(frozen=True)
class Const:
    """The expression is a constant (possibly null)."""

    value: Any


@dataclass(frozen=True)
class Ref:
    """The expression is an attribute of a resource or data source of *type*."""

    type: str
    module: tuple[str, ...]
    name: str


class Opaque:
    """The expression cannot be followed (locals, functions, conditionals, each.*)."""


OPAQUE = Opaque()
Resolved = Const | Ref | Opaque


def _root_of(ref: str) -> str:
    """`aws_kms_key.k.arn` -> `aws_kms_key.k`; `module.m.out` -> `module.m.out`."""
    parts = re.sub(r"\[[^\]]*\]", "", ref).split(".")
    if parts[0] in ("var", "local", "each", "count", "path", "terraform", "self"):
        return ".".join(parts[:2])
    if parts[0] == "data":
        return ".".join(parts[:3])
    if parts[0] == "module":
        return ".".join(parts[:3])
    return ".".join(parts[:2])


class PlanConfig:
    """Index over a plan's `configuration` block."""

    def __init__(self, plan: dict[str, Any]) -> None:
        config = plan.get("configuration") or {}
        self._providers: dict[str, Any] = config.get("provider_config") or {}
        self._variables = plan.get("variables") or {}
        self._modules: dict[tuple[str, ...], dict[str, Any]] = {}
        self._calls: dict[tuple[str, ...], dict[str, Any]] = {}
        self._resources: dict[tuple[tuple[str, ...], str, str], dict[str, Any]] = {}
        self._data: dict[tuple[tuple[str, ...], str, str], dict[str, Any]] = {}
        self._index(config.get("root_module") or {}, ())

    def _index(self, module: dict[str, Any], path: tuple[str, ...]) -> None:
        self._modules[path] = module
        for res in module.get("resources") or []:
            index = self._data if res.get("mode") == "data" else self._resources
            index.setdefault((path, res.get("type"), res.get("name")), res)
        for name, call in (module.get("module_calls") or {}).items():
            self._calls[(*path, name)] = call
            self._index(call.get("module") or {}, (*path, name))

    def resource(self, path: tuple[str, ...], rtype: str, name: str) -> dict[str, Any] | None:
        """The configuration entry of resource `rtype.name` in module *path*."""
        return self._resources.get((path, rtype, name))

    def has_default_tags(self, res: dict[str, Any] | None) -> bool | None:
        """Whether the provider configuration a resource uses sets default_tags (None: the
        plan does not say which configuration it uses)."""
        provider = self._providers.get(str((res or {}).get("provider_config_key")))
        if provider is None:
            return None
        return "default_tags" in (provider.get("expressions") or {})

    def data_argument(self, path: tuple[str, ...], dtype: str, name: str,
                      arg: str) -> Resolved:
        """The argument *arg* of data source `dtype.name` in module *path*, followed."""
        res = self._data.get((path, dtype, name))
        expr = ((res or {}).get("expressions") or {}).get(arg)
        return self.resolve(path, expr) if expr is not None else OPAQUE

    def resolve(self, path: tuple[str, ...], expr: Any, depth: int = 0) -> Resolved:
        """Follow *expr* (a configuration expression) as far as the plan allows."""
        if depth > 32 or not isinstance(expr, dict):
            return OPAQUE
        if "constant_value" in expr:
            return Const(expr["constant_value"])
        refs = expr.get("references") or []
        roots = {_root_of(r) for r in refs}
        if len(roots) != 1:
            return Const(None) if not refs and not expr else OPAQUE
        root = roots.pop()
        head, _, rest = root.partition(".")
        if head == "var":
            return self._variable(path, rest, depth)
        if head == "module":
            child, _, output = rest.partition(".")
            out = self._modules.get((*path, child), {}).get("outputs", {}).get(output)
            if out is None:
                return OPAQUE
            return self.resolve((*path, child), out.get("expression"), depth + 1)
        if head == "data":
            dtype, _, dname = rest.partition(".")
            return Ref(f"data.{dtype}", path, dname)
        if head in ("local", "each", "count", "path", "terraform", "self"):
            return OPAQUE
        return Ref(head, path, rest)

    def _variable(self, path: tuple[str, ...], name: str, depth: int) -> Resolved:
        if not path:
            var = self._variables.get(name)
            return Const(var.get("value")) if isinstance(var, dict) and "value" in var else OPAQUE
        call = self._calls.get(path) or {}
        passed = (call.get("expressions") or {}).get(name)
        if passed is not None:
            return self.resolve(path[:-1], passed, depth + 1)
        declared = (self._modules.get(path, {}).get("variables") or {}).get(name) or {}
        return Const(declared.get("default"))

    def block_expr(self, res: dict[str, Any] | None, block: str, attr: str) -> Any:
        """The expression of `block[0].attr`; None when the block is not written statically."""
        if res is None:
            return None
        blocks = (res.get("expressions") or {}).get(block)
        if not isinstance(blocks, list) or not blocks:
            return None
        return blocks[0].get(attr, {})
