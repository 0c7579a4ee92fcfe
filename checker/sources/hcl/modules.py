"""Module instances: variables, locals, outputs, local module calls, resources and data.

A `ModuleInstance` is the evaluation context of one instance of a module (the root, or
one `module` call instance under count/for_each). Everything is lazy and computed once.
A local or variable that depends on itself is a RunError (exit 2), as Terraform refuses
it (a cycle among locals alone is found from syntax by `index`, whatever is evaluated).
Module calls (their sources, the place they are read in, their instances) are `calls`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial

from checker.errors import located
from checker.model import Location
from checker.sources.hcl import budget
from checker.sources.hcl.bodynodes import Attribute, Block
from checker.sources.hcl.calls import ModuleCall
from checker.sources.hcl.evaluate import resolve
from checker.sources.hcl.exprnodes import Expr, Lit
from checker.sources.hcl.functions import files
from checker.sources.hcl.hclsyntax.errors import shown_name
from checker.sources.hcl.index import ModuleConfig
from checker.sources.hcl.installed import Installed
from checker.sources.hcl.place import Place, place_of
from checker.sources.hcl.resources import Instance, ResourceTable
from checker.sources.hcl.scopes import Scope
from checker.sources.hcl.valuemodel import EvalError, Thunk, Unknown
from checker.sources.hcl.vartypes import convert, read_type

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
    place: Place | None = None  # where modules may be read from (default: the root's place)
    # terraform.workspace: the workspace this evaluation is made for ("default" unless one
    # is selected; None: not known, e.g. a plan's); whether any expression read it
    workspace: str | None = "default"
    workspace_read: bool = False

    def __post_init__(self) -> None:
        budget.start()  # each evaluation has the budgets of its own
        if self.place is None:
            self.place = place_of(self.root_dir)
        files.use(self.root_dir, self.place)  # file functions read from the root, inside


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
                        self._var_compute(name, block, args.get(name)),
                        _cycle(block.file, block.line, f"var.{name}"))
            for name, block in config.variables.items()}
        self._locals = {name: Thunk(f"local.{name} ({attr.file}:{attr.line})",
                                    self._local_compute(attr),
                                    _cycle(attr.file, attr.line, f"local.{name}"))
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
        if isinstance(value, ModuleCall):
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

    def workspace(self, site: Expr) -> object:
        """`terraform.workspace`: the run's workspace (noted as read: a root that reads it
        is evaluated once per environment's workspace)."""
        self.run.workspace_read = True
        if self.run.workspace is None:
            return Unknown(f"{site.text} ({site.where}): the workspace is not known here")
        return self.run.workspace

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
        return lambda: ModuleCall.make(self, name, block)

    def children(self) -> Iterator[ModuleInstance]:
        """Child module instances (local sources only), in declaration order."""
        for thunk in self._calls.values():
            call = thunk.get()
            if isinstance(call, ModuleCall):
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


def _cycle(file: str, line: int, what: str) -> str:
    """The error line for a cycle through *what* (`var.x`, `local.y`)."""
    prefix, _, name = what.partition(".")
    return located(file, line, f"{prefix}.{shown_name(name)} depends on itself: a cycle, "
                   "which Terraform refuses")


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


