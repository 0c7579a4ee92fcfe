"""Pagination: 150 tables and 250 alarms give the same verdicts as the small case."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from checker.specfile.model import Spec
from tests.support.audit_helpers import Guard, audit_json, verdicts
from tests.support.audit_world import CROWDED_ACCOUNT, TABLES, World, seed, use

CROWDED_REGION = "us-west-2"
FILLER_TABLES = 147  # + the spec's 3 = 150 tables: two ListTables pages
FILLER_ALARMS = 240  # + 4 more on the spec's tables, + their 6 = 250 alarms


@pytest.fixture(autouse=True)
def _guarded(read_only: Guard) -> Guard:
    return read_only


@pytest.fixture(scope="session")
def crowded(moto_endpoint: str, spec: Spec) -> World:
    """The spec's tables among 147 others, and their alarms among 244 others."""
    world = seed(moto_endpoint, CROWDED_REGION, spec, account=CROWDED_ACCOUNT)
    ddb, cw = world.writers.dynamodb, world.writers.cloudwatch
    fillers = [f"aaa-other-team-{i:03d}" for i in range(FILLER_TABLES)]
    for name in fillers:  # sort before the spec's tables: they land on the second page
        ddb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
                         KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
                         AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}])
    common: dict[str, Any] = {"Namespace": "AWS/DynamoDB", "Statistic": "Sum", "Period": 60,
              "EvaluationPeriods": 3, "Threshold": 1.0,
              "ComparisonOperator": "GreaterThanOrEqualToThreshold"}
    for i in range(FILLER_ALARMS):
        table = fillers[i % FILLER_TABLES]
        metric = ("ReadThrottleEvents", "WriteThrottleEvents")[i // FILLER_TABLES]
        cw.put_metric_alarm(AlarmName=f"aaa-{table}-{metric}", MetricName=metric,
                            Dimensions=[{"Name": "TableName", "Value": table}], **common)
    # Alarms on the spec's tables that the rules must not take for the throttle alarms.
    for logical in TABLES:
        cw.put_metric_alarm(AlarmName=f"zzz-{logical}-consumed",
                            MetricName="ConsumedReadCapacityUnits",
                            Dimensions=[{"Name": "TableName", "Value": TABLES[logical]}],
                            **common)
    cw.put_metric_alarm(AlarmName="zzz-index-throttle", MetricName="ReadThrottleEvents",
                        Dimensions=[{"Name": "TableName", "Value": TABLES["interaction-events"]},
                                    {"Name": "GlobalSecondaryIndexName",
                                     "Value": "PlayerIdIndex"}], **{**common, "Threshold": 99.0})
    return world


def test_150_tables_and_250_alarms_give_the_same_verdicts_as_the_small_case(
    crowded: World, seeded: World, tmp_path: Path, read_only: Guard,
    monkeypatch: pytest.MonkeyPatch
) -> None:
    assert len(crowded.writers.cloudwatch.describe_alarms()["MetricAlarms"]) == 250
    _, small = audit_json(tmp_path, "--region", seeded.region)
    use(crowded, monkeypatch)
    before = len(read_only.calls)
    code, big = audit_json(tmp_path, "--region", crowded.region, "--max-workers", "16")
    calls = read_only.calls[before:]
    assert code == 0
    assert (verdicts(big, crowded.region, crowded.account)
            == verdicts(small, seeded.region, seeded.account))
    assert calls.count(("dynamodb", "ListTables")) == 2  # 150 tables: two pages
    assert calls.count(("dynamodb", "DescribeTable")) == len(TABLES)  # not the outsiders
    assert calls.count(("cloudwatch", "DescribeAlarms")) == 1  # moto answers in one page


def test_the_others_are_counted_not_checked(crowded: World, aws: str,
                                            monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    from checker.cli import main
    from tests.support.audit_helpers import SPEC

    use(crowded, monkeypatch)
    assert main(["audit", "--spec", SPEC, "--region", crowded.region]) == 0
    out = capsys.readouterr().out
    assert (f"{crowded.account}/{crowded.region}: {FILLER_TABLES} table(s) outside the naming "
            "pattern, not checked: aaa-other-team-000") in out
