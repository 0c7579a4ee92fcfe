"""alarms: the spec's CloudWatch alarms watch each table, with the spec's settings."""

from __future__ import annotations

from collections.abc import Callable

from checker.model import Alarm, Severity, Unknown
from checker.rules.base import Rule, Subject, Verdict, failed, passed, show, unknown
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


def _each_alarm(s: Subject, judge: Callable[[AlarmSpec, Alarm, str], Verdict]) -> list[Verdict]:
    """Judge every alarm on each spec metric; say so when there is none to judge."""
    out = []
    for want in s.table.alarms.metrics:
        found = _watching(s, want)
        field = f"alarms.{want.metric}"
        if not found and _required(s):
            out.append(unknown(f"no {want.metric} alarm to check", _settings(want), field))
        elif not found:
            out.append(passed(f"no {want.metric} alarm (optional in {s.environment})",
                              "optional", "absent", field))
        out.extend(judge(want, alarm, field) for alarm in found)
    return out


def _settings(want: AlarmSpec) -> str:
    return (f"{want.statistic} {want.comparison} {show(want.threshold)}, period "
            f"{want.period}s x {want.evaluation_periods}")


def _judge_settings(want: AlarmSpec, alarm: Alarm, field: str) -> Verdict:
    expected = _settings(want)
    at = (alarm.resource, alarm.location)
    wrong = []
    for attr, tf_name in _SETTINGS:
        got = getattr(alarm, attr)
        if isinstance(got, Unknown):
            return unknown(got, expected, f"{field}.{tf_name}", *at)
        if got != getattr(want, attr):
            wrong.append(f"{tf_name} {show(got)} (want {show(getattr(want, attr))})")
    actual = (f"{show(alarm.statistic)} {show(alarm.comparison)} {show(alarm.threshold)}, "
              f"period {show(alarm.period)}s x {show(alarm.evaluation_periods)}")
    if wrong:
        return failed(f"alarm {show(alarm.name)} has " + "; ".join(wrong),
                      expected, actual, field, *at)
    return passed(f"alarm {show(alarm.name)} matches", expected, actual, field, *at)


def _judge_actions(want: AlarmSpec, alarm: Alarm, field: str) -> Verdict:
    at = (alarm.resource, alarm.location)
    field = f"{field}.alarm_actions"
    if not want.action_required:
        return passed("no alarm action required", "optional", show(alarm.actions), field, *at)
    for part in (alarm.actions, alarm.actions_enabled):
        if isinstance(part, Unknown):
            return unknown(part, "at least one alarm action", field, *at)
    if not alarm.actions or not alarm.actions_enabled:
        actual = "actions disabled" if alarm.actions else "none"
        return failed(f"alarm {show(alarm.name)} notifies nobody; add an alarm action",
                      "at least one alarm action", actual, field, *at)
    return passed(f"alarm {show(alarm.name)} notifies {show(alarm.actions)}",
                  "at least one alarm action", show(alarm.actions), field, *at)


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
    example=_EXAMPLE, evaluate=lambda s: _each_alarm(s, _judge_settings), applies=_has_alarms,
)
ALARM_ACTIONS = Rule(
    id="TS-ALARM-003", check="alarms", severity=Severity.HIGH,
    title="Alarms notify someone",
    why="An alarm with no action changes state in the console and nobody hears of it.",
    fix="Set alarm_actions to an SNS topic (and keep actions_enabled true).",
    example=_EXAMPLE, evaluate=lambda s: _each_alarm(s, _judge_actions), applies=_has_alarms,
)

RULES = [ALARM_EXISTS, ALARM_SETTINGS, ALARM_ACTIONS]
