"""alarms: the spec's CloudWatch alarms watch each table, with the spec's settings."""

from __future__ import annotations

from collections.abc import Callable

from checker.findings import Severity
from checker.model import Alarm, Location, Unknown
from checker.rules.base import (
    Rule,
    Subject,
    Verdict,
    failed,
    not_evaluated,
    passed,
    show,
    unknown,
)
from checker.spec.model import AlarmSpec, TableSpec

_SETTINGS = (
    ("statistic", "statistic"),
    ("comparison", "comparison_operator"),
    ("threshold", "threshold"),
    ("period", "period"),
    ("evaluation_periods", "evaluation_periods"),
)


def _watching(s: Subject, want: AlarmSpec) -> list[Alarm]:
    """Table-level alarms on *want*'s metric (not per-index ones)."""
    out = []
    for alarm in s.state.alarms:
        dims = alarm.dimensions
        per_index = isinstance(dims, dict) and "GlobalSecondaryIndexName" in dims
        if alarm.metric == want.metric and alarm.namespace == want.namespace and not per_index:
            out.append(alarm)
    return out


def _required(s: Subject) -> bool:
    return s.environment in s.table.alarms.required_in


def _exists(s: Subject) -> list[Verdict]:
    out = []
    for want in s.table.alarms.metrics:
        field = f"alarms.{want.metric}"
        found = _watching(s, want)
        expected = f"{want.namespace} {want.metric} alarm"
        if found:
            names = show([a.name for a in found])
            out.append(passed(f"{want.metric} alarm: {names}", expected, names, field))
        elif s.state.alarms_incomplete is not None:
            out.append(unknown(s.state.alarms_incomplete, expected, field))
        elif _required(s):
            out.append(failed(f"no {want.metric} alarm watches this table; add one",
                              expected, "absent", field))
        else:
            out.append(passed(f"no {want.metric} alarm (optional in {s.environment})",
                              "optional", "absent", field))
    return out


def _each_alarm(s: Subject, judge: Callable[[AlarmSpec, Alarm, str], Verdict],
                expected: Callable[[AlarmSpec], str]) -> list[Verdict]:
    """Judge every alarm on each spec metric; when there is none, say why there is nothing."""
    out = []
    for want in s.table.alarms.metrics:
        found = _watching(s, want)
        field = f"alarms.{want.metric}"
        if not found and _required(s):  # its absence is TS-ALARM-001's to report, once
            out.append(not_evaluated(f"no {want.metric} alarm to check", expected(want),
                                     "no alarm", field))
        elif not found:
            out.append(passed(f"no {want.metric} alarm (optional in {s.environment})",
                              "optional", "absent", field))
        out.extend(judge(want, alarm, field) for alarm in found)
    return out


def _at(alarm: Alarm, attr: str) -> tuple[str, Location]:
    """(resource, location) of a finding about *attr* of *alarm*."""
    return alarm.resource, alarm.field_locations.get(attr, alarm.location)


def _settings(want: AlarmSpec) -> str:
    return (f"{want.statistic} {want.comparison} {show(want.threshold)}, period "
            f"{want.period}s x {want.evaluation_periods}")


def _judge_settings(want: AlarmSpec, alarm: Alarm, field: str) -> Verdict:
    expected = _settings(want)
    wrong = []
    first = ""
    for attr, tf_name in _SETTINGS:
        got = getattr(alarm, attr)
        if isinstance(got, Unknown):
            return unknown(got, expected, f"{field}.{tf_name}", *_at(alarm, tf_name))
        if got != getattr(want, attr):
            wrong.append(f"{tf_name} {show(got)} (want {show(getattr(want, attr))})")
            first = first or tf_name
    actual = (f"{show(alarm.statistic)} {show(alarm.comparison)} {show(alarm.threshold)}, "
              f"period {show(alarm.period)}s x {show(alarm.evaluation_periods)}")
    if wrong:
        return failed(f"alarm {show(alarm.name)} has " + "; ".join(wrong),
                      expected, actual, field, *_at(alarm, first))
    return passed(f"alarm {show(alarm.name)} matches", expected, actual, field,
                  alarm.resource, alarm.location)


_ACTIONS = "at least one alarm action, actions enabled"


def _actions_expected(want: AlarmSpec) -> str:
    return _ACTIONS if want.action_required else "optional"


def _describe(actions: tuple[str | Unknown, ...]) -> str:
    """The actions as a report prints them; an action known after apply says so."""
    later = [a for a in actions if isinstance(a, Unknown)]
    known = [a for a in actions if not isinstance(a, Unknown)]
    if not later:
        return show(known)
    return ", ".join([*known, f"{len(later)} action(s) whose ARN is known after apply "
                              f"({later[0].reason})"])


def _judge_actions(want: AlarmSpec, alarm: Alarm, field: str) -> Verdict:
    field, enabled_field = f"{field}.alarm_actions", f"{field}.actions_enabled"
    at = _at(alarm, "alarm_actions")
    actions, enabled = alarm.actions, alarm.actions_enabled
    if not want.action_required:
        return passed("no alarm action required", "optional", show(actions), field, *at)
    if isinstance(actions, Unknown):
        return unknown(actions, _ACTIONS, field, *at)
    if not actions:
        return failed(f"alarm {show(alarm.name)} notifies nobody; add an alarm action",
                      _ACTIONS, "none", field, *at)
    if isinstance(enabled, Unknown):
        return unknown(enabled, _ACTIONS, enabled_field, *_at(alarm, "actions_enabled"))
    if not enabled:
        return failed(f"alarm {show(alarm.name)} has its actions disabled; set "
                      "actions_enabled = true", _ACTIONS, "actions disabled", enabled_field,
                      *_at(alarm, "actions_enabled"))
    described = _describe(actions)
    return passed(f"alarm {show(alarm.name)} notifies {described}", _ACTIONS, described,
                  field, *at)


def _has_alarms(table: TableSpec, environment: str) -> bool:
    return bool(table.alarms.metrics)


_EXAMPLE = """resource "aws_cloudwatch_metric_alarm" "read_throttle" {
  alarm_name          = "${aws_dynamodb_table.this.name}-read-throttle"
  namespace           = "AWS/DynamoDB"
  metric_name         = "ReadThrottleEvents"
  statistic           = "Sum"
  comparison_operator = "GreaterThanThreshold"
  threshold           = 10
  period              = 300
  evaluation_periods  = 1
  alarm_actions       = [var.alerts_topic_arn]
  dimensions          = { TableName = aws_dynamodb_table.this.name }
}"""

ALARM_EXISTS = Rule(
    id="TS-ALARM-001", check="alarms", severity=Severity.HIGH,
    title="The spec's alarms watch the table where required",
    why="Throttling is the first sign a table is under-provisioned or hot-keyed; without an "
    "alarm it surfaces as user-facing errors.",
    fix="Add an aws_cloudwatch_metric_alarm on the metric with dimension TableName = the table.",
    example=_EXAMPLE, evaluate=_exists, applies=_has_alarms,
)
ALARM_SETTINGS = Rule(
    id="TS-ALARM-002", check="alarms", severity=Severity.MEDIUM,
    title="Alarm statistic, comparison, threshold and periods match the spec",
    why="An alarm with a looser threshold or longer period stays quiet through the incident "
    "it exists for.",
    fix="Set the alarm's statistic, comparison_operator, threshold, period and "
    "evaluation_periods to the spec's values.",
    example=_EXAMPLE, evaluate=lambda s: _each_alarm(s, _judge_settings, _settings),
    applies=_has_alarms,
)
ALARM_ACTIONS = Rule(
    id="TS-ALARM-003", check="alarms", severity=Severity.HIGH,
    title="Alarms notify someone",
    why="An alarm with no action changes state in the console and nobody hears of it.",
    fix="Set alarm_actions to an SNS topic (and keep actions_enabled true).",
    example=_EXAMPLE, evaluate=lambda s: _each_alarm(s, _judge_actions, _actions_expected),
    applies=_has_alarms,
)

RULES = [ALARM_EXISTS, ALARM_SETTINGS, ALARM_ACTIONS]
