"""Which tables an alarm names, and attaching alarms to them: every source's meaning.

An alarm is attached to every table it names: a `TableName` dimension (of the alarm, or of
a metric its metric math reads) holding the table's name, or an Unknown whose origin is
that table resource; a composite alarm, to the tables of the alarms its rule reads. Which
attached alarms watch the table's metric stream is the alarm rules' to decide. An alarm
whose table is not known leaves every table's alarm list incomplete.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from checker.model import Alarm, AlarmKind, TableState
from checker.unknown import Maybe, Unknown

# The resource types an alarm's TableName may refer to (Terraform's, CloudFormation's)
TABLES = frozenset({"aws_dynamodb_table", "AWS::DynamoDB::Table",
                    "AWS::DynamoDB::GlobalTable"})
_RULE_ALARM = re.compile(
    r'\b(?:ALARM|OK|INSUFFICIENT_DATA)\s*\(\s*("(?:[^"\\]|\\.)*"|[^)\s]+)\s*\)')


def rule_alarms(rule: Maybe[str | None]) -> Maybe[tuple[str, ...]]:
    """The alarm names (or ARNs) a composite alarm rule reads."""
    if rule is None or isinstance(rule, Unknown):
        return rule or ()
    return tuple(m.group(1).strip('"') for m in _RULE_ALARM.finditer(rule))


@dataclass(frozen=True)
class Named:
    """A table an alarm names: by its name, or (unknown name) by its resource address."""

    name: str | None = None
    address: str | None = None


def _table_names(dimensions: Maybe[dict[str, Maybe[str]]]) -> list[Named | Unknown]:
    if isinstance(dimensions, Unknown):
        origin = dimensions.origin
        if origin is not None and origin.type in TABLES:
            return [Named(address=origin.address)]
        return [dimensions]
    value = dimensions.get("TableName")
    if value is None:
        return []
    if isinstance(value, str):
        return [Named(name=value)]
    if value.origin is not None and value.origin.type in TABLES:
        return [Named(address=value.origin.address)]
    return [value]


def names_of(alarm: Alarm) -> list[Named | Unknown]:
    """The tables an alarm names in its dimensions or its metrics (Unknown: not known)."""
    if alarm.kind is AlarmKind.METRIC:
        return _table_names(alarm.dimensions)
    return [n for m in alarm.metrics for n in _table_names(m.dimensions)]


_INSTANCE = re.compile(r'\[(?:"(?:[^"\\]|\\.)*"|\d+)\]$')


def _in_region(alarm: Alarm, table: TableState, homes: dict[object, set[str | None]]
               ) -> bool | None:
    """Whether *alarm* is in *table*'s region (alarms are per region): None where the
    source does not tell. *homes*: the provider configurations of the tables (not the
    replicas) of each name."""
    if alarm.region is not None and table.region is not None:
        return alarm.region == table.region
    if alarm.provider is not None and alarm.provider == table.provider:
        return True  # one provider configuration, one region
    if table.replica is None:
        return True if alarm.provider is None and table.provider is None else None
    if alarm.provider is not None and alarm.provider in homes.get(table.name, ()):
        return False  # in its table's region, where a replica never is
    return None


def _maybe_elsewhere(alarm: Alarm, table: TableState) -> Unknown:
    where = f"in {table.region}" if table.region else f"in the region of {table.resource}"
    return Unknown(f"alarm {alarm.resource} names this table, but whether it is {where} is "
                   "not known (alarms watch the table of their own region; the region of "
                   "its provider configuration is not known before apply)")


def attach(tables: Sequence[TableState], alarms: Iterable[Alarm]) -> None:
    """Attach each alarm to the tables it names in its region; an alarm whose table (or
    region) is not known leaves the alarm lists it may belong to incomplete."""
    by_name: dict[object, list[TableState]] = {}
    by_address: dict[str, list[TableState]] = {}
    homes: dict[object, set[str | None]] = {}
    for table in tables:
        by_name.setdefault(table.name, []).append(table)
        if table.replica is None:
            homes.setdefault(table.name, set()).add(table.provider)
        by_address.setdefault(table.resource, []).append(table)
        base = _INSTANCE.sub("", table.resource)
        if base != table.resource:
            by_address.setdefault(base, []).append(table)
    composites: list[Alarm] = []
    loose: Unknown | None = None
    for alarm in alarms:
        if alarm.kind is AlarmKind.COMPOSITE:
            composites.append(alarm)
            continue
        for named in names_of(alarm):
            if isinstance(named, Unknown):
                loose = loose or Unknown(f"alarm {alarm.resource} names a table that is not "
                                         f"known: {named.reason}", named.kind)
                continue
            owners = by_name[named.name] if named.name in by_name else (
                by_address.get(named.address or "", []))
            if named.name is None and len({t.resource for t in owners
                                           if t.replica is None}) > 1:
                loose = loose or Unknown(f"alarm {alarm.resource}: which instance of "
                                         f"{named.address} it watches is not known")
                continue
            for owner in owners:
                here = _in_region(alarm, owner, homes)
                if here is None:
                    owner.alarms_incomplete = owner.alarms_incomplete or _maybe_elsewhere(
                        alarm, owner)
                elif here and not any(a is alarm for a in owner.alarms):
                    owner.alarms.append(alarm)
    read_by: dict[object, list[TableState]] = {}  # alarm name or ARN -> the tables it names
    for table in tables:
        for alarm in table.alarms:
            for key in {alarm.name, alarm.resource}:
                read_by.setdefault(key, []).append(table)
    for composite in composites:
        children = () if isinstance(composite.children, Unknown) else composite.children
        reading = {id(t): t for child in children for t in read_by.get(child, [])
                   if _in_region(composite, t, homes)}
        for table in reading.values():
            table.alarms.append(composite)
    if loose is not None:
        for table in tables:
            table.alarms_incomplete = loose
