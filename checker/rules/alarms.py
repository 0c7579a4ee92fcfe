"""alarms: the spec's CloudWatch alarms watch each table, with the spec's settings."""

from __future__ import annotations

import re
from collections.abc import Callable

from checker.findings import Reason, Severity
from checker.model import Alarm, AlarmKind, Location
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
from checker.specfile.model import AlarmSpec, TableSpec
from checker.unknown import Unknown

_SETTINGS = (
    ("statistic", "statistic"),
    ("comparison", "comparison_operator"),
    ("threshold", "threshold"),
    ("period", "period"),
    ("evaluation_periods", "evaluation_periods"),
)
# An alarm action: an ARN (SNS topic, Auto Scaling policy, automate:..., ssm:...).
_ARN = re.compile(r"arn:[^:\s]+:[^:\s]+:[^:\s]*:[^:\s]*:\S+")


def _label(alarm: Alarm) -> str:
    """How a message names an alarm: by its name, or by its resource where the name is
    known only at deploy (CloudFormation names an alarm that sets none)."""
    return f"alarm {alarm.name}" if isinstance(alarm.name, str) else f"alarm {alarm.resource}"


def _why_not(s: Subject, alarm: Alarm, want: AlarmSpec) -> bool | str | Unknown | None:
    """Whether *alarm* watches the table's *want* metric stream: True; a reason it names
    that metric but does not count; an Unknown when that cannot be told; None when it is
    about another metric."""
    if alarm.kind is AlarmKind.MATH:
        if any(m.metric == want.metric and m.namespace == want.namespace for m in alarm.metrics):
            return ("a metric-math alarm: its state follows an expression, not the "
                    f"{want.metric} metric itself")
        return None
    if alarm.kind is AlarmKind.COMPOSITE:
        read = alarm.children if isinstance(alarm.children, tuple) else ()
        if any(_why_not(s, a, want) is not None for a in s.state.alarms
               if a.kind is not AlarmKind.COMPOSITE and (a.name in read or a.resource in read)):
            return "a composite alarm: its state follows other alarms, not the metric"
        return None
    for part in (alarm.metric, alarm.namespace):
        if isinstance(part, Unknown):
            return part
    if alarm.metric != want.metric or alarm.namespace != want.namespace:
        return None
    dims = alarm.dimensions
    if isinstance(dims, Unknown):
        return dims
    if set(dims) == {"TableName"}:
        return True
    if "GlobalSecondaryIndexName" in dims:
        return "an index alarm (GlobalSecondaryIndexName): it watches an index, not the table"
    return (f"its dimensions are {', '.join(sorted(dims))}: only TableName alone selects "
            f"the table's {want.metric} metric stream")


Sorted = tuple[list[Alarm], list[tuple[Alarm, Unknown]], list[str]]


def _sorted(s: Subject, want: AlarmSpec) -> Sorted:
    """(alarms that count, alarms that may count and why not known, why others do not);
    worked out once per table and metric for the three alarm rules."""
    key = ("alarms", want.metric, want.namespace)
    if key not in s.memo:
        s.memo[key] = _sort(s, want)
    return s.memo[key]  # type: ignore[return-value]


def _sort(s: Subject, want: AlarmSpec) -> Sorted:
    counting, maybe, named = [], [], []
    for alarm in s.state.alarms:
        why = _why_not(s, alarm, want)
        if why is True:
            counting.append(alarm)
        elif isinstance(why, Unknown):
            maybe.append((alarm, why))
        elif isinstance(why, str):
            named.append(f"{_label(alarm)} does not count ({why})")
    return counting, maybe, named


def _required(s: Subject) -> bool:
    return s.environment in s.table.alarms.required_in


def _exists(s: Subject) -> list[Verdict]:
    out = []
    for want in s.table.alarms.metrics:
        field = f"alarms.{want.metric}"
        found, maybe, named = _sorted(s, want)
        expected = f"{want.namespace} {want.metric} alarm"
        others = f"; {'; '.join(named)}" if named else ""
        if found:
            names = show([a.name for a in found])
            out.append(passed(f"{want.metric} alarm: {names}", expected, names, field))
        elif not _required(s):  # whatever alarms there turn out to be
            out.append(passed(f"no {want.metric} alarm (optional in {s.environment}){others}",
                              "optional", "absent", field))
        elif maybe:
            alarm, why = maybe[0]
            out.append(unknown(why.but(f"whether {_label(alarm)} watches the table's "
                                       f"{want.metric} metric stream: {why.reason}"),
                               expected, field))
        elif s.state.alarms_incomplete is not None:
            out.append(unknown(s.state.alarms_incomplete, expected, field))
        else:
            out.append(failed(f"no {want.metric} alarm watches this table{others}; add one "
                              "with the dimension TableName alone", expected,
                              "absent" if not named else "; ".join(named), field))
    return out


def _each_alarm(s: Subject, judge: Callable[[AlarmSpec, Alarm, str], Verdict],
                expected: Callable[[AlarmSpec], str]) -> list[Verdict]:
    """Judge every alarm on each spec metric; when there is none, say why there is nothing."""
    out = []
    for want in s.table.alarms.metrics:
        found, maybe, _named = _sorted(s, want)
        field = f"alarms.{want.metric}"
        unseen = s.state.alarms_incomplete  # an alarm may watch it that could not be seen
        if not found and not maybe and unseen is not None:
            out.append(unknown(unseen, expected(want), field))
        elif not found and not maybe and _required(s):  # TS-ALARM-001 reports it, once
            out.append(not_evaluated(f"no {want.metric} alarm to check", expected(want),
                                     "no alarm", field))
        elif not found and not maybe:
            out.append(passed(f"no {want.metric} alarm (optional in {s.environment})",
                              "optional", "absent", field))
        out.extend(judge(want, alarm, field) for alarm in found)
        out.extend(unknown(why.but(f"whether {_label(alarm)} watches the table: "
                                   f"{why.reason}"), expected(want), field, *_at(alarm, ""))
                   for alarm, why in maybe)
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
        return failed(f"{_label(alarm)} has " + "; ".join(wrong),
                      expected, actual, field, *_at(alarm, first))
    return passed(f"{_label(alarm)} matches", expected, actual, field,
                  alarm.resource, alarm.location)


_ACTIONS = "at least one alarm action, actions enabled"


def _actions_expected(want: AlarmSpec) -> str:
    return _ACTIONS if want.action_required else "optional"


def _later(action: object) -> bool:
    """An action whose ARN is known after apply: a resource's `arn`."""
    return (isinstance(action, Unknown) and action.kind is Reason.UNKNOWN_VALUE
            and action.origin is not None and action.origin.attr == "arn")


def _describe(real: list[str], later: list[Unknown]) -> str:
    """The actions as a report prints them; an action known after apply says so."""
    if not later:
        return show(real)
    return ", ".join([*real, f"{len(later)} action(s) whose ARN is known after apply "
                             f"({later[0].reason})"])


def _judge_actions(want: AlarmSpec, alarm: Alarm, field: str) -> Verdict:
    field, enabled_field = f"{field}.alarm_actions", f"{field}.actions_enabled"
    at, at_enabled = _at(alarm, "alarm_actions"), _at(alarm, "actions_enabled")
    actions, enabled = alarm.actions, alarm.actions_enabled
    if not want.action_required:
        return passed("no alarm action required", "optional", show(actions), field, *at)
    if enabled is False:
        return failed(f"{_label(alarm)} has its actions disabled; enable "
                      "them", _ACTIONS, "actions disabled", enabled_field,
                      *at_enabled)
    if isinstance(actions, Unknown) and not _later(actions):
        return unknown(actions, _ACTIONS, field, *at)
    if isinstance(actions, Unknown):  # a list made of one resource's ARN, known after apply
        actions = (actions,)
    real = [a for a in actions if isinstance(a, str) and _ARN.fullmatch(a)]
    later = [a for a in actions if isinstance(a, Unknown) and _later(a)]
    undecided = [a for a in actions if isinstance(a, Unknown) and not _later(a)]
    if not real and not later and undecided:
        return unknown(undecided[0], _ACTIONS, field, *at)
    if not real and not later:
        bad = [a for a in actions if isinstance(a, str)]
        why = f" ({show([repr(a) for a in bad])} is not an action ARN)" if bad else ""
        return failed(f"{_label(alarm)} notifies nobody{why}; add an alarm action",
                      _ACTIONS, "none", field, *at)
    if isinstance(enabled, Unknown):
        return unknown(enabled, _ACTIONS, enabled_field, *at_enabled)
    described = _describe(real, later)
    return passed(f"{_label(alarm)} notifies {described}", _ACTIONS, described,
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
    fix="Add a CloudWatch alarm (aws_cloudwatch_metric_alarm, AWS::CloudWatch::Alarm) on the "
    "metric, with the single dimension TableName = the table.",
    example=_EXAMPLE, evaluate=_exists, applies=_has_alarms,
)
ALARM_SETTINGS = Rule(
    id="TS-ALARM-002", check="alarms", severity=Severity.MEDIUM,
    title="Alarm statistic, comparison, threshold and periods match the spec",
    why="An alarm with a looser threshold or longer period stays quiet through the incident "
    "it exists for.",
    fix="Set the alarm's statistic, comparison_operator, threshold, period and "
    "evaluation_periods (Statistic, ComparisonOperator, Threshold, Period, EvaluationPeriods) "
    "to the spec's values.",
    example=_EXAMPLE, evaluate=lambda s: _each_alarm(s, _judge_settings, _settings),
    applies=_has_alarms,
)
ALARM_ACTIONS = Rule(
    id="TS-ALARM-003", check="alarms", severity=Severity.HIGH,
    title="Alarms notify someone",
    why="An alarm with no action changes state in the console and nobody hears of it.",
    fix="Set alarm_actions (AlarmActions) to an SNS topic, and keep actions_enabled "
    "(ActionsEnabled) true.",
    example=_EXAMPLE, evaluate=lambda s: _each_alarm(s, _judge_actions, _actions_expected),
    applies=_has_alarms,
)

RULES = [ALARM_EXISTS, ALARM_SETTINGS, ALARM_ACTIONS]
