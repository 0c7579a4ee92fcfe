"""Module calls: where a call's module is read from, and its instances.

A local source is read only inside the run's place (`place`: the git work tree, else the
directories given); a registry or git source only from where `terraform init` installed
it. A call that is not read (a source outside the place, not installed, not a literal, a
module calling itself, instances beyond the budget) is noted and remembered in
`Run.unread`: the tables it may declare are unknown, never absent.
"""

from __future__ import annotations

import os
from functools import partial
from typing import TYPE_CHECKING

from checker.model import Location
from checker.sources.hcl import budget
from checker.sources.hcl.bodynodes import Attribute, Block
from checker.sources.hcl.evaluate import resolve
from checker.sources.hcl.exprnodes import Expr, Lit, ObjectExpr
from checker.sources.hcl.index import ModuleConfig, load_module, terraform_files
from checker.sources.hcl.installed import Installed, call_key
from checker.sources.hcl.resources import Expansion, expand, key_text
from checker.sources.hcl.valuemodel import LazyObject, Thunk, Unknown

if TYPE_CHECKING:
    from checker.sources.hcl.modules import ModuleInstance, Provider

META = frozenset(("count", "for_each", "provider", "providers", "depends_on", "lifecycle",
                  "source", "version"))
MAX_NESTING = 32  # module calls within module calls


class ModuleCall:
    """A resolved `module` call: its instances and how `module.NAME` reads."""

    def __init__(self, instances: list[ModuleInstance], keys: list[object] | None,
                 counted: bool, unknown: Unknown | None = None) -> None:
        self.instances = instances
        self.keys = keys
        self.counted = counted
        self.unknown = unknown

    def value(self, site: Expr) -> object:
        """What `module.NAME` reads as."""
        if self.unknown is not None:
            return Unknown(self.unknown.reason)
        outputs = [_outputs(inst) for inst in self.instances]
        if self.keys is None:
            return outputs[0]
        if self.counted:
            return outputs
        return {str(k): o for k, o in zip(self.keys, outputs, strict=True)}

    @staticmethod
    def make(parent: ModuleInstance, name: str, block: Block) -> object:
        """Resolve one module call: its instances, or an Unknown for a source not evaluated."""
        where = f"{block.file}:{block.line}"
        expansion = expand(block, parent.scope, f"module.{name} ({where})")
        if not isinstance(expansion, Unknown) and not expansion.items:
            return ModuleCall([], expansion.keys, expansion.counted)  # count 0: nothing to read
        directory = _directory(parent, name, block)
        if isinstance(directory, Unknown):
            return directory
        config = load_module(directory, parent.run.modules)
        try:
            return ModuleCall._instances(parent, name, block, config, expansion)
        except budget.BudgetExceeded as exc:
            return _unread(parent, name, block, f"its instances {exc.message}")

    @staticmethod
    def _instances(parent: ModuleInstance, name: str, block: Block, config: ModuleConfig,
                   expansion: Expansion | Unknown) -> ModuleCall:
        """The instances of one module call of *config*, each counted against the budget."""
        child = type(parent)  # a module instance's calls make instances of its class
        attrs = block.body.attributes
        prefix = f"{parent.address}." if parent.address else ""
        providers = _passed_providers(parent, attrs.get("providers"))
        instances: list[ModuleInstance] = []
        unknown = parent.unknown_expansion
        if isinstance(expansion, Unknown):
            unknown = unknown or expansion.reason
            bindings: list[tuple[object, dict[str, object]]] = [
                (None, {"each": {"key": expansion, "value": expansion},
                        "count": {"index": expansion}})]
        else:
            bindings = [(k, names) for k, names in expansion.items]
        held = 1 + len(config.variables) + len(config.locals) + len(config.calls) + len(attrs)
        for key, names in bindings:
            budget.step(held)
            budget.volume(held * budget.THUNK_BYTES)
            scope = parent.scope.bind(**names)
            args = {arg: Thunk(f"module.{name}.{arg}", partial(resolve, attr.expr, scope))
                    for arg, attr in attrs.items() if arg not in META}
            suffix = "" if key is None else key_text(key)
            instances.append(child(parent.run, config, f"{prefix}module.{name}{suffix}",
                                   args, providers, unknown, parent.lineage))
        if isinstance(expansion, Unknown):
            return ModuleCall(instances, None, False, expansion)
        return ModuleCall(instances, expansion.keys, expansion.counted)


def _directory(parent: ModuleInstance, name: str, block: Block) -> str | Unknown:
    """The directory of call *name*'s module, inside the place; an Unknown (the call not
    read, noted) when there is none."""
    source = block.body.attributes.get("source")
    src = source.expr.value if source and isinstance(source.expr, Lit) else None
    if not isinstance(src, str):
        return _unread(parent, name, block, "its source is not a literal string")
    run = parent.run
    assert run.place is not None
    if src.startswith(("./", "../")):
        directory = os.path.normpath(os.path.join(parent.config.abspath, src))
        if not run.place.holds(directory):
            return _unread(parent, name, block, f"its source {run.place.outside(directory)}")
        if not os.path.isdir(directory):
            return _unread(parent, name, block, f"its source {src!r} is not a directory")
    else:
        run.installed = run.installed or Installed(run.root_dir)
        found = run.installed.directory(call_key(parent.address, name), src)
        if found is None:
            problem = f" ({run.installed.problem})" if run.installed.problem else ""
            return _unread(parent, name, block, f"source {src!r} is not a local module, "
                           f"nor installed by terraform init{problem}")
        directory = found
    if directory in parent.lineage or len(parent.lineage) > MAX_NESTING:
        return _unread(parent, name, block, "it calls itself (directly or through other modules)")
    escape = run.place.escape(directory, [os.path.join(directory, n)
                                          for n in terraform_files(directory)])
    return directory if escape is None else _unread(parent, name, block, escape)


def _unread(parent: ModuleInstance, name: str, block: Block, why: str) -> Unknown:
    """A module call not read: noted, remembered as a place tables may hide, unknown."""
    where = f"{block.file}:{block.line}"
    address = f"{parent.address}.module.{name}" if parent.address else f"module.{name}"
    parent.run.notes.append(f"{where}: module.{name} not evaluated: {why}")
    reason = f"module.{name} ({where}) is not evaluated: {why}"
    parent.run.unread.append((address, reason, Location(block.file, block.line)))
    return Unknown(reason)


def _outputs(inst: ModuleInstance) -> LazyObject:
    """The outputs of a module instance, computed on use."""
    attrs = {name: Thunk(f"{inst.address}.{name}",
                         partial(resolve, block.body.attributes["value"].expr, inst.scope))
             for name, block in inst.config.outputs.items() if "value" in block.body.attributes}
    return LazyObject(inst.address, attrs)


def _passed_providers(parent: ModuleInstance, attr: Attribute | None) -> dict[str, Provider]:
    """The child's provider configurations: `aws` by default, or the `providers` map."""
    out = {k: v for k, v in parent.providers.items() if "." not in k}
    if attr is not None and isinstance(attr.expr, ObjectExpr):
        for key_expr, value_expr in attr.expr.items:
            child_key = key_expr.text.strip('"')
            parent_key = value_expr.text
            if parent_key in parent.providers:
                out[child_key] = parent.providers[parent_key]
    return out


