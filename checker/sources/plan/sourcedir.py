"""`tablespec plan --source-dir DIR`: the plan completed by its source, on its `.tf` lines.

The plan's `configuration` gives each module call's source; from DIR (the root module) a
local source (`./...`, `../...`) names the directory that declares a module's resources.
Each such directory is parsed (for the lines of resource blocks, their attributes and
inline skip comments), and the root is evaluated with the plan's variables. A source whose
declarations do not match the plan's configuration is not used, and a note says so.

Where the plan does not know a value, the source may: a `dynamic` block whose `for_each`
is known to be empty (the plan shows such a block exactly as one decided at apply), a key
written as a conditional the plan gives only as references, the topic ARNs of an alarm's
actions. The plan's own values always stand; resources in registry modules keep the plan
as their location and its values alone.
"""

from __future__ import annotations

import os
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from checker.model import Alarm, TableState
from checker.sources.plan.config import split_address
from checker.sources.plan.source import tables_from_plan
from checker.sources.terraform.body import Layered
from checker.sources.terraform.replicas import place_block
from checker.sources.terraform.table import TABLE

if TYPE_CHECKING:
    from checker.sources.hcl import Declaration
    from checker.sources.plan.source import Planned
    from checker.sources.terraform.body import Body

Index = dict[tuple[str, ...], dict[tuple[str, str], "Declaration"]]

_LOCAL = ("./", "../")
_CONFIG_ENDINGS = (".tf", ".tofu", ".json")  # how every configuration file name ends


def plan_states(plan: dict[str, Any], target: str, source_dir: str | None
                ) -> tuple[list[TableState], list[str]]:
    """The plan's tables, completed by its source when there is one; and notes."""
    if source_dir is None:
        return tables_from_plan(plan, target), []
    return read_with_source(plan, target, source_dir)


def default_source_dir(explicit: str | None) -> str | None:
    """--source-dir, else the current directory when it holds Terraform configuration."""
    if explicit is not None:
        return explicit
    try:
        names = os.listdir(".")
    except OSError:
        return None
    if not any(n.endswith(_CONFIG_ENDINGS) for n in names):
        return None  # not loading the HCL reader, for a plan checked on its own
    from checker.sources.hcl.index import is_config_name

    return "." if any(is_config_name(n) for n in names) else None


def _module_dirs(plan: dict[str, Any], root: str) -> tuple[dict[tuple[str, ...], str],
                                                           dict[tuple[str, ...], set[str]]]:
    """(module path -> its directory, for local modules; module path -> `type.name` of
    every managed resource the configuration declares there)."""
    dirs: dict[tuple[str, ...], str] = {(): os.path.abspath(root)}
    declared: dict[tuple[str, ...], set[str]] = {}

    def walk(module: dict[str, Any], path: tuple[str, ...]) -> None:
        declared[path] = {f"{r.get('type')}.{r.get('name')}" for r in module.get("resources") or []
                          if r.get("mode", "managed") == "managed"}
        for name, call in (module.get("module_calls") or {}).items():
            source = str(call.get("source") or "")
            child = (*path, name)
            if path in dirs and source.startswith(_LOCAL):
                dirs[child] = os.path.normpath(os.path.join(dirs[path], source))
            walk(call.get("module") or {}, child)

    walk((plan.get("configuration") or {}).get("root_module") or {}, ())
    return dirs, declared


def _indexed(plan: dict[str, Any], source_dir: str) -> Index | str:
    """The source's declarations per module path, or why the source cannot be used."""
    from checker.errors import RunError
    from checker.sources.hcl import index_declarations

    dirs, declared = _module_dirs(plan, source_dir)
    index: Index = {}
    parsed: dict[str, dict[tuple[str, str], Declaration]] = {}
    for path, directory in dirs.items():
        where = ".".join(f"module.{p}" for p in path) or "the root module"
        if not os.path.isdir(directory):
            return (f"--source-dir {source_dir}: not used: the plan's {where} comes from "
                    f"{directory}, which is not a directory")
        try:
            if directory not in parsed:
                parsed[directory] = index_declarations(directory)
        except RunError as err:
            return f"--source-dir {source_dir}: not used: {err.message}"
        found = {f"{t}.{n}" for t, n in parsed[directory]}
        missing = sorted(declared.get(path, set()) - found)
        if missing:
            return (f"--source-dir {source_dir}: not used: {directory} does not declare "
                    f"{missing[0]} of {where} in the plan's configuration")
        index[path] = parsed[directory]
    return index


def read_with_source(plan: dict[str, Any], target: str, source_dir: str
                     ) -> tuple[list[TableState], list[str]]:
    """The plan's tables, completed by the source where the plan does not know a value,
    and placed on the source's lines; notes say what of the source could not be used."""
    from checker.errors import RunError
    from checker.sources.hcl import root_bodies
    from checker.sources.plan.source import (
        aws_managed_keys,
        bodies,
        previous_names,
        read_states,
    )

    index = _indexed(plan, source_dir)
    if isinstance(index, str):
        return tables_from_plan(plan, target), [index]
    config, planned = bodies(plan)
    variables = {name: v["value"] for name, v in (plan.get("variables") or {}).items()
                 if isinstance(v, dict) and "value" in v}
    notes: list[str] = []
    try:
        source_notes: list[str] = []
        written = root_bodies(source_dir, variables, source_notes)
        notes += [f"--source-dir {source_dir}: {n}" for n in source_notes]
    except RunError as err:
        written = {}
        notes.append(f"--source-dir {source_dir}: values not read from the source: "
                     f"{err.message}")
    layered: list[tuple[Planned, Body]] = [
        (res, Layered(body, written[res.address]) if res.address in written else body)
        for res, body in planned]
    states = read_states(config, layered, target, aws_managed_keys(plan))
    renamed = previous_names(plan)
    for state in states:
        if state.replica is None:
            state.previous_name = renamed.get(state.resource)
        _place(index, state)
    return states, notes


def _place(index: Index, state: TableState) -> None:
    """Set the location, field locations and inline skips of a table and its alarms (a
    replica block: where its block is written; the table keeps the skips)."""
    decl = _declaration(index, state.resource)
    if decl is not None and state.replica is not None and _type(state.resource) == TABLE:
        place_block(state, decl.field_locations, decl.location())
    elif decl is not None:
        state.location = decl.location()
        state.field_locations = decl.field_locations
        state.skips = decl.skips
    state.alarms = [_alarm(index, a) for a in state.alarms]


def _type(address: str) -> str:
    """The resource type of an instance address."""
    return split_address(address)[2].partition(".")[0]


def _declaration(index: Index, address: str) -> Declaration | None:
    path, _, local = split_address(address)
    rtype, _, name = local.partition("[")[0].partition(".")
    return index.get(path, {}).get((rtype, name))


def _alarm(index: Index, alarm: Alarm) -> Alarm:
    decl = _declaration(index, alarm.resource)
    if decl is None:
        return alarm
    return replace(alarm, location=decl.location(), field_locations=decl.field_locations,
                   skips=decl.skips)
