"""CloudFormation templates -> TableStates: each template evaluated with its inputs, each
DynamoDB table read through the one reading of CloudFormation's schema (`table`).

A table whose Condition is not known may or may not be created: its name is then unknown
(so its presence is), whatever its TableName says. Scalable targets are tied to their
tables as in Terraform (`checker.sources.terraform.autoscaling`), alarms as every source
ties them (`checker.sources.alarms`); an alarm that may not be created leaves the tables'
alarm lists incomplete. An AWS::DynamoDB::GlobalTable is a state per replica
(`globaltable`).
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from checker.errors import RunError
from checker.model import (
    Alarm,
    Location,
    Scaling,
    TableState,
    Unknown,
    invalid,
)
from checker.sources.alarms import attach
from checker.sources.cfn.alarms import (
    ALARM_TYPES,
    METRIC_ALARM,
    read_composite_alarm,
    read_metric_alarm,
)
from checker.sources.cfn.conditions import exists
from checker.sources.cfn.foreach import Unexpanded, expand
from checker.sources.cfn.globaltable import read_global_table
from checker.sources.cfn.intrinsics import evaluate
from checker.sources.cfn.lines import ALARM_PROPERTIES, field_locations, skips, strays
from checker.sources.cfn.parameters import Pseudo, build_inputs
from checker.sources.cfn.table import TABLE, read_table
from checker.sources.cfn.template import Template, check_resources, line_of, load_template
from checker.sources.cfn.typed import integer
from checker.sources.terraform.autoscaling import Target, link_targets
from checker.sources.typed import string
from checker.sources.unread import unread_place
from checker.spec.limits import brief

GLOBAL_TABLE = "AWS::DynamoDB::GlobalTable"
SIMPLE_TABLE = "AWS::Serverless::SimpleTable"  # SAM's: a table its transform writes
# Transforms whose output tablespec reads: the loops it expands, and SAM's (what SAM makes
# that is not written as a table is each SIMPLE_TABLE's)
READ_TRANSFORMS = frozenset({"AWS::LanguageExtensions", "AWS::Serverless-2016-10-31"})
TARGET = "AWS::ApplicationAutoScaling::ScalableTarget"
SUFFIXES = (".json", ".yaml", ".yml", ".template")
_SKIPPED_DIRS = frozenset({".git", "node_modules", ".venv", "venv", "__pycache__", "cdk.out",
                           ".aws-sam", ".terraform"})
MAX_TEMPLATES = 10_000  # files read under the directories given


@dataclass
class Options:
    """What the command line gives every template: parameter values and pseudo parameters."""

    parameters: dict[str, str | Unknown] = field(default_factory=dict)
    pseudo: Pseudo = field(default_factory=Pseudo)
    environment_parameter: str | None = None  # the parameter whose value is the environment


@dataclass
class CfnTemplate:
    """One template read: its tables (and replicas), and notes on what it could not read."""

    path: str
    states: list[TableState]
    notes: list[str] = field(default_factory=list)
    # the value of the spec's environment parameter, where the template declares it and
    # its value is known
    environment: str | None = None


def template_files(paths: list[str]) -> tuple[list[str], list[str]]:
    """(the templates named or found under the directories given, the files under those
    directories that are not templates). A path that does not exist is a RunError."""
    named: list[str] = []
    found: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            found.extend(_walk(path))
        elif os.path.isfile(path):
            named.append(path)
        else:
            raise RunError(f"{path}: no such file or directory")
    if len(found) > MAX_TEMPLATES:
        raise RunError(f"more than {MAX_TEMPLATES:,} candidate templates under "
                       f"{', '.join(paths)}; name the templates or a smaller directory")
    return list(dict.fromkeys(named)), list(dict.fromkeys(found))


def _walk(top: str) -> Iterator[str]:
    for directory, dirs, files in os.walk(top):
        dirs[:] = sorted(d for d in dirs if d not in _SKIPPED_DIRS and not d.startswith("."))
        yield from (os.path.join(directory, f) for f in sorted(files)
                    if f.lower().endswith(SUFFIXES))


def read_templates(paths: list[str], options: Options,
                   only_templates: bool = False) -> list[CfnTemplate]:
    """Every template the paths name or hold (a file under a directory that is not a
    CloudFormation template is passed over; one named that is not is a RunError, unless
    *only_templates*)."""
    named, found = template_files(paths)
    loaded = [] if only_templates else [load_template(p) for p in named]
    for path in [*named, *found] if only_templates else found:
        try:
            template = load_template(path)
        except RunError as err:
            if "not a CloudFormation template" in err.message or not _looks_like(path):
                continue
            raise
        loaded.append(template)
    declared = {name for t in loaded for name in t.parameters}
    stray = sorted(set(options.parameters) - declared)
    if stray and loaded:  # a value no template takes: a misspelt name, not a default kept
        shown = ", ".join(t.path for t in loaded[:3]) + (" ..." if len(loaded) > 3 else "")
        raise RunError(f"a value is given for parameter {stray[0]}, which no template read "
                       f"declares ({shown})")
    return [read_template(t, options) for t in loaded]


def _looks_like(path: str) -> bool:
    """Whether a file that cannot be read means to be a template (so its error matters)."""
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            head = handle.read(65536)
    except OSError:
        return True
    return "AWSTemplateFormatVersion" in head or "AWS::" in head


def read_template(template: Template, options: Options) -> CfnTemplate:
    """The tables of one template, evaluated with *options*."""
    inputs = build_inputs(template.data, template.path, overrides=options.parameters,
                          pseudo=options.pseudo)
    inputs.conditions, loops = expand(inputs.conditions, inputs)
    resources, more = expand(template.data["Resources"], inputs)
    check_resources(template.path, resources)
    inputs.resources = resources
    states: list[TableState] = []
    targets: list[Target] = []
    alarms: list[Alarm] = []
    notes, unread = _unread(template, resources, [*loops, *more])
    loose: Unknown | None = None
    for logical, resource in resources.items():
        rtype = resource.get("Type")
        if rtype not in (TABLE, GLOBAL_TABLE, TARGET, *ALARM_TYPES):
            continue
        there = exists(str(logical), inputs)
        if there is False:
            continue
        props = evaluate(resource.get("Properties") or {}, inputs)
        location = Location(template.path, line_of(resources, logical))
        if rtype == TARGET:
            targets.append(_target(props, str(logical), options.pseudo.region, there))
            continue
        if rtype in ALARM_TYPES:
            read = read_metric_alarm if rtype == METRIC_ALARM else read_composite_alarm
            alarm = replace(read(props, str(logical), location, options.pseudo.region),
                            skips=skips(resource, template.path),
                            field_locations=field_locations(resource, template.path,
                                                            ALARM_PROPERTIES))
            if isinstance(there, Unknown):  # it may not exist: the tables it names may lack it
                loose = loose or Unknown(f"alarm {logical}: {there.reason}", there.kind)
            else:
                alarms.append(alarm)
            continue
        if rtype == TABLE:
            tables = [read_table(props, str(logical), location)]
            tables[0].region = options.pseudo.region
            notes += strays(resource, str(logical), template.path)
        else:
            tables = read_global_table(props, str(logical), location, options.pseudo.region)
        written, skipped = field_locations(resource, template.path), skips(resource,
                                                                           template.path)
        for state in tables:  # a global table's replicas share its lines and skips
            state.account = options.pseudo.account
            state.field_locations, state.skips = written, skipped
            if isinstance(there, Unknown):
                state.name = Unknown(there.reason, there.kind)
        states.extend(tables)
    link_targets(states, targets)
    attach(states, alarms)
    if loose is not None:
        for state in states:
            state.alarms_incomplete = state.alarms_incomplete or loose
    return CfnTemplate(template.path, [*states, *unread], notes,
                       _environment(options.environment_parameter, inputs.params))


def _environment(parameter: str | None, params: Mapping[str, object]) -> str | None:
    """The stack's environment: the value of the spec's parameter, where known."""
    value = params.get(parameter) if parameter else None
    return value if isinstance(value, str) and value else None


def _unread(template: Template, resources: Mapping[Any, Any], loops: list[Unexpanded]
            ) -> tuple[list[str], list[TableState]]:
    """What of the template is not read (a loop not expanded, a macro not run, SAM's
    tables): a note each, and a place where any table may be (unknown, never absent)."""
    path = template.path
    places = [(f"{path}:{loop.name}", loop.line, f"{loop.name} is not expanded: {loop.why}")
              for loop in loops]
    places += [(f"{path}:{name}", line_of(resources, name), f"{name} is SAM's "
                f"{SIMPLE_TABLE}, which tablespec does not read yet")
               for name, resource in resources.items() if resource.get("Type") == SIMPLE_TABLE]
    transform = template.transform
    names = transform if isinstance(transform, list) else [] if transform is None else [
        transform]
    places += [(f"{path}:Transform", line_of(template.data, "Transform"),
                f"the Transform {brief(name)} is a macro tablespec cannot run")
               for name in names if not (isinstance(name, str) and name in READ_TRANSFORMS)]
    notes = [f"{path}: {why}: the tables it may make are unknown" for _, _, why in places]
    return notes, [unread_place(address, "cfn", f"{why} (line {line})" if line else why,
                                Location(path, line)) for address, line, why in places]


def _target(props: object, logical: str, region: str | None, there: bool | Unknown) -> Target:
    """A ScalableTarget, as the Terraform reading ties it (`link_targets`)."""
    where = f"{logical}.Properties"
    values = props if isinstance(props, Mapping) else {}
    low, high = (_set(integer(values.get(n), f"{where}.{n}"), f"{where}.{n}")
                 for n in ("MinCapacity", "MaxCapacity"))
    namespace = string(values.get("ServiceNamespace"), f"{where}.ServiceNamespace")
    if isinstance(there, Unknown):  # it may not exist: what it names is then not known
        namespace = Unknown(there.reason, there.kind)
    return Target(namespace, string(values.get("ResourceId"), f"{where}.ResourceId"),
                  string(values.get("ScalableDimension"), f"{where}.ScalableDimension"),
                  Scaling(low, high, logical), region)


def _set(value: int | Unknown | None, where: str) -> int | Unknown:
    return invalid(f"{where} is not set") if value is None else value
