"""alarms: the spec's throttle alarms watch each table, with its settings and an action."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from checker.findings import Reason, Status
from checker.model import AlarmKind, MetricStat
from checker.specfile.model import Spec
from checker.unknown import Origin, Unknown, invalid
from tests.rules.harness import EVENTS, REWARDS, SESSIONS, Case, only, run, states
from tests.support.builders import alarm_for

PASS, FAIL, UNKNOWN = Status.PASS, Status.FAIL, Status.UNKNOWN
NAME = "hypermage-vr-player-sessions-prod"
READ, WRITE = "ReadThrottleEvents", "WriteThrottleEvents"
R, W = f"alarms.{READ}", f"alarms.{WRITE}"
SETTINGS = "Sum GreaterThanThreshold 10, period 300s x 1"


def alarms(**read_changes: Any) -> dict[str, object]:
    """The sessions table's two alarms, the read one changed."""
    return {"alarms": [replace(alarm_for(NAME, READ), **read_changes), alarm_for(NAME, WRITE)]}


LATER = Unknown("known after apply")
TOPIC = Unknown("aws_sns_topic.t.arn known after apply",
                origin=Origin("aws_sns_topic", "aws_sns_topic.t", "arn"))
CASES = [
    Case("TS-ALARM-001", PASS, SESSIONS, R),
    Case("TS-ALARM-001", FAIL, SESSIONS, R, {"alarms": [alarm_for(NAME, WRITE)]}),
    # an alarm that could not be seen may watch it, with any settings and actions
    Case("TS-ALARM-001", UNKNOWN, REWARDS, R,
         {"alarms": [], "alarms_incomplete": Unknown("an alarm names its table after apply")},
         also=tuple(("unknown", rule, REWARDS, field) for rule in (
             "TS-ALARM-001", "TS-ALARM-002", "TS-ALARM-003") for field in (R, W)
             if (rule, field) != ("TS-ALARM-001", R))),
    Case("TS-ALARM-002", PASS, SESSIONS, R),
    Case("TS-ALARM-002", FAIL, SESSIONS, R, alarms(threshold=50.0)),
    Case("TS-ALARM-002", FAIL, SESSIONS, R, alarms(statistic="Average")),
    Case("TS-ALARM-002", UNKNOWN, SESSIONS, f"{R}.threshold", alarms(threshold=LATER)),
    Case("TS-ALARM-003", PASS, SESSIONS, f"{R}.alarm_actions"),
    Case("TS-ALARM-003", PASS, SESSIONS, f"{R}.alarm_actions", alarms(actions=(TOPIC,))),
    Case("TS-ALARM-003", UNKNOWN, SESSIONS, f"{R}.alarm_actions", alarms(actions=(LATER,))),
    Case("TS-ALARM-003", FAIL, SESSIONS, f"{R}.alarm_actions", alarms(actions=("",))),
    Case("TS-ALARM-003", FAIL, SESSIONS, f"{R}.alarm_actions", alarms(actions=("alerts",))),
    Case("TS-ALARM-003", UNKNOWN, SESSIONS, f"{R}.alarm_actions",
         alarms(actions=(invalid("alarm_actions[0] is false (a bool), not a string"),))),
    Case("TS-ALARM-003", FAIL, SESSIONS, f"{R}.actions_enabled",
         alarms(actions=LATER, actions_enabled=False)),
    Case("TS-ALARM-003", FAIL, SESSIONS, f"{R}.alarm_actions", alarms(actions=())),
    Case("TS-ALARM-003", FAIL, SESSIONS, f"{R}.actions_enabled", alarms(actions_enabled=False)),
    Case("TS-ALARM-003", UNKNOWN, SESSIONS, f"{R}.alarm_actions", alarms(actions=LATER)),
    Case("TS-ALARM-003", UNKNOWN, SESSIONS, f"{R}.actions_enabled",
         alarms(actions_enabled=LATER)),
]


def test_a_missing_alarm_is_one_failure_and_its_settings_are_not_evaluated(spec: Spec) -> None:
    findings = run(spec, states(spec, **{SESSIONS: {"alarms": [alarm_for(NAME, WRITE)]}}))
    read = [(f.rule_id, f.status.value, f.reason.value if f.reason else None, f.expected)
            for f in findings if f.table == SESSIONS and f.field == R]
    assert read == [
        ("TS-ALARM-001", "fail", None, f"AWS/DynamoDB {READ} alarm"),
        ("TS-ALARM-002", "unknown", "not_evaluated", SETTINGS),
        ("TS-ALARM-003", "unknown", "not_evaluated", "at least one alarm action, actions enabled"),
    ]


def test_wrong_settings_name_each_and_point_at_the_alarm(spec: Spec) -> None:
    findings = run(spec, states(spec, **{SESSIONS: alarms(threshold=50.0, period=60)}))
    (bad,) = [f for f in findings if f.status is FAIL]
    assert (bad.rule_id, bad.table) == ("TS-ALARM-002", SESSIONS)
    assert "threshold 50 (want 10)" in bad.message and "period 60 (want 300)" in bad.message
    assert bad.resource == alarm_for(NAME, READ).resource


def test_extended_statistic_is_not_the_spec_statistic(spec: Spec) -> None:
    assert only(spec, SESSIONS, **alarms(statistic="p99")) == [
        ("fail", "TS-ALARM-002", SESSIONS, R)]


def test_a_per_index_alarm_does_not_count_for_the_table(spec: Spec) -> None:
    name = "hypermage-vr-interaction-events-prod"
    per_index = alarm_for(name, READ, dimensions={"TableName": name,
                                                  "GlobalSecondaryIndexName": "P"})
    got = only(spec, EVENTS, alarms=[per_index, alarm_for(name, WRITE)])
    assert ("fail", "TS-ALARM-001", EVENTS, R) in got


def test_alarms_are_optional_in_dev_but_must_match_when_present(spec: Spec) -> None:
    assert only(spec, SESSIONS, "dev", alarms=[], pitr=False) == []
    dev = "hypermage-vr-player-sessions-dev"
    assert only(spec, SESSIONS, "dev", alarms=[alarm_for(dev, READ, threshold=100.0)]) == [
        ("fail", "TS-ALARM-002", SESSIONS, R)]


def test_actions_known_after_apply_are_said_so(spec: Spec) -> None:
    findings = run(spec, states(spec, **{SESSIONS: alarms(actions=(TOPIC,))}))
    (f,) = [f for f in findings if f.rule_id == "TS-ALARM-003" and f.table == SESSIONS
            and f.field.startswith(R)]
    assert f.status is PASS
    assert f.actual == ("1 action(s) whose ARN is known after apply (aws_sns_topic.t.arn known "
                        "after apply)")


def test_an_empty_or_non_arn_action_is_no_action_and_is_named(spec: Spec) -> None:
    findings = run(spec, states(spec, **{SESSIONS: alarms(actions=("", "alerts"))}))
    (f,) = [f for f in findings if f.rule_id == "TS-ALARM-003" and f.table == SESSIONS
            and f.field.startswith(R)]
    assert f.status is FAIL and "notifies nobody" in f.message
    assert "'', 'alerts' is not an action ARN" in f.message


@pytest.mark.parametrize(("changes", "why"), [
    ({"dimensions": {"TableName": NAME, "Operation": "GetItem"}},
     "its dimensions are Operation, TableName"),
    ({"dimensions": {"TableName": NAME, "GlobalSecondaryIndexName": "I"}}, "an index alarm"),
    ({"kind": AlarmKind.MATH, "metric": None, "namespace": None, "dimensions": {},
      "metrics": (MetricStat("AWS/DynamoDB", READ, {"TableName": NAME}),)},
     "a metric-math alarm"),
])
def test_an_alarm_that_watches_another_stream_does_not_count_and_is_named(
        spec: Spec, changes: dict[str, object], why: str) -> None:
    findings = run(spec, states(spec, **{SESSIONS: alarms(**changes)}))
    (f,) = [f for f in findings if f.rule_id == "TS-ALARM-001" and f.table == SESSIONS
            and f.field == R]
    assert f.status is FAIL and f"{NAME}-{READ} does not count ({why}" in f.message
    later = [g for g in findings if g.table == SESSIONS and g.field.startswith(R)
             and g.rule_id != "TS-ALARM-001"]
    assert {(g.status, g.reason) for g in later} == {(UNKNOWN, Reason.NOT_EVALUATED)}


def test_a_composite_alarm_over_such_an_alarm_is_named_too(spec: Spec) -> None:
    math = replace(alarm_for(NAME, READ), kind=AlarmKind.MATH, metric=None, namespace=None,
                   dimensions={}, metrics=(MetricStat("AWS/DynamoDB", READ,
                                                      {"TableName": NAME}),))
    composite = replace(alarm_for(NAME, READ), name="any-throttle", kind=AlarmKind.COMPOSITE,
                        metric=None, namespace=None, dimensions={},
                        resource="aws_cloudwatch_composite_alarm.c",
                        children=(f"{NAME}-{READ}",))
    findings = run(spec, states(spec, **{SESSIONS: {"alarms": [
        math, composite, alarm_for(NAME, WRITE)]}}))
    (f,) = [f for f in findings if f.rule_id == "TS-ALARM-001" and f.field == R
            and f.table == SESSIONS]
    assert f.status is FAIL and "alarm any-throttle does not count (a composite alarm" in (
        f.message)


def test_an_alarm_whose_dimensions_are_not_known_may_count(spec: Spec) -> None:
    assert only(spec, SESSIONS, **alarms(dimensions=LATER)) == [
        ("unknown", "TS-ALARM-001", SESSIONS, R), ("unknown", "TS-ALARM-002", SESSIONS, R),
        ("unknown", "TS-ALARM-003", SESSIONS, R)]


def test_alarms_that_could_not_be_read_are_never_a_pass_where_they_are_optional(
        spec: Spec) -> None:
    """An alarm that exists must match, required or not: one that could not be seen may
    be there with the wrong settings."""
    unseen = Unknown("DescribeAlarms failed after its retries", Reason.API_ERROR)
    findings = run(spec, states(spec, "dev", **{SESSIONS: {"alarms": [],
                                                           "alarms_incomplete": unseen}}))
    mine = {(f.rule_id, f.status.value, f.reason.value if f.reason else None)
            for f in findings if f.table == SESSIONS and f.check == "alarms"}
    assert mine == {("TS-ALARM-001", "pass", None),  # optional: whatever there is
                    ("TS-ALARM-002", "unknown", "api_error"),
                    ("TS-ALARM-003", "unknown", "api_error")}
