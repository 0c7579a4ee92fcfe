"""The Terraform-source (HCL) source: `.tf`/`.tfvars` files -> TableState, no Terraform run.

`read_hcl` evaluates each directory once (a module through the roots that call it);
`index_declarations` maps resources to their lines from parsing alone. Values the
source cannot know are explicit `Unknown`s whose reason names the expression and its
`file:line`; nothing is judged here. Each root is evaluated within the budgets of
`budget`, and reads only inside its place (`place`: the git work tree, else the
directories given).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from typing import TYPE_CHECKING

from checker.model import InlineSkip, Location, TableState

if TYPE_CHECKING:
    from checker.sources.hcl.index import ModuleConfig
    from checker.sources.hcl.layouts import Environments, Selection
    from checker.sources.hcl.modules import Run
    from checker.sources.hcl.place import Place
    from checker.sources.hcl.resources import Instance
    from checker.sources.terraform.body import Body


@dataclass
class HclRoot:
    """One evaluated root directory and the tables it declares."""

    directory: str  # the evaluated root dir, relative to cwd where possible
    states: list[TableState]  # every aws_dynamodb_table instance, alarms attached
    notes: list[str]  # e.g. "modules/dynamodb: evaluated through its callers ..."
    module_alone: bool  # a module dir evaluated without a caller (variables may be unknown)
    environment: str | None = None  # the environment its var files or workspace select
    selected_by: str = ""  # what selected it: "var file env/prod.tfvars, workspace prod"
    reads_workspace: bool = False  # an expression read terraform.workspace


@dataclass
class Declaration:
    """Where one resource block is written, from parsing alone."""

    file: str
    line: int
    field_locations: dict[str, Location] = field(default_factory=dict)
    skips: tuple[InlineSkip, ...] = ()

    def location(self) -> Location:
        """The resource block's file and line."""
        return Location(self.file, self.line)


def _instances(directory: str, modules: dict[str, ModuleConfig], values: dict[str, object],
               notes: list[str], place: Place, workspace: str | None
               ) -> tuple[Run, ModuleConfig, list[Instance]]:
    """The root module *directory* with its variable *values* in *workspace*: the
    evaluation, its config, and every table and alarm instance in it."""
    from checker.sources.hcl import budget
    from checker.sources.hcl.index import load_module
    from checker.sources.hcl.modules import Run, root_instance
    from checker.sources.hcl.tables import READ

    config = load_module(directory, modules)
    run = Run(directory, modules, list(notes), place=place, workspace=workspace)
    root = root_instance(run, config, values)
    out: list[Instance] = []
    for module in root.walk():
        found = module.resources.instances(READ)
        if len(out) + len(found) > budget.MAX_READ:  # what is left may hold any table
            where = module.address or "the root module"
            why = (f"{where} and the modules after it are not read: the root holds more than "
                   f"tablespec's budget of {budget.MAX_READ:,} table and alarm instances")
            run.notes.append(f"{config.directory}: {why}")
            run.unread.append((where, why, Location(module.config.directory)))
            break
        out.extend(found)
    return run, config, out


def _escape(directory: str, place: Place) -> str | None:
    """Why the root *directory* cannot be read inside *place*: it, one of its `.tf` files
    or of the variables files Terraform loads by itself, is outside (None: it can)."""
    from checker.sources.hcl.discover import auto_var_files
    from checker.sources.hcl.index import terraform_files

    files = [os.path.join(directory, n) for n in terraform_files(directory)]
    return place.escape(directory, [*files, *auto_var_files(directory)])


def _unread_root(directory: str, why: str, notes: list[str]) -> HclRoot:
    """A root not read: the tables it may declare are unknown, never absent."""
    from checker.sources.hcl.index import display_path
    from checker.sources.unread import unread_place

    shown = display_path(directory)
    reason = f"{shown} is not read: {why}"
    state = unread_place(shown, "hcl", reason, Location(shown))
    return HclRoot(shown, [state], [*notes, f"{shown}: not read: {why}"], False)


def _evaluate_root(directory: str, selection: Selection, modules: dict[str, ModuleConfig],
                   alone: bool, notes: list[str], place: Place) -> HclRoot:
    """Evaluate one root directory as *selection* says (its variables files, workspace),
    within a fresh budget."""
    from checker.sources.hcl import budget
    from checker.sources.hcl.discover import auto_var_files, read_var_file
    from checker.sources.hcl.index import display_path
    from checker.sources.hcl.tables import build_states
    from checker.sources.unread import unread_place

    budget.start()
    escape = _escape(directory, place)
    if escape is None:
        escape = place.escape(directory, list(selection.var_files))
    if escape is not None:
        return _unread_root(directory, escape, notes)
    values: dict[str, object] = {}
    for path in [*auto_var_files(directory), *selection.var_files]:
        values.update(read_var_file(path))
    run, config, instances = _instances(directory, modules, values, notes, place,
                                        selection.workspace or "default")
    states = build_states(instances) + [
        unread_place(address, "hcl", why, where) for address, why, where in run.unread]
    for module in modules.values():
        run.notes.extend(n for n in module.notes if n not in run.notes)
    is_module = alone and not config.root_like
    if is_module:
        run.notes.insert(0, f"{display_path(directory)}: evaluated alone (no caller found); "
                         "variables without a default are unknown")
    label = selection.label(run.workspace_read)
    if label:
        run.notes.insert(0, f"{display_path(directory)}: evaluated with {label}" + (
            f" (environment {selection.environment})" if selection.environment else ""))
    return HclRoot(display_path(directory), states, run.notes, is_module,
                   selection.environment, label, run.workspace_read)


def _evaluations(directory: str, selection: Selection, envs: Environments,
                 modules: dict[str, ModuleConfig], alone: bool, notes: list[str],
                 place: Place) -> list[HclRoot]:
    """*directory* evaluated as *selection* says; a selection that names no workspace,
    of a root that reads terraform.workspace, is evaluated once per environment's."""
    from checker.sources.hcl.layouts import per_workspace

    first = _evaluate_root(directory, selection, modules, alone, notes, place)
    if not first.reads_workspace or selection.workspace is not None:
        return [first]
    return [_evaluate_root(directory, each, modules, alone, notes, place)
            for each in per_workspace(selection, envs)] or [first]


def evaluate_root(directory: str) -> HclRoot:
    """*directory* evaluated as a root module with the variables files Terraform loads by
    itself (a module directory: its variables without a default are unknown)."""
    from checker.sources.hcl import budget
    from checker.sources.hcl.layouts import Selection
    from checker.sources.hcl.place import place_of

    budget.start_reading()
    return _evaluate_root(directory, Selection(root=os.path.abspath(directory)), {}, True, [],
                          place_of(directory))


def root_bodies(directory: str, variables: dict[str, object],
                notes: list[str] | None = None) -> dict[str, Body]:
    """Address -> Body of every table and alarm instance of the root module *directory*,
    evaluated with *variables* as the root's variable values (e.g. a plan's); none when
    the root is not read (it leaves its place). *notes* gets what could not be read."""
    from checker.sources.hcl import budget
    from checker.sources.hcl.body import instance_body
    from checker.sources.hcl.place import place_of

    budget.start_reading()
    place = place_of(directory)
    said = notes if notes is not None else []
    escape = _escape(directory, place)
    if escape is not None:
        said.append(f"{directory}: not read: {escape}")
        return {}
    run, _, instances = _instances(directory, {}, variables, [], place, None)
    said.extend(run.notes)
    said.extend(f"{address}: not read: {why}" for address, why, _ in run.unread)
    return {i.address: instance_body(i) for i in instances if i.unknown is None}


def read_hcl(paths: Sequence[str], var_files: Sequence[str] = (),
             environments: Environments | None = None, workers: int = 1) -> list[HclRoot]:
    """Evaluate the Terraform directories named by *paths* (files or directories, every
    Terraform directory under a directory), once per environment each serves (`layouts`).

    A directory that is a local module of other directories of its place (the git work
    tree, else the directories given) is evaluated through its callers' roots (with a
    note); otherwise alone. *var_files* (`--var-file`) make one evaluation of every root.
    With *workers* > 1, many evaluations are spread over two processes (`parallel`).
    RunError (one line) for a syntax error, what Terraform refuses, an unreadable or
    missing path, or a directory without Terraform files.
    """
    from checker.sources.hcl import budget
    from checker.sources.hcl.discover import Callers, group_paths, roots_of
    from checker.sources.hcl.index import display_path
    from checker.sources.hcl.layouts import Environments, selections
    from checker.sources.hcl.parallel import run_all
    from checker.sources.hcl.place import place_of

    budget.start_reading()
    envs = environments or Environments()
    if var_files:
        envs = replace(envs, var_file_args=tuple(os.path.abspath(v) for v in var_files))
    groups = group_paths(list(paths))
    cache: dict[str, ModuleConfig] = {}  # directory -> parsed module, shared by the roots
    callers: dict[tuple[str, ...], Callers] = {}  # by the directories of a place
    given = [g.directory for g in groups]
    # root -> var files given, notes, alone, place
    plan: dict[str, tuple[list[str], list[str], bool, Place]] = {}
    for group in groups:
        place = place_of(group.directory, given)
        finder = callers.setdefault(place.dirs, Callers(place, cache))
        roots = roots_of(group.directory, finder)
        if not roots:
            files, notes, _alone, _place = plan.setdefault(group.directory,
                                                           ([], [], True, place))
            files.extend(f for f in group.var_files if f not in files)
            continue
        shown = ", ".join(display_path(r) for r in roots)
        note = f"{display_path(group.directory)}: evaluated through its callers {shown}"
        ignored = [f"{display_path(f)}: not applied: its directory is evaluated through its "
                   "callers" for f in group.var_files]
        for root in roots:
            files, notes, _alone, _place = plan.setdefault(root, ([], [], False, place))
            notes.extend(n for n in [note, *ignored] if n not in notes)
    jobs: list[Callable[[], list[HclRoot]]] = []
    for root, (files, notes, alone, place) in plan.items():
        chosen, said = selections(root, files, envs)
        notes.extend(said)
        jobs += [partial(_evaluations, root, selection, envs, cache, alone, notes, place)
                 for selection in chosen]
    return [root for done in run_all(jobs, workers) for root in done]


def index_declarations(module_dir: str) -> dict[tuple[str, str], Declaration]:
    """(resource type, name) -> where it is declared in *module_dir*, from parsing only."""
    from checker.sources.hcl import budget
    from checker.sources.hcl.blocks import syntax_locations
    from checker.sources.hcl.index import load_module, skips_of
    from checker.sources.hcl.place import place_of

    budget.start_reading()
    if _escape(module_dir, place_of(module_dir)) is not None:
        return {}
    config = load_module(module_dir)
    return {key: Declaration(block.file, block.line, syntax_locations(block.body),
                             skips_of(block.comments))
            for key, block in config.resources.items()}


__all__ = ["Declaration", "HclRoot", "evaluate_root", "index_declarations", "read_hcl",
           "root_bodies"]
