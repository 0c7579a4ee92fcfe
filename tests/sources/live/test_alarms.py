"""The live source's alarms: read with composites, tied to tables as every source ties them."""

from __future__ import annotations

from typing import Any

from botocore.stub import Stubber

from checker.model import TableState
from checker.sources.alarms import attach
from checker.sources.live import mapping as livemap
from checker.sources.live.source import _alarms, named_only
from tests.sources.live.test_units import offline_region


def _alarm(name: str, table: str | None, **extra: Any) -> dict[str, Any]:
    dims = [{"Name": "TableName", "Value": table}] if table else [{"Name": "Queue",
                                                                   "Value": "q"}]
    return {"AlarmName": name, "AlarmArn": f"arn:aws:cloudwatch:eu-west-1:1:alarm:{name}",
            "Namespace": "AWS/DynamoDB", "MetricName": "ReadThrottleEvents", "Statistic": "Sum",
            "ComparisonOperator": "GreaterThanThreshold", "Threshold": 10.0, "Period": 300,
            "EvaluationPeriods": 1, "Dimensions": dims, "AlarmActions": ["arn:sns"],
            "ActionsEnabled": True, **extra}


def test_describe_alarms_is_read_over_every_page_with_composites() -> None:
    region = offline_region()
    cw = region.cloudwatch
    types = ["MetricAlarm", "CompositeAlarm"]
    composite = {"AlarmName": "c", "AlarmArn": "arn:aws:cloudwatch:eu-west-1:1:alarm:c",
                 "AlarmRule": 'ALARM("a1") OR ALARM(a3)', "ActionsEnabled": True}
    with Stubber(cw) as stub:
        stub.add_response("describe_alarms", {"MetricAlarms": [_alarm("a1", "t1"),
                                                               _alarm("q", None)],
                                              "NextToken": "page2"},
                          {"AlarmTypes": types, "MaxRecords": 100})
        stub.add_response("describe_alarms", {"MetricAlarms": [_alarm("a2", "t1"),
                                                               _alarm("a3", "t2")],
                                              "CompositeAlarms": [composite]},
                          {"AlarmTypes": types, "MaxRecords": 100, "NextToken": "page2"})
        found = _alarms(region)
        stub.assert_no_pending_responses()  # both pages were read
    assert isinstance(found, list)  # an alarm that names no table is left out
    assert [(a.name, a.kind.value) for a in found] == [
        ("a1", "metric"), ("a2", "metric"), ("a3", "metric"), ("c", "composite")]
    assert found[2].resource.endswith(":alarm:a3") and found[3].children == ("a1", "a3")


def named_state(name: str) -> TableState:
    """A live table known by its name (its settings do not matter here)."""
    return named_only(offline_region(), name)


def test_alarms_are_tied_to_the_tables_they_name_as_every_source_ties_them() -> None:
    alarms = [livemap.alarm(_alarm(n, t)) for n, t in (("a1", "t1"), ("a2", "t1"),
                                                       ("a3", "t2"))]
    math = livemap.alarm({**_alarm("m", None), "MetricName": None, "Metrics": [
        {"Id": "r", "MetricStat": {"Metric": {"Namespace": "AWS/DynamoDB",
                                              "MetricName": "ReadThrottleEvents",
                                              "Dimensions": [{"Name": "TableName",
                                                              "Value": "t2"}]}}},
        {"Id": "e", "Expression": "r * 2"}]})
    composite = livemap.composite({"AlarmName": "c", "AlarmRule": 'ALARM("m")'})
    t1, t2 = (named_state(name) for name in ("t1", "t2"))
    attach([t1, t2], [*alarms, math, composite])
    assert [a.name for a in t1.alarms] == ["a1", "a2"]
    assert [(a.name, a.kind.value) for a in t2.alarms] == [
        ("a3", "metric"), ("m", "math"), ("c", "composite")]


def test_an_alarm_on_a_percentile_keeps_its_extended_statistic() -> None:
    raw = _alarm("p", "t1", ActionsEnabled=False)
    del raw["Statistic"]
    raw["ExtendedStatistic"] = "p99"
    alarm = livemap.alarm(raw)
    assert (alarm.statistic, alarm.actions_enabled) == ("p99", False)
    assert livemap.alarm(_alarm("s", "t1")).statistic == "Sum"
