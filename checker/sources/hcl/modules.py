"""Module instances: variables, locals, outputs, local module calls, resources and data.

A `ModuleInstance` is the evaluation context of one instance of a module (the root, or
one `module` call instance under count/for_each). Everything is lazy and computed once:
a local or variable that refers to itself becomes an Unknown rather than recursing.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial

from checker.model import Location
from checker.sources.hcl.bodynodes import Attribute, Block
from checker.sources.hcl.evaluate import resolve
from checker.sources.hcl.exprnodes import Expr, Lit, ObjectExpr
from checker.sources.hcl.index import ModuleConfig, load_module
from checker.sources.hcl.installed import Installed, call_key
from checker.sources.hcl.resources import Instance, ResourceTable, expand, key_text
from checker.sources.hcl.scopes import Scope
from checker.sources.hcl.values import EvalError, LazyObject, Thunk, Unknown
from checker.sources.hcl.vartypes import convert, read_type

META = frozenset(("count", "for_each", "provider", "providers", "depends_on", "lifecycle",
                  "source", "version"))


MAX_NESTING = 32  # module calls within module calls
Compute = Callable[[], object]


@dataclass(frozen=True)
class Provider:
    """A provider configuration as the resources that use it see it."""

    ident: str  # where it is declared: `aws` (the root's), `module.m:aws.west`
    tags: Thunk  # its default_tags ({} without)
    region: Thunk  # its region; None where it is not set (the environment's: not known)


def _unset() -> object:
    return None


@dataclass(eq=False)
class Run:
    """What one evaluation shares: parsed modules, notes, the root directory."""

    root_dir: str
    modules: dict[str, ModuleConfig]
    notes: list[str]
    # module calls not read (address, why, where): what tables they declare is not known
    unread: list[tuple[str, str, Location]] = field(default_factory=list)
    installed: Installed | None = None  # the root's `terraform init` modules, read on use


class ModuleInstance:
    """One instance of a module: the context its expressions are evaluated in."""

    def __init__(self, run: Run, config: ModuleConfig, address: str,
                 args: dict[str, Thunk], providers: dict[str, Provider],
                 unknown_expansion: str | None = None, lineage: tuple[str, ...] = ()) -> None:
        self.run = run
        self.config = config
        self.address = address  # "" for the root, else `module.a["k"].module.b`
        self.unknown_expansion = unknown_expansion
        self.lineage: tuple[str, ...] = (*lineage, config.abspath)  # module dirs from the root
        self.scope = Scope(self)
        self._unset: dict[str, Unknown] = {}  # the value of each variable nothing gives one
        self._vars = {
            name: Thunk(f"var.{name} ({block.file}:{block.line})",
                        self._var_compute(name, block, args.get(name)))
            for name, block in config.variables.items()}
        self._locals = {name: Thunk(f"local.{name} ({attr.file}:{attr.line})",
                                    self._local_compute(attr))
                        for name, attr in config.locals.items()}
        self._calls: dict[str, Thunk] = {
            name: Thunk(f"module.{name}", self._call_compute(name, block))
            for name, block in config.calls.items()}
        self.resources = ResourceTable(self)
        self.providers = self._provider_configs(providers)

    # -- Context -------------------------------------------------------------------------

    def var(self, name: str, site: Expr) -> object:
        """`var.NAME`: the caller's argument, tfvars, or the default; Unknown without a value."""
        thunk = self._vars.get(name)
        if thunk is None:
            raise EvalError(f"no variable {name!r} is declared in {self.config.directory}")
        value = thunk.get()
        if isinstance(value, Unknown) and value is self._unset.get(name):  # no value: say where
            return Unknown(f"var.{name} ({site.where}) has no value")
        return value

    def local(self, name: str, site: Expr) -> object:
        """`local.NAME`."""
        thunk = self._locals.get(name)
        if thunk is None:
            raise EvalError(f"no local value {name!r} is declared")
        return thunk.get()

    def module(self, name: str, site: Expr) -> object:
        """`module.NAME`: its outputs, as a list/map of outputs under count/for_each."""
        thunk = self._calls.get(name)
        if thunk is None:
            raise EvalError(f"no module call {name!r} is declared")
        value = thunk.get()
        if isinstance(value, _Call):
            return value.value(site)
        if isinstance(value, Unknown):
            return Unknown(f"{site.text} ({site.where}): {value.reason}")
        return value

    def resource(self, rtype: str, name: str, site: Expr) -> object:
        """`TYPE.NAME`."""
        return self.resources.value("resource", rtype, name, site)

    def data(self, rtype: str, name: str, site: Expr) -> object:
        """`data.TYPE.NAME`."""
        return self.resources.value("data", rtype, name, site)

    def path(self, name: str) -> object:
        """`path.module` (relative to the root), `path.root`, `path.cwd`."""
        if name == "module":
            rel = os.path.relpath(self.config.abspath, self.run.root_dir)
            return "." if rel == "." else rel.replace(os.sep, "/")
        if name == "root":
            return "."
        return self.run.root_dir

    # -- variables and locals ------------------------------------------------------------

    def _var_compute(self, name: str, block: Block, given: Thunk | None) -> Compute:
        """How to compute `var.NAME`: argument, tfvars or default, converted to its type."""
        attrs = block.body.attributes
        spec = read_type(attrs["type"].expr if "type" in attrs else None)
        nullable = attrs.get("nullable")
        not_null = nullable is not None and isinstance(nullable.expr, Lit) and (
            nullable.expr.value is False)

        def compute() -> object:
            """The variable's value (`_unset[name]` when nothing gives one)."""
            raw: object = None
            if given is not None:
                raw = given.get()
            if (given is None or (raw is None and not_null)) and "default" in attrs:
                raw = resolve(attrs["default"].expr, self.scope)  # non-nullable: null -> default
            elif given is None:
                return self._unset.setdefault(name, Unknown(f"var.{name} has no value"))
            try:
                return convert(raw, spec, lambda e: resolve(e, self.scope))
            except EvalError as exc:
                return Unknown(f"var.{name} ({block.file}:{block.line}): {exc}")

        return compute

    def _local_compute(self, attr: Attribute) -> Compute:
        """How to compute `local.NAME`."""
        return lambda: resolve(attr.expr, self.scope)

    # -- module calls --------------------------------------------------------------------

    def _call_compute(self, name: str, block: Block) -> Compute:
        """How to resolve `module.NAME` (its instances)."""
        return lambda: _Call.make(self, name, block)

    def children(self) -> Iterator[ModuleInstance]:
        """Child module instances (local sources only), in declaration order."""
        for thunk in self._calls.values():
            call = thunk.get()
            if isinstance(call, _Call):
                yield from call.instances

    def walk(self) -> Iterator[ModuleInstance]:
        """This instance and every descendant."""
        yield self
        for child in self.children():
            yield from child.walk()

    # -- providers -----------------------------------------------------------------------

    def _provider_configs(self, inherited: dict[str, Provider]) -> dict[str, Provider]:
        """Provider configurations seen here, by the key resources write (`aws.west`)."""
        out = dict(inherited)
        for key, block in self.config.providers.items():
            ident = f"{self.address}:{key}" if self.address else key
            out[key] = Provider(ident, Thunk(f"provider {key}", partial(self._default_tags, block)),
                                Thunk(f"provider {key} region", partial(self._region, block)))
        return out

    def _region(self, block: Block) -> object:
        """The `region` of a provider block (None when not set)."""
        attr = block.body.attributes.get("region")
        return None if attr is None else resolve(attr.expr, self.scope)

    def _default_tags(self, block: Block) -> object:
        """`default_tags { tags = ... }` of a provider block ({} without)."""
        found = [b for b in block.body.blocks if b.type == "default_tags"]
        if not found or "tags" not in found[0].body.attributes:
            return {}
        return resolve(found[0].body.attributes["tags"].expr, self.scope)

    def tables_and_alarms(self, rtypes: tuple[str, ...]) -> list[Instance]:
        """Every instance of the resource types *rtypes* declared in this module instance."""
        return self.resources.instances(rtypes)


class _Call:
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
        attrs = block.body.attributes
        where = f"{block.file}:{block.line}"
        expansion = expand(block, parent.scope, f"module.{name} ({where})")
        if not isinstance(expansion, Unknown) and not expansion.items:
            return _Call([], expansion.keys, expansion.counted)  # count = 0: nothing to read
        source = attrs.get("source")
        src = source.expr.value if source and isinstance(source.expr, Lit) else None
        if not isinstance(src, str):
            return _unread(parent, name, block, "its source is not a literal string")
        if src.startswith(("./", "../")):
            directory = os.path.normpath(os.path.join(parent.config.abspath, src))
            if not os.path.isdir(directory):
                return _unread(parent, name, block, f"its source {src!r} is not a directory")
        else:
            run = parent.run
            run.installed = run.installed or Installed(run.root_dir)
            found = run.installed.directory(call_key(parent.address, name), src)
            if found is None:
                problem = f" ({run.installed.problem})" if run.installed.problem else ""
                return _unread(parent, name, block, f"source {src!r} is not a local module, "
                               f"nor installed by terraform init{problem}")
            directory = found
        if directory in parent.lineage or len(parent.lineage) > MAX_NESTING:
            return _unread(parent, name, block,
                           "it calls itself (directly or through other modules)")
        config = load_module(directory, parent.run.modules)
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
        for key, names in bindings:
            scope = parent.scope.bind(**names)
            args = {arg: Thunk(f"module.{name}.{arg}", partial(resolve, attr.expr, scope))
                    for arg, attr in attrs.items() if arg not in META}
            suffix = "" if key is None else key_text(key)
            instances.append(ModuleInstance(parent.run, config, f"{prefix}module.{name}{suffix}",
                                            args, providers, unknown, parent.lineage))
        if isinstance(expansion, Unknown):
            return _Call(instances, None, False, expansion)
        return _Call(instances, expansion.keys, expansion.counted)


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


def _given(value: object) -> object:
    """A value given as it is (a root variable from a variables file)."""
    return value


def root_instance(run: Run, config: ModuleConfig, values: dict[str, object]) -> ModuleInstance:
    """The root module instance with root variable *values* (tfvars / var files)."""
    args = {name: Thunk(f"var.{name}", partial(_given, value)) for name, value in values.items()
            if name in config.variables}
    providers = {"aws": Provider("aws", Thunk("provider aws", dict),
                                 Thunk("provider aws region", _unset))}
    return ModuleInstance(run, config, "", args, providers)


