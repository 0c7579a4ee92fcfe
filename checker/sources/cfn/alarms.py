"""AWS::CloudWatch::Alarm and AWS::CloudWatch::CompositeAlarm -> Alarm.

The properties are CloudWatch's own (Dimensions as {Name, Value} lists, metric math as
`Metrics`); a number may be written as text, as CloudFormation converts it. Which tables an
alarm names, and attaching it to them, is `checker.sources.alarms`' (a `TableName` holding
the table's name, or a `Ref` to its resource), as for every source.
"""

from __future__ import annotations

from checker.model import Alarm, AlarmKind, Location, MetricStat
from checker.sources.alarms import rule_alarms
from checker.sources.cfn.props import items, member, pairs
from checker.sources.cfn.typed import flag, integer
from checker.sources.typed import number, string
from checker.unknown import Maybe, Unknown, invalid

METRIC_ALARM = "AWS::CloudWatch::Alarm"
COMPOSITE_ALARM = "AWS::CloudWatch::CompositeAlarm"
ALARM_TYPES = (METRIC_ALARM, COMPOSITE_ALARM)
REF_IS_ARN = frozenset({"AWS::SNS::Topic"})  # resource types whose Ref is their ARN


def _dimensions(value: object, where: str) -> Maybe[dict[str, Maybe[str]]]:
    """A Dimensions list of {Name, Value} (left out: none); a `Ref` to a table stays the
    Unknown that names it (`checker.sources.alarms` ties it)."""
    return pairs(value, where, "Name", "Value")


def _metrics(props: object, where: str) -> tuple[MetricStat, ...]:
    found = items(member(props, "Metrics", where), f"{where}.Metrics")
    if isinstance(found, Unknown):
        return (MetricStat(found, found, found),)
    out = []
    for i, query in enumerate(found):
        spot = f"{where}.Metrics[{i}]"
        metric = member(member(query, "MetricStat", spot), "Metric", f"{spot}.MetricStat")
        if metric is None:
            continue  # an expression over the other metrics
        out.append(MetricStat(
            string(member(metric, "Namespace", spot), f"{spot}.Namespace"),
            string(member(metric, "MetricName", spot), f"{spot}.MetricName"),
            _dimensions(member(metric, "Dimensions", spot), f"{spot}.Dimensions")))
    return tuple(out)


def _actions(props: object, where: str) -> tuple[Maybe[tuple[Maybe[str], ...]], Maybe[bool]]:
    enabled = flag(member(props, "ActionsEnabled", where), f"{where}.ActionsEnabled")
    found = items(member(props, "AlarmActions", where), f"{where}.AlarmActions")
    actions: Maybe[tuple[Maybe[str], ...]] = found if isinstance(found, Unknown) else tuple(
        _action(a, f"{where}.AlarmActions[{i}]") for i, a in enumerate(found))
    return actions, True if enabled is None else enabled


def _action(value: object, where: str) -> Maybe[str]:
    """An action: an ARN, or one known at deploy (an SNS topic's Ref, a resource's Arn),
    which the model calls a resource's `arn`."""
    if isinstance(value, Unknown):
        origin = value.origin
        if origin is not None and (origin.attr == "Arn" or (
                origin.attr == "Ref" and origin.type in REF_IS_ARN)):
            return value.but(origin=origin._replace(attr="arn"))
        return value
    found = string(value, where)
    return invalid(f"{where} is null") if found is None else found


def _name(props: object, where: str) -> Maybe[str]:
    found = string(member(props, "AlarmName", where), f"{where}.AlarmName")
    return Unknown(f"{where}.AlarmName is not set: CloudFormation names the alarm at "
                   "deploy") if found is None else found


def read_metric_alarm(props: object, logical: str, location: Location,
                      region: str | None) -> Alarm:
    """The Alarm of one AWS::CloudWatch::Alarm, from its evaluated Properties."""
    where = f"{logical}.Properties"
    metric = string(member(props, "MetricName", where), f"{where}.MetricName")
    statistic = string(member(props, "Statistic", where), f"{where}.Statistic")
    if statistic is None:
        statistic = string(member(props, "ExtendedStatistic", where),
                           f"{where}.ExtendedStatistic")
    actions, enabled = _actions(props, where)
    return Alarm(
        name=_name(props, where), resource=logical,
        namespace=string(member(props, "Namespace", where), f"{where}.Namespace"),
        metric=metric, statistic=statistic,
        comparison=string(member(props, "ComparisonOperator", where),
                          f"{where}.ComparisonOperator"),
        threshold=number(_numeric(member(props, "Threshold", where)), f"{where}.Threshold"),
        period=integer(member(props, "Period", where), f"{where}.Period"),
        evaluation_periods=integer(member(props, "EvaluationPeriods", where),
                                   f"{where}.EvaluationPeriods"),
        dimensions=_dimensions(member(props, "Dimensions", where), f"{where}.Dimensions"),
        actions=actions, actions_enabled=enabled, location=location,
        kind=AlarmKind.METRIC if metric is not None else AlarmKind.MATH,
        metrics=_metrics(props, where) if metric is None else (), region=region)


def _numeric(value: object) -> object:
    """A Double written as text, as a number (anything else as it is, for `number`)."""
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return value
    return value


def read_composite_alarm(props: object, logical: str, location: Location,
                         region: str | None) -> Alarm:
    """The Alarm of one AWS::CloudWatch::CompositeAlarm."""
    where = f"{logical}.Properties"
    actions, enabled = _actions(props, where)
    return Alarm(
        name=_name(props, where), resource=logical, namespace=None, metric=None,
        statistic=None, comparison=None, threshold=None, period=None,
        evaluation_periods=None, dimensions={}, actions=actions, actions_enabled=enabled,
        location=location, kind=AlarmKind.COMPOSITE, region=region,
        children=rule_alarms(string(member(props, "AlarmRule", where), f"{where}.AlarmRule")))


__all__ = ["ALARM_TYPES", "COMPOSITE_ALARM", "METRIC_ALARM", "read_composite_alarm",
           "read_metric_alarm"]
