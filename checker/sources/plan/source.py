"""The plan source: `terraform show -json` output -> [TableState]."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from checker.model import (
    TTL_OFF,
    Alarm,
    Gsi,
    Key,
    Location,
    Maybe,
    TableState,
    Ttl,
    Unknown,
)
from checker.sources.plan.config import PlanConfig, module_path
from checker.sources.plan.encryption import aws_managed_keys, encryption
from checker.sources.plan.values import Values

TABLE = "aws_dynamodb_table"
ALARM = "aws_cloudwatch_metric_alarm"
_INSTANCE_KEY = re.compile(r'\[(?:"(?:[^"\\]|\\.)*"|\d+)\]$')


@dataclass(frozen=True)
class _Resource:
    address: str
    type: str
    name: str
    module: str
    values: Values


def _iter_changes(plan: dict[str, Any]) -> Iterator[_Resource]:
    """Tables and alarms that exist after the plan, from resource_changes."""
    for rc in plan.get("resource_changes") or []:
        if rc.get("type") not in (TABLE, ALARM) or rc.get("mode", "managed") != "managed":
            continue
        change = rc.get("change") or {}
        actions = change.get("actions") or []
        if "create" not in actions and ("delete" in actions or "forget" in actions):
            continue  # destroyed (or forgotten): absent after the plan
        values = Values(change.get("after"), change.get("after_unknown"), "create" in actions)
        yield _Resource(
            rc.get("address", "?"), rc["type"], rc.get("name", ""), rc.get("module_address", ""),
            values,
        )


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
        if rc.get("type") != TABLE:
            continue
        change = rc.get("change") or {}
        before, after = change.get("before") or {}, change.get("after") or {}
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


def _iter_planned(module: dict[str, Any]) -> Iterator[_Resource]:
    """Tables and alarms from planned_values, for plans without resource_changes."""
    for res in module.get("resources") or []:
        if res.get("type") in (TABLE, ALARM) and res.get("mode", "managed") == "managed":
            address = res.get("address", "?")
            mod = address.rsplit(f".{res['type']}.", 1)[0] if address.startswith("module.") else ""
            values = Values(res.get("values"), {}, fresh=True)
            yield _Resource(address, res["type"], res.get("name", ""), mod, values)
    for child in module.get("child_modules") or []:
        yield from _iter_planned(child)


def _key(name: Any, types: Maybe[dict[str, Any]]) -> Key:
    if isinstance(name, Unknown):
        return Key(name, name)
    typ: Maybe[str | None] = types if isinstance(types, Unknown) else types.get(name)
    return Key(name, typ)


def _attribute_types(v: Values) -> Maybe[dict[str, Any]]:
    blocks = v.blocks("attribute")
    if isinstance(blocks, Unknown):
        return blocks
    return {b.get("name"): b.get("type") for b in blocks or []}


def _ttl(v: Values) -> Maybe[Ttl]:
    blocks = v.blocks("ttl")
    if isinstance(blocks, Unknown):
        return blocks
    if not blocks:
        return TTL_OFF
    enabled, attribute = blocks[0].get("enabled"), blocks[0].get("attribute_name")
    return Ttl(bool(enabled) if isinstance(enabled, bool | None) else enabled, attribute or None)


def _pitr(v: Values) -> Maybe[bool]:
    blocks = v.blocks("point_in_time_recovery")
    if isinstance(blocks, Unknown):
        return blocks
    if not blocks:
        return False
    enabled = blocks[0].get("enabled")
    return enabled if isinstance(enabled, Unknown) else bool(enabled)


def _gsis(v: Values, types: Maybe[dict[str, Any]]) -> Maybe[tuple[Gsi, ...]]:
    blocks = v.blocks("global_secondary_index")
    if isinstance(blocks, Unknown):
        return blocks
    out = []
    for b in blocks or []:
        name = b.get("name")
        range_name = b.get("range_key")
        out.append(
            Gsi(
                name=name if isinstance(name, str) else "(known after apply)",
                hash_key=_key(b.get("hash_key"), types),
                range_key=_key(range_name, types) if range_name else None,
                projection=b.get("projection_type"),
                non_key_attributes=b.string_list("non_key_attributes"),
                read_capacity=b.get_int("read_capacity"),
                write_capacity=b.get_int("write_capacity"),
            )
        )
    return tuple(sorted(out, key=lambda g: g.name))


def _tags(v: Values, provider_default_tags: bool | None) -> Maybe[dict[str, str]]:
    """tags_all (with provider default_tags) when the plan has it, else tags.

    A table being created has tags_all known only after apply; with no default_tags in
    its provider configuration, tags_all is just its own tags.
    """
    tags_all = v.string_map("tags_all")
    if isinstance(tags_all, Unknown) and provider_default_tags is False:
        return v.string_map("tags")
    if isinstance(tags_all, Unknown) or tags_all:
        return tags_all
    return v.string_map("tags")


def _table(res: _Resource, config: PlanConfig, target: str,
           aws_managed: frozenset[str]) -> TableState:
    v = res.values
    path = module_path(res.module)
    conf = config.resource(path, TABLE, res.name)
    types = _attribute_types(v)
    range_name = v.get("range_key")
    billing = v.get("billing_mode")
    return TableState(
        name=v.get("name"),
        resource=res.address,
        source="plan",
        hash_key=_key(v.get("hash_key"), types),
        range_key=_key(range_name, types) if range_name else None,
        billing_mode="PROVISIONED" if billing is None else billing,
        read_capacity=v.get_int("read_capacity"),
        write_capacity=v.get_int("write_capacity"),
        ttl=_ttl(v),
        encryption=encryption(v, config, path, res.name, aws_managed),
        pitr=_pitr(v),
        gsis=_gsis(v, types),
        tags=_tags(v, config.has_default_tags(conf)),
        deletion_protection=v.get("deletion_protection_enabled"),
        location=Location(file=target),
    )


def _alarm(res: _Resource, target: str) -> Alarm:
    v = res.values
    threshold = v.get("threshold")
    enabled = v.get("actions_enabled")
    return Alarm(
        name=v.get("alarm_name"),
        resource=res.address,
        namespace=v.get("namespace"),
        metric=v.get("metric_name"),
        statistic=v.get("statistic"),
        comparison=v.get("comparison_operator"),
        threshold=float(threshold) if isinstance(threshold, int | float) else threshold,
        period=v.get_int("period"),
        evaluation_periods=v.get_int("evaluation_periods"),
        dimensions=v.string_map("dimensions"),
        actions=v.string_list("alarm_actions"),
        actions_enabled=True if enabled is None else enabled,
        location=Location(file=target),
    )


def _table_by_reference(
    res: _Resource, config: PlanConfig, by_base: dict[str, list[TableState]]
) -> TableState | None:
    """The table an alarm's `dimensions` expression refers to, when the name is unknown."""
    path = module_path(res.module)
    conf = config.resource(path, ALARM, res.name) or {}
    refs = ((conf.get("expressions") or {}).get("dimensions") or {}).get("references") or []
    prefix = f"{res.module}." if res.module else ""
    for ref in refs:
        m = re.match(rf"{TABLE}\.([\w-]+)", ref)
        if m:
            hits = by_base.get(f"{prefix}{TABLE}.{m.group(1)}", [])
            if len(hits) == 1:
                return hits[0]
    return None


def tables_from_plan(plan: dict[str, Any], target: str) -> list[TableState]:
    """Every DynamoDB table that exists after *plan*, with the alarms that watch it."""
    config = PlanConfig(plan)
    if "resource_changes" in plan:
        resources = list(_iter_changes(plan))
    else:
        resources = list(_iter_planned((plan.get("planned_values") or {}).get("root_module") or {}))
    aws_managed = aws_managed_keys(plan)
    tables = {r.address: _table(r, config, target, aws_managed) for r in resources
              if r.type == TABLE}
    for address, old in previous_names(plan).items():
        if address in tables:
            tables[address].previous_name = old
    by_name = {t.name: t for t in tables.values() if isinstance(t.name, str)}
    by_base: dict[str, list[TableState]] = {}
    for address, table in tables.items():  # `...aws_dynamodb_table.t[0]` -> `...t`
        by_base.setdefault(_INSTANCE_KEY.sub("", address), []).append(table)
    loose: list[Alarm] = []
    for res in resources:
        if res.type != ALARM:
            continue
        alarm = _alarm(res, target)
        dims = alarm.dimensions
        table_name = dims.get("TableName") if isinstance(dims, dict) else None
        if isinstance(dims, dict) and table_name is None:
            continue  # not a per-table alarm
        owner = by_name.get(table_name) if table_name else None
        if owner is None and isinstance(dims, Unknown):
            owner = _table_by_reference(res, config, by_base)
            if owner is None:
                loose.append(alarm)
                continue
        if owner is not None:
            owner.alarms.append(alarm)
    if loose:
        reason = Unknown(f"alarm {loose[0].resource} names its table only after apply")
        for table in tables.values():
            table.alarms_incomplete = reason
    return list(tables.values())
