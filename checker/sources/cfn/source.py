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
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from checker.model import Alarm, Location, Scaling, TableState
from checker.sources.alarms import attach
from checker.sources.cfn.alarms import (
    ALARM_TYPES,
    METRIC_ALARM,
    read_composite_alarm,
    read_metric_alarm,
)
from checker.sources.cfn.conditions import exists
from checker.sources.cfn.customreplica import (
    CUSTOM_REPLICA,
    CustomReplica,
    add_replicas,
    read_custom_replica,
)
from checker.sources.cfn.foreach import Unexpanded, expand
from checker.sources.cfn.globaltable import read_global_table
from checker.sources.cfn.intrinsics import CALLS, evaluate
from checker.sources.cfn.lines import ALARM_PROPERTIES, field_locations, skips, strays
from checker.sources.cfn.nested import MAX_STACKS, STACK, child_of
from checker.sources.cfn.parameters import Pseudo, build_inputs
from checker.sources.cfn.places import not_read, with_sam
from checker.sources.cfn.props import member, pairs
from checker.sources.cfn.table import TABLE, read_table
from checker.sources.cfn.template import Template, check_resources, line_of, load_template
from checker.sources.cfn.typed import integer
from checker.sources.terraform.autoscaling import Target, link_targets
from checker.sources.typed import string
from checker.sources.unread import unread_place
from checker.unknown import Maybe, Unknown, invalid

GLOBAL_TABLE = "AWS::DynamoDB::GlobalTable"
TARGET = "AWS::ApplicationAutoScaling::ScalableTarget"


@dataclass
class Options:
    """What the command line gives every template: parameter values and pseudo parameters."""

    parameters: dict[str, str | Unknown] = field(default_factory=dict)
    pseudo: Pseudo = field(default_factory=Pseudo)
    environment_parameter: str | None = None  # the parameter whose value is the environment
    assets: Mapping[str, str] = field(default_factory=dict)  # a CDK assembly's (`nested`)


@dataclass
class CfnTemplate:
    """One template read: its tables (and replicas), and notes on what it could not read."""

    path: str
    states: list[TableState]
    notes: list[str] = field(default_factory=list)
    # the value of the spec's environment parameter, where the template declares it and
    # its value is known
    environment: str | None = None
    account: str | None = None  # the stack's account, where it is given
    alarms: list[Alarm] = field(default_factory=list)  # the alarms it makes, tied


@dataclass
class Family:
    """The stacks one template given nests: the files read as children, and the stacks
    above the one being read."""

    reads: list[str] = field(default_factory=list)  # shared by the family: every child read
    ancestry: tuple[str, ...] = ()


def read_template(template: Template, options: Options,
                  family: Family | None = None) -> CfnTemplate:
    """The tables of one template (and of the stacks it nests), evaluated with *options*."""
    inputs = build_inputs(template.data, template.path, overrides=options.parameters,
                          pseudo=options.pseudo, calls=CALLS)
    loops: list[Unexpanded] = []
    resources = template.data["Resources"]
    if template.may_loop:
        inputs.conditions, loops = expand(inputs.conditions, inputs)
        resources, more = expand(resources, inputs)
        loops += more
    check_resources(template.path, resources)
    resources, sam = with_sam(template, resources, options.pseudo.region)
    inputs.resources = resources  # a SimpleTable's Ref is then its table's name
    family = family or Family()
    family.ancestry = (*family.ancestry, os.path.realpath(template.path))
    reading = _Reading(template.path, options, family)
    reading.notes, reading.unread = not_read(template, resources, loops, sam)
    for logical, resource in resources.items():
        rtype = resource.get("Type") if isinstance(resource, Mapping) else None  # a loop's
        if rtype not in (TABLE, GLOBAL_TABLE, TARGET, STACK, CUSTOM_REPLICA, *ALARM_TYPES):
            continue
        there = exists(str(logical), inputs)
        if there is not False:
            props = evaluate(resource.get("Properties") or {}, inputs)
            reading.add(str(logical), resource, rtype, props, there,
                        Location(template.path, line_of(resources, logical)))
    return CfnTemplate(template.path, reading.finish(), reading.notes,
                       _environment(options.environment_parameter, inputs.params),
                       options.pseudo.account, reading.alarms)


@dataclass
class _Reading:
    """What one template's resources make, as they are read."""

    path: str
    options: Options
    family: Family
    tables: list[TableState] = field(default_factory=list)  # its own AWS::DynamoDB::Tables
    others: list[TableState] = field(default_factory=list)  # global tables', nested stacks'
    targets: list[Target] = field(default_factory=list)
    alarms: list[Alarm] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    unread: list[TableState] = field(default_factory=list)
    loose: Unknown | None = None
    constructs: list[tuple[TableState, str]] = field(default_factory=list)  # CDK's paths
    replicas: list[CustomReplica] = field(default_factory=list)  # the CDK Table's (v1)

    def add(self, logical: str, resource: Mapping[Any, Any], rtype: str, props: object,
            there: bool | Unknown, location: Location) -> None:
        """Read one resource that exists, or may (*there*)."""
        region = self.options.pseudo.region
        if rtype == TARGET:
            self.targets.append(_target(props, logical, region, there))
        elif rtype == CUSTOM_REPLICA:
            self.replicas.append(read_custom_replica(props, logical, there, location))
        elif rtype == STACK:
            self._stack(logical, resource, props, there, location)
        elif rtype in ALARM_TYPES:
            read = read_metric_alarm if rtype == METRIC_ALARM else read_composite_alarm
            alarm = replace(read(props, logical, location, region),
                            skips=skips(resource, self.path), field_locations=field_locations(
                                resource, self.path, ALARM_PROPERTIES))
            alarm = replace(alarm, resource=construct_path(resource) or alarm.resource)
            if isinstance(there, Unknown):  # it may not exist: the tables it names may lack it
                self.loose = self.loose or Unknown(f"alarm {logical}: {there.reason}",
                                                   there.kind)
            else:
                self.alarms.append(alarm)
        else:
            if rtype == TABLE:
                states = [read_table(props, logical, location)]
                states[0].region = region
                self.notes += strays(resource, logical, self.path)
                self.tables += states
            else:
                states = read_global_table(props, logical, location, region)
                self.others += states
            written, skipped = field_locations(resource, self.path), skips(resource, self.path)
            path = construct_path(resource)
            for state in states:  # a global table's replicas share its lines and skips
                state.account = self.options.pseudo.account
                state.field_locations, state.skips = written, skipped
                _maybe(state, there)
                if path is not None:
                    self.constructs.append((state, path))

    def _stack(self, logical: str, resource: Mapping[Any, Any], props: object,
               there: bool | Unknown, location: Location) -> None:
        """A nested stack: its template read with the parameters passed, or a place not
        read."""
        family = self.family
        metadata = resource.get("Metadata")
        asset = metadata.get("aws:asset:path") if isinstance(metadata, Mapping) else None
        child = child_of(props, logical, self.path, family.ancestry, asset, self.options.assets)
        if child.path is not None and len(family.reads) >= MAX_STACKS:
            child = replace(child, path=None, why=f"nested stack {logical} is not read: "
                            f"more than {MAX_STACKS} nested stacks")
        if child.path is None:
            self.notes.append(f"{self.path}: {child.why}: the tables it may make are unknown")
            self.unread.append(unread_place(f"{self.path}:{logical}", "cfn", child.why,
                                            location))
            return
        real = os.path.realpath(child.path)
        family.reads.append(real)
        template = load_template(child.path)
        passed = child.parameters
        if isinstance(passed, Unknown):  # which values it passes is not known: none is
            passed = {name: passed for name in template.parameters}
        pseudo = Pseudo(region=self.options.pseudo.region, account=self.options.pseudo.account)
        read = read_template(template, replace(self.options, parameters=passed, pseudo=pseudo),
                             replace(family))
        tags = pairs(member(props, "Tags", logical), f"{logical}.Tags", "Key", "Value")
        for state in read.states:
            _maybe(state, there)
            stack_tags(state, tags)
        self.others += read.states
        self.notes += read.notes

    def finish(self) -> list[TableState]:
        """Every table read (scalable targets and alarms tied), and the places not read."""
        link_targets(self.tables, self.targets)  # a global table's scaling is its own
        made = add_replicas(self.tables, self.replicas)
        states = [*self.tables, *made, *self.others]
        attach(states, self.alarms)
        if self.loose is not None:
            for state in states:
                state.alarms_incomplete = state.alarms_incomplete or self.loose
        paths = {state.resource: path for state, path in self.constructs}
        for state in [*self.tables, *made]:  # named once tied (a Ref names the logical id)
            state.resource = paths.get(state.resource, state.resource)
        for state, path in self.constructs:
            state.resource = path
        return [*states, *self.unread]


def construct_path(resource: Mapping[Any, Any]) -> str | None:
    """The CDK construct that made *resource* (its `aws:cdk:path` metadata, the L2
    construct's own path where the L1 under it is its `Resource`), or None."""
    metadata = resource.get("Metadata")
    path = metadata.get("aws:cdk:path") if isinstance(metadata, Mapping) else None
    return construct(path) if isinstance(path, str) and path else None


def construct(path: str) -> str:
    """A construct path as a finding names it: `Prod/Sessions/Resource` is `Prod/Sessions`."""
    return path.removesuffix("/Resource")


def stack_tags(state: TableState, tags: Maybe[dict[str, Maybe[str]]]) -> None:
    """The tags of the stack *state* is in, which CloudFormation puts on its resources too
    (a tag of the resource's own wins); not known, they leave its tags not known."""
    if isinstance(tags, Unknown):
        state.tags = Unknown(f"the tags of its stack are not known: {tags.reason}", tags.kind)
    elif tags and isinstance(state.tags, dict):
        state.tags = {**tags, **state.tags}


def _maybe(state: TableState, there: bool | Unknown) -> None:
    """A table of a resource that may not be created: its name (so its presence) unknown."""
    if isinstance(there, Unknown):
        state.name = Unknown(there.reason, there.kind)


def _environment(parameter: str | None, params: Mapping[str, object]) -> str | None:
    """The stack's environment: the value of the spec's parameter, where known."""
    value = params.get(parameter) if parameter else None
    return value if isinstance(value, str) and value else None


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
