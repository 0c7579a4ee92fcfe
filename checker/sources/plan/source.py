"""The plan source: `terraform show -json` output -> [TableState], through the one reading.

This module knows the plan's format (resource_changes, planned_values, configuration,
prior_state) and nothing of what a setting means: each table and alarm instance becomes a
`PlanBody`, and `checker.sources.terraform` reads it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from checker.errors import RunError
from checker.model import Alarm, Location, TableState
from checker.sources.kms import is_aws_alias
from checker.sources.plan.body import PlanBody, resource_body
from checker.sources.plan.config import PlanConfig, module_path, split_address
from checker.sources.terraform.alarms import (
    ALARM_TYPES,
    COMPOSITE_ALARM,
    attach,
    read_composite_alarm,
    read_metric_alarm,
)
from checker.sources.terraform.autoscaling import TARGET, Target, link_targets, read_target
from checker.sources.terraform.body import Body
from checker.sources.terraform.insights import INSIGHTS, Insight, link_insights, read_insight
from checker.sources.terraform.replicas import (
    REPLICA,
    link_replica_regions,
    replica_blocks,
    replica_resource,
)
from checker.sources.terraform.resource_policy import (
    POLICY,
    PolicyResource,
    link_policies,
    read_policy,
)
from checker.sources.terraform.schema import SHAPES
from checker.sources.terraform.table import TABLE, read_table

_INSTANCE_KEY = re.compile(r'\[(?:"(?:[^"\\]|\\.)*"|\d+)\]$')
READ = (TABLE, REPLICA, INSIGHTS, POLICY, TARGET, *ALARM_TYPES)


@dataclass
class Planned:
    """One table or alarm instance that exists after the plan."""

    address: str
    type: str
    name: str
    module: str  # module instance address, "" for the root
    after: Any
    unknown: Any
    fresh: bool
    conf: dict[str, Any] | None = None  # its configuration entry, once looked up


def _iter_changes(plan: dict[str, Any]) -> Iterator[Planned]:
    """Tables and alarms that exist after the plan, from resource_changes."""
    for rc in plan.get("resource_changes") or []:
        if not isinstance(rc, dict) or rc.get("mode", "managed") != "managed":
            continue
        change: dict[str, Any] = rc["change"] if isinstance(rc.get("change"), dict) else {}
        actions: list[Any] = change["actions"] if isinstance(change.get("actions"), list) else []
        if "create" not in actions and ("delete" in actions or "forget" in actions):
            continue  # destroyed (or forgotten): absent after the plan
        address = str(rc.get("address", "?"))
        yield Planned(address, str(rc.get("type")), str(rc.get("name", "")),
                      str(rc.get("module_address") or ""), change.get("after"),
                      change.get("after_unknown"), "create" in actions)


def _iter_planned(module: dict[str, Any], depth: int = 0) -> Iterator[Planned]:
    """Resources from planned_values, for plans without resource_changes. Planned values
    leave out what is known only after apply, so whatever the schema has that is missing
    counts as unknown."""
    for res in module.get("resources") or []:
        if not isinstance(res, dict) or res.get("mode", "managed") != "managed":
            continue
        rtype, values = str(res.get("type")), res.get("values")
        values = values if isinstance(values, dict) else {}
        shape = SHAPES.get(rtype)
        missing = {k: True for k in [*shape.attributes, *shape.blocks] if k not in values} if (
            shape is not None) else {}
        address = str(res.get("address", "?"))
        yield Planned(address, rtype, str(res.get("name", "")), split_address(address)[1],
                      values, missing, True)
    for child in module.get("child_modules") or []:
        if isinstance(child, dict) and depth < 64:
            yield from _iter_planned(child, depth + 1)


def existing(plan: dict[str, Any]) -> list[Planned]:
    """Every managed resource instance that exists after the plan; RunError when two
    share one address (Terraform never writes that)."""
    if "resource_changes" in plan:
        found = list(_iter_changes(plan))
    else:
        found = list(_iter_planned((plan.get("planned_values") or {}).get("root_module") or {}))
    seen: set[str] = set()
    for res in found:
        if res.address in seen:
            raise RunError(f"two resources in the plan have the address {res.address}; "
                           "Terraform never writes that: the plan JSON is damaged")
        seen.add(res.address)
    return found


def aws_managed_keys(plan: dict[str, Any]) -> frozenset[str]:
    """Key ids and ARNs the plan's data sources read as AWS managed keys."""
    root = ((plan.get("prior_state") or {}).get("values") or {}).get("root_module") or {}
    out: set[str] = set()
    stack = [root]
    while stack:
        module = stack.pop()
        if not isinstance(module, dict):
            continue
        stack.extend(module.get("child_modules") or [])
        for res in module.get("resources") or []:
            if not isinstance(res, dict) or res.get("mode") != "data":
                continue
            values: dict[str, Any] = res["values"] if isinstance(res.get("values"), dict) else {}
            if res.get("type") == "aws_kms_alias" and is_aws_alias(str(values.get("name") or "")):
                out.update(str(values[k]) for k in ("target_key_arn", "target_key_id")
                           if values.get(k))
            elif res.get("type") == "aws_kms_key" and values.get("key_manager") == "AWS":
                out.update(str(values[k]) for k in ("arn", "id", "key_id") if values.get(k))
    return frozenset(out)


def previous_names(plan: dict[str, Any]) -> dict[str, str]:
    """address -> the name a table had before the plan, where the plan renames it.

    A table whose name changes (a replacement) had its `before` name; a table created as
    the only new instance of a resource whose only other instance is destroyed had that
    instance's name (a for_each key or count index that changed with the name).
    """
    out: dict[str, str] = {}
    gone: dict[str, list[str]] = {}
    born: dict[str, list[str]] = {}
    for rc in plan.get("resource_changes") or []:
        if not isinstance(rc, dict) or rc.get("type") != TABLE:
            continue
        change: dict[str, Any] = rc["change"] if isinstance(rc.get("change"), dict) else {}
        before = change["before"] if isinstance(change.get("before"), dict) else {}
        after = change["after"] if isinstance(change.get("after"), dict) else {}
        old, new = before.get("name"), after.get("name")
        address = str(rc.get("address", "?"))
        base = _INSTANCE_KEY.sub("", address)
        actions = change.get("actions") or []
        if isinstance(old, str) and isinstance(new, str) and old != new:
            out[address] = old
        elif actions == ["delete"] and isinstance(old, str):
            gone.setdefault(base, []).append(old)
        elif actions == ["create"]:
            born.setdefault(base, []).append(address)
    for base, names in gone.items():
        if len(names) == 1 and len(born.get(base, [])) == 1:
            out[born[base][0]] = names[0]
    return out


def bodies(plan: dict[str, Any]) -> tuple[PlanConfig, list[tuple[Planned, PlanBody]]]:
    """The plan's configuration index, and a Body for each table and alarm instance."""
    found = existing(plan)
    config = PlanConfig(plan, (r.address for r in found))
    out = []
    for res in found:
        if res.type not in READ:
            continue
        conf = res.conf = config.resource(module_path(res.module), res.type, res.name)
        exprs = (conf or {}).get("expressions") if conf is not None else None
        out.append((res, resource_body(res.address, res.after, res.unknown, res.fresh,
                                       res.module, config,
                                       exprs if isinstance(exprs, dict) else None)))
    return config, out


def read_states(config: PlanConfig, planned: Sequence[tuple[Planned, Body]], target: str,
                aws_managed: frozenset[str]) -> list[TableState]:
    """TableStates (alarms attached) from the bodies of a plan's instances."""
    where = Location(file=target)
    tables: list[TableState] = []
    replicas: list[TableState] = []
    alarms: list[Alarm] = []
    insights: list[Insight] = []
    policies: list[PolicyResource] = []
    targets: list[Target] = []
    for res, body in planned:
        provider, region = config.provider(res.conf)
        if res.type == INSIGHTS:
            insights.append(read_insight(body, region))
        if res.type == POLICY:
            policies.append(read_policy(body, region))
        if res.type == TARGET:
            targets.append(read_target(body, region))
        if res.type == TABLE:
            table = read_table(body, "plan", aws_managed=aws_managed, location=where,
                               default_tags=config.default_tags(res.conf, res.address))
            table.provider, table.region = provider, region
            tables.append(table)
            replicas += replica_blocks(body, table, aws_managed)
        elif res.type in ALARM_TYPES:
            read = read_composite_alarm if res.type == COMPOSITE_ALARM else read_metric_alarm
            alarms.append(read(body, where, provider=provider, region=region))
    for res, body in planned:
        if res.type == REPLICA:
            provider, region = config.provider(res.conf)
            replicas.append(replica_resource(
                body, tables, aws_managed, source="plan", region=region, provider=provider,
                default_tags=config.default_tags(res.conf, res.address), location=where))
    states = [*tables, *replicas]
    link_replica_regions(states)
    link_insights(states, insights)
    link_policies(states, policies)
    link_targets(states, targets)
    attach(states, alarms)
    return states


def tables_from_plan(plan: dict[str, Any], target: str) -> list[TableState]:
    """Every DynamoDB table that exists after *plan*, with the alarms that name it."""
    config, planned = bodies(plan)
    states = read_states(config, list(planned), target, aws_managed_keys(plan))
    renamed = previous_names(plan)
    for state in states:
        if state.replica is None:
            state.previous_name = renamed.get(state.resource)
    return states
