"""Resource instances of evaluated source -> TableStates, through the one reading."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import TypeVar

from checker.model import Alarm, Location, TableState
from checker.sources.hcl.body import default_tags, field_locations, instance_body, provider_of
from checker.sources.hcl.index import skips_of
from checker.sources.hcl.resources import Instance
from checker.sources.terraform.alarms import (
    ALARM_TYPES,
    COMPOSITE_ALARM,
    attach,
    read_composite_alarm,
    read_metric_alarm,
)
from checker.sources.terraform.autoscaling import TARGET, link_targets, read_target
from checker.sources.terraform.body import Body
from checker.sources.terraform.insights import INSIGHTS, link_insights, read_insight
from checker.sources.terraform.replicas import (
    REPLICA,
    link_replica_regions,
    place_block,
    replica_blocks,
    replica_resource,
)
from checker.sources.terraform.resource_policy import POLICY, link_policies, read_policy
from checker.sources.terraform.table import TABLE, read_table
from checker.unknown import Unknown

READ = (TABLE, REPLICA, INSIGHTS, POLICY, TARGET, *ALARM_TYPES)
T = TypeVar("T")


def table_state(inst: Instance) -> TableState:
    """The TableState of one aws_dynamodb_table instance, placed on its lines."""
    state = read_table(instance_body(inst), "hcl", default_tags=default_tags(inst),
                       location=Location(inst.block.file, inst.block.line))
    state.field_locations = field_locations(inst)
    state.skips = skips_of(inst.block.comments)
    state.provider, state.region = provider_of(inst)
    return state


def _with_replicas(inst: Instance) -> list[TableState]:
    """The table of one aws_dynamodb_table instance, and its replica blocks (the table
    keeps the resource's inline skips, `@REGION` ones included)."""
    table = table_state(inst)
    replicas = replica_blocks(instance_body(inst), table, frozenset())
    for replica in replicas:
        place_block(replica, table.field_locations, table.location)
    return [table, *replicas]


def _replica(inst: Instance, tables: list[TableState]) -> TableState:
    provider, region = provider_of(inst)
    state = replica_resource(instance_body(inst), tables, frozenset(), source="hcl",
                             region=region, provider=provider, default_tags=default_tags(inst),
                             location=Location(inst.block.file, inst.block.line))
    state.skips = skips_of(inst.block.comments)
    return state


def alarm_of(inst: Instance) -> Alarm:
    """The Alarm of one metric or composite alarm instance, placed on its lines."""
    where = Location(inst.block.file, inst.block.line)
    read = read_composite_alarm if inst.type == COMPOSITE_ALARM else read_metric_alarm
    provider, region = provider_of(inst)
    alarm = read(instance_body(inst), where, provider=provider, region=region)
    return replace(alarm, skips=skips_of(inst.block.comments), field_locations={
        n: Location(a.file, a.line) for n, a in inst.block.body.attributes.items()})


def _link(states: list[TableState], instances: list[Instance], rtype: str,
          read: Callable[[Body, str | None], T],
          link: Callable[[list[TableState], list[T], Unknown | None], None]) -> None:
    """Tie the instances of *rtype* (insights, policies, scalable targets) to the tables:
    *read* each in its provider's region, then *link*, told of one that may or may not
    exist (its count or for_each not known)."""
    found = [i for i in instances if i.type == rtype]
    unsure = next((i for i in found if i.unknown is not None), None)
    link(states, [read(instance_body(i), provider_of(i)[1]) for i in found
                  if i.unknown is None],
         Unknown(f"{unsure.address}: {unsure.unknown}") if unsure else None)


def build_states(instances: list[Instance]) -> list[TableState]:
    """TableStates of the table instances and their replicas, with the alarm instances
    attached. An alarm whose count or for_each is not known may or may not exist: no
    table's alarms are then known in full."""
    states = [s for i in instances if i.type == TABLE for s in _with_replicas(i)]
    states += [_replica(i, states) for i in instances if i.type == REPLICA]
    link_replica_regions(states)
    _link(states, instances, INSIGHTS, read_insight, link_insights)
    _link(states, instances, POLICY, read_policy, link_policies)
    _link(states, instances, TARGET, read_target, link_targets)
    maybe = next((i for i in instances if i.type == REPLICA and i.unknown is not None), None)
    if maybe is not None:  # a replica that may or may not exist: no table's are known
        why = Unknown(f"replica {maybe.address}: {maybe.unknown}")
        for state in states:
            if state.replica is None:
                state.replica_regions = why
    alarms = [i for i in instances if i.type in ALARM_TYPES]
    attach(states, [alarm_of(i) for i in alarms if i.unknown is None])
    undecided = next((i for i in alarms if i.unknown is not None), None)
    if undecided is not None:
        why = Unknown(f"alarm {undecided.address}: {undecided.unknown}")
        for state in states:
            state.alarms_incomplete = state.alarms_incomplete or why
    return states
