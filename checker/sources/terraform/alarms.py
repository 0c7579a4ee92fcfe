"""aws_cloudwatch_metric_alarm and aws_cloudwatch_composite_alarm -> Alarm.

Which tables an alarm names, and attaching it to them, is `checker.sources.alarms`' (the
live source reads alarms from CloudWatch and attaches them the same way).
"""

from __future__ import annotations

from checker.model import Alarm, AlarmKind, Location, MetricStat
from checker.sources.alarms import attach, rule_alarms
from checker.sources.terraform.body import Body, at, once
from checker.sources.typed import boolean, number, string, string_map, strings, whole
from checker.unknown import Maybe, Unknown

METRIC_ALARM = "aws_cloudwatch_metric_alarm"
COMPOSITE_ALARM = "aws_cloudwatch_composite_alarm"
ALARM_TYPES = (METRIC_ALARM, COMPOSITE_ALARM)


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


def read_metric_alarm(body: Body, location: Location | None = None, *,
                      provider: str | None = None, region: str | None = None) -> Alarm:
    """The Alarm of one aws_cloudwatch_metric_alarm instance: on one metric (metric_name),
    or metric math over the metrics of its metric_query blocks (Terraform allows only one
    of the two). *provider* and *region*: those of its provider configuration."""
    metric = string(body.value("metric_name"), at(body, "metric_name"))
    metrics = _metrics(body) if metric is None else ()
    statistic = string(body.value("statistic"), at(body, "statistic"))
    if statistic is None:
        statistic = string(body.value("extended_statistic"), at(body, "extended_statistic"))
    actions, enabled = _actions(body)
    return Alarm(
        name=string(body.value("alarm_name"), at(body, "alarm_name")),  # type: ignore[arg-type]
        resource=body.where,
        namespace=string(body.value("namespace"), at(body, "namespace")),
        metric=metric,
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
        kind=AlarmKind.METRIC if metric is not None else AlarmKind.MATH,
        metrics=metrics, provider=provider, region=region,
    )


def read_composite_alarm(body: Body, location: Location | None = None, *,
                         provider: str | None = None, region: str | None = None) -> Alarm:
    """The Alarm of one aws_cloudwatch_composite_alarm instance."""
    actions, enabled = _actions(body)
    return Alarm(
        name=string(body.value("alarm_name"), at(body, "alarm_name")),  # type: ignore[arg-type]
        resource=body.where, namespace=None, metric=None, statistic=None, comparison=None,
        threshold=None, period=None, evaluation_periods=None, dimensions={},
        actions=actions, actions_enabled=enabled, location=location or Location(),
        kind=AlarmKind.COMPOSITE, provider=provider, region=region,
        children=rule_alarms(string(body.value("alarm_rule"), at(body, "alarm_rule"))),
    )


__all__ = ["ALARM_TYPES", "COMPOSITE_ALARM", "METRIC_ALARM", "attach", "read_composite_alarm",
           "read_metric_alarm"]
