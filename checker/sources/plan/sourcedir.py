"""`tablespec plan --source-dir DIR`: put the plan's tables and alarms on their `.tf` lines.

The plan's `configuration` gives each module call's source; from DIR (the root module) a
local source (`./...`, `../...`) names the directory that declares a module's resources.
Each such directory is parsed once (no evaluation) for the lines of its resource blocks,
their attributes and inline skip comments. A directory whose declarations do not match the
plan's configuration is not used, and a note says so. Resources in registry modules keep
the plan as their location. Where the plan leaves an alarm's actions wholly unknown and
the source writes them (`alarm_actions = [aws_sns_topic.alerts.arn]`), the source's count
of actions is taken, and the finding says so. Where the plan shows no block on a table being
created but the source writes it as a `dynamic` block, the block is decided at apply (its
`for_each` is unknown), not left out: the field becomes unknown instead of the AWS default.
"""

from __future__ import annotations

import os
import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from checker.model import Alarm, EncLevel, Encryption, TableState, Unknown
from checker.sources.plan.config import module_path

if TYPE_CHECKING:
    from checker.sources.hcl import Declaration

Index = dict[tuple[str, ...], dict[tuple[str, str], "Declaration"]]

_ADDRESS = re.compile(r'^(?:(?P<module>.*)\.)?(?P<type>[a-z0-9_]+)\.(?P<name>[\w-]+)'
                      r'(?:\[(?:"(?:[^"\\]|\\.)*"|\d+)\])?$')
_LOCAL = ("./", "../")


def default_source_dir(explicit: str | None) -> str | None:
    """--source-dir, else the current directory when it holds `.tf` files."""
    if explicit is not None:
        return explicit
    try:
        return "." if any(n.endswith(".tf") for n in os.listdir(".")) else None
    except OSError:
        return None


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


def _split(address: str) -> tuple[tuple[str, ...], str, str] | None:
    m = _ADDRESS.match(address)
    if m is None:
        return None
    return module_path(m.group("module")), m.group("type"), m.group("name")


def locate(plan: dict[str, Any], states: list[TableState], source_dir: str) -> list[str]:
    """Set the location, field locations and inline skips of *states* (and their alarms)
    from the source; returns notes on what could not be used."""
    from checker.errors import RunError
    from checker.sources.hcl import index_declarations

    dirs, declared = _module_dirs(plan, source_dir)
    index: Index = {}
    parsed: dict[str, dict[tuple[str, str], Declaration]] = {}
    for path, directory in dirs.items():
        where = ".".join(f"module.{p}" for p in path) or "the root module"
        if not os.path.isdir(directory):
            return [f"--source-dir {source_dir}: not used: the plan's {where} comes from "
                    f"{directory}, which is not a directory"]
        try:
            if directory not in parsed:
                parsed[directory] = index_declarations(directory)
        except RunError as err:
            return [f"--source-dir {source_dir}: not used: {err.message}"]
        found = {f"{t}.{n}" for t, n in parsed[directory]}
        missing = sorted(declared.get(path, set()) - found)
        if missing:
            return [f"--source-dir {source_dir}: not used: {directory} does not declare "
                    f"{missing[0]} of {where} in the plan's configuration"]
        index[path] = parsed[directory]
    defaulted = _left_out(plan)
    for state in states:
        decl = _declaration(index, state.resource)
        if decl is not None:
            state.location = decl.location()
            state.field_locations = decl.field_locations
            state.skips = decl.skips
            for block in sorted(defaulted.get(state.resource, set()) & decl.dynamic_blocks):
                at = decl.field_locations.get(block, decl.location())
                _decided_at_apply(state, block, Unknown(
                    f"the dynamic {block} block ({at.file}:{at.line}) is decided at apply: "
                    "the plan shows none"))
        state.alarms = [_alarm(index, a) for a in state.alarms]
    return []


_BLOCKS = ("ttl", "point_in_time_recovery", "server_side_encryption", "global_secondary_index")


def _left_out(plan: dict[str, Any]) -> dict[str, set[str]]:
    """address -> the blocks the plan shows left out of a table being created."""
    out: dict[str, set[str]] = {}
    for rc in plan.get("resource_changes") or []:
        change = rc.get("change") or {}
        after, unknown = change.get("after") or {}, change.get("after_unknown") or {}
        if rc.get("type") == "aws_dynamodb_table" and "create" in (change.get("actions") or []):
            out[str(rc.get("address"))] = {b for b in _BLOCKS
                                           if after.get(b) in (None, []) and unknown.get(b)}
    return out


def _decided_at_apply(state: TableState, block: str, why: Unknown) -> None:
    if block == "ttl":
        state.ttl = why
    elif block == "point_in_time_recovery":
        state.pitr = why
    elif block == "server_side_encryption":
        state.encryption = Encryption(EncLevel.AWS_OWNED, EncLevel.CUSTOMER_MANAGED, why)
    else:
        state.gsis = why


def _declaration(index: Index, address: str) -> Declaration | None:
    parts = _split(address)
    if parts is None:
        return None
    path, rtype, name = parts
    return index.get(path, {}).get((rtype, name))


def _alarm(index: Index, alarm: Alarm) -> Alarm:
    decl = _declaration(index, alarm.resource)
    if decl is None:
        return alarm
    return replace(alarm, location=decl.location(), field_locations=decl.field_locations,
                   skips=decl.skips)


def actions_from_source(states: list[TableState], source_dir: str) -> list[str]:
    """Alarm actions the plan leaves wholly unknown, counted from the evaluated source."""
    waiting = [a for s in states for a in s.alarms if isinstance(a.actions, Unknown)]
    if not waiting:
        return []
    from checker.errors import RunError
    from checker.sources.hcl import read_hcl

    try:
        roots = read_hcl([source_dir])
    except RunError as err:
        return [f"--source-dir {source_dir}: alarm actions not read from the source: "
                f"{err.message}"]
    written = {a.resource: a for r in roots for s in r.states for a in s.alarms}
    for state in states:
        state.alarms = [_counted(a, written.get(a.resource)) for a in state.alarms]
    return []


def _counted(alarm: Alarm, source: Alarm | None) -> Alarm:
    if source is None or not isinstance(alarm.actions, Unknown):
        return alarm
    if not isinstance(source.actions, tuple) or not source.actions:
        return alarm  # the source does not know more: the plan's unknown stands
    where = source.field_locations.get("alarm_actions", source.location)
    said = f"counted from the source, {where.file}:{where.line}"
    actions = tuple(a if isinstance(a, str) else Unknown(said) for a in source.actions)
    return replace(alarm, actions=actions)
