"""aws_cloudwatch_metric_alarm and aws_cloudwatch_composite_alarm -> Alarm, and which
tables each one names.

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

from checker.model import (
    Alarm,
    AlarmKind,
    Location,
    Maybe,
    MetricStat,
    TableState,
    Unknown,
)
from checker.sources.terraform.body import Body, at, once
from checker.sources.terraform.table import TABLE
from checker.sources.terraform.typed import boolean, number, string, string_map, strings, whole

METRIC_ALARM = "aws_cloudwatch_metric_alarm"
COMPOSITE_ALARM = "aws_cloudwatch_composite_alarm"
ALARM_TYPES = (METRIC_ALARM, COMPOSITE_ALARM)
_RULE_ALARM = re.compile(
    r'\b(?:ALARM|OK|INSUFFICIENT_DATA)\s*\(\s*("(?:[^"\\]|\\.)*"|[^)\s]+)\s*\)')


def _metrics(body: Body) -> tuple[MetricStat, ...]:
    found = body.blocks("metric_query")
    if isinstance(found, Unknown):
        return (MetricStat(found, found, found),)
    out = []
    for query in found:
        metric = once(query, "metric")
        if isinstance(metric, Unknown):
            out.append(MetricStat(metric, metric, metric))
            continue
        for m in metric:
            out.append(MetricStat(string(m.value("namespace"), at(m, "namespace")),
                                  string(m.value("metric_name"), at(m, "metric_name")),
                                  string_map(m.value("dimensions"), at(m, "dimensions"))))
    return tuple(out)


def _actions(body: Body) -> tuple[Maybe[tuple[Maybe[str], ...]], Maybe[bool]]:
    enabled = boolean(body.value("actions_enabled"), at(body, "actions_enabled"))
    return (strings(body.value("alarm_actions"), at(body, "alarm_actions")),
            True if enabled is None else enabled)


def read_metric_alarm(body: Body, location: Location | None = None) -> Alarm:
    """The Alarm of one aws_cloudwatch_metric_alarm instance."""
    metrics = _metrics(body)
    statistic = string(body.value("statistic"), at(body, "statistic"))
    if statistic is None:
        statistic = string(body.value("extended_statistic"), at(body, "extended_statistic"))
    actions, enabled = _actions(body)
    return Alarm(
        name=string(body.value("alarm_name"), at(body, "alarm_name")),  # type: ignore[arg-type]
        resource=body.where,
        namespace=string(body.value("namespace"), at(body, "namespace")),
        metric=string(body.value("metric_name"), at(body, "metric_name")),
        statistic=statistic,
        comparison=string(body.value("comparison_operator"), at(body, "comparison_operator")),
        threshold=number(body.value("threshold"), at(body, "threshold")),
        period=whole(body.value("period"), at(body, "period")),
        evaluation_periods=whole(body.value("evaluation_periods"),
                                 at(body, "evaluation_periods")),
        dimensions=string_map(body.value("dimensions"), at(body, "dimensions")),
        actions=actions,
        actions_enabled=enabled,
        location=location or Location(),
        kind=AlarmKind.MATH if metrics else AlarmKind.METRIC,
        metrics=metrics,
    )


def rule_alarms(rule: Maybe[str | None]) -> Maybe[tuple[str, ...]]:
    """The alarm names (or ARNs) a composite alarm rule reads."""
    if rule is None or isinstance(rule, Unknown):
        return rule or ()
    return tuple(m.group(1).strip('"') for m in _RULE_ALARM.finditer(rule))


def read_composite_alarm(body: Body, location: Location | None = None) -> Alarm:
    """The Alarm of one aws_cloudwatch_composite_alarm instance."""
    actions, enabled = _actions(body)
    return Alarm(
        name=string(body.value("alarm_name"), at(body, "alarm_name")),  # type: ignore[arg-type]
        resource=body.where, namespace=None, metric=None, statistic=None, comparison=None,
        threshold=None, period=None, evaluation_periods=None, dimensions={},
        actions=actions, actions_enabled=enabled, location=location or Location(),
        kind=AlarmKind.COMPOSITE,
        children=rule_alarms(string(body.value("alarm_rule"), at(body, "alarm_rule"))),
    )


@dataclass(frozen=True)
class Named:
    """A table an alarm names: by its name, or (unknown name) by its resource address."""

    name: str | None = None
    address: str | None = None


def _table_names(dimensions: Maybe[dict[str, Maybe[str]]]) -> list[Named | Unknown]:
    if isinstance(dimensions, Unknown):
        origin = dimensions.origin
        if origin is not None and origin.type == TABLE:
            return [Named(address=origin.address)]
        return [dimensions]
    value = dimensions.get("TableName")
    if value is None:
        return []
    if isinstance(value, str):
        return [Named(name=value)]
    if value.origin is not None and value.origin.type == TABLE:
        return [Named(address=value.origin.address)]
    return [value]


def names_of(alarm: Alarm) -> list[Named | Unknown]:
    """The tables an alarm names in its dimensions or its metrics (Unknown: not known)."""
    if alarm.kind is AlarmKind.METRIC:
        return _table_names(alarm.dimensions)
    return [n for m in alarm.metrics for n in _table_names(m.dimensions)]


_INSTANCE = re.compile(r'\[(?:"(?:[^"\\]|\\.)*"|\d+)\]$')


def attach(tables: Sequence[TableState], alarms: Iterable[Alarm]) -> None:
    """Attach each alarm to the tables it names; an alarm whose table is not known leaves
    every table's alarm list incomplete."""
    by_name = {t.name: t for t in tables if isinstance(t.name, str)}
    by_address: dict[str, list[TableState]] = {}
    for table in tables:
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
                loose = loose or Unknown(f"alarm {alarm.resource} names its table only after "
                                         f"apply: {named.reason}", named.kind)
                continue
            owners = [by_name[named.name]] if named.name in by_name else (
                by_address.get(named.address or "", []))
            if named.name is None and len(owners) != 1:
                loose = loose or Unknown(f"alarm {alarm.resource}: which instance of "
                                         f"{named.address} it watches is not known")
                continue
            for owner in owners:
                if alarm not in owner.alarms:
                    owner.alarms.append(alarm)
    for composite in composites:
        children = composite.children
        for table in tables:
            names = {a.name for a in table.alarms} | {a.resource for a in table.alarms}
            if not isinstance(children, Unknown) and names & set(children):
                table.alarms.append(composite)
    if loose is not None:
        for table in tables:
            table.alarms_incomplete = loose
