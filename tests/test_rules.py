"""Rule unit tests on TableState objects: no parsing anywhere."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from checker.engine import evaluate
from checker.model import (
    TTL_OFF,
    EncLevel,
    Encryption,
    Finding,
    Gsi,
    Key,
    Status,
    TableState,
    Ttl,
    Unknown,
)
from checker.spec.model import Spec
from tests.builders import alarm_for, compliant

SESSIONS, EVENTS, REWARDS = "player-sessions", "interaction-events", "player-rewards"


def states(spec: Spec, env: str = "prod", **by_table: dict[str, Any]) -> list[TableState]:
    """A compliant state per spec table, with per-table changes."""
    return [compliant(spec, t, env, **by_table.get(t.name, {})) for t in spec.tables.values()]


def run(spec: Spec, sts: list[TableState], env: str | None = None) -> list[Finding]:
    return evaluate(spec, sts, "test", env).findings


def not_passing(findings: list[Finding]) -> list[tuple[str, str, str, str]]:
    """(status, rule id, table, field) of every finding that did not pass."""
    return sorted((f.status.value, f.rule_id, f.table, f.field)
                  for f in findings if f.status is not Status.PASS)


def only(spec: Spec, table: str, env: str = "prod", **changes: Any) -> list[tuple[str, ...]]:
    """Evaluate with *changes* on one table; return what did not pass."""
    return not_passing(run(spec, states(spec, env, **{table: changes})))


def test_compliant_states_pass_everything(spec: Spec) -> None:
    findings = run(spec, states(spec))
    assert findings and not not_passing(findings)
    per_table = {(f.table, f.check) for f in findings}
    assert len(per_table) == 30  # 3 tables x 10 check families


@pytest.mark.parametrize(
    ("table", "changes", "expected"),
    [
        (SESSIONS, {"hash_key": Key("playerId", "N")}, ("fail", "TS-KEY-001", "hash_key")),
        (SESSIONS, {"hash_key": Key(Unknown("x"), Unknown("x"))},
         ("unknown", "TS-KEY-001", "hash_key")),
        (REWARDS, {"range_key": None}, ("fail", "TS-KEY-002", "range_key")),
        (REWARDS, {"range_key": Key("rewardId", None)}, ("fail", "TS-KEY-002", "range_key")),
        (SESSIONS, {"ttl": Ttl(True, "expires")}, ("fail", "TS-TTL-001", "ttl.attribute_name")),
        (SESSIONS, {"ttl": TTL_OFF}, ("fail", "TS-TTL-001", "ttl.enabled")),
        (EVENTS, {"ttl": Unknown("ttl known after apply")}, ("unknown", "TS-TTL-001", "ttl")),
        (REWARDS, {"ttl": Ttl(True, "ttl")}, ("fail", "TS-TTL-002", "ttl.enabled")),
        (REWARDS, {"encryption": Encryption.exact(EncLevel.AWS_OWNED)},
         ("fail", "TS-SSE-001", "server_side_encryption")),
        (REWARDS, {"encryption": Encryption(EncLevel.AWS_OWNED, EncLevel.CUSTOMER_MANAGED)},
         ("unknown", "TS-SSE-001", "server_side_encryption")),
        (EVENTS, {"pitr": False}, ("fail", "TS-PITR-001", "point_in_time_recovery.enabled")),
        (EVENTS, {"pitr": Unknown("p")},
         ("unknown", "TS-PITR-001", "point_in_time_recovery.enabled")),
        (SESSIONS, {"billing_mode": "ON_DEMAND"}, ("fail", "TS-BILL-001", "billing_mode")),
        (SESSIONS, {"billing_mode": "PROVISIONED", "read_capacity": 0, "write_capacity": 5},
         ("fail", "TS-BILL-002", "read_capacity")),
        (SESSIONS, {"billing_mode": "PROVISIONED", "read_capacity": Unknown("r"),
                    "write_capacity": 5}, ("unknown", "TS-BILL-002", "read_capacity")),
        (REWARDS, {"tags": {"Project": "p", "Environment": "prod", "CostCenter": "c"}},
         ("fail", "TS-TAG-001", "tags.Owner")),
        (SESSIONS, {"tags": {"Project": "p", "Environment": "dev", "Owner": "o",
                             "CostCenter": "c"}}, ("fail", "TS-NAME-002", "tags.Environment")),
    ],
)
def test_single_deviation(spec: Spec, table: str, changes: dict[str, Any],
                          expected: tuple[str, str, str]) -> None:
    status, rule_id, field = expected
    assert only(spec, table, **changes) == [(status, rule_id, table, field)]


def test_encryption_levels_against_the_minimum(spec: Spec) -> None:
    strict = replace(spec, tables={
        n: replace(t, encryption=EncLevel.CUSTOMER_MANAGED) for n, t in spec.tables.items()})
    cmk = {"encryption": Encryption.exact(EncLevel.CUSTOMER_MANAGED, "arn:aws:kms:k")}
    assert only(strict, SESSIONS, **cmk) == [
        ("fail", "TS-SSE-001", t, "server_side_encryption") for t in sorted((EVENTS, REWARDS))]
    at_least_managed = {"encryption": Encryption(EncLevel.AWS_MANAGED, EncLevel.CUSTOMER_MANAGED)}
    assert only(spec, SESSIONS, **at_least_managed) == []


def test_gsi_keys_projection_and_extra(spec: Spec) -> None:
    index = "global_secondary_index.PlayerIdIndex"
    assert only(spec, EVENTS, gsis=()) == [
        ("fail", "TS-GSI-001", EVENTS, index),
        ("unknown", "TS-GSI-002", EVENTS, index),
        ("unknown", "TS-GSI-003", EVENTS, index),
    ]
    good = compliant(spec, spec.tables[EVENTS], "prod").gsis
    assert isinstance(good, tuple)
    wrong_keys = (replace(good[0], range_key=Key("eventType", "S")),)
    assert only(spec, EVENTS, gsis=wrong_keys) == [
        ("fail", "TS-GSI-002", EVENTS, "global_secondary_index.PlayerIdIndex.range_key")]
    wrong_projection = (replace(good[0], projection="KEYS_ONLY"),)
    assert only(spec, EVENTS, gsis=wrong_projection) == [
        ("fail", "TS-GSI-003", EVENTS, "global_secondary_index.PlayerIdIndex.projection_type")]
    extra = (Gsi("ByRegion", Key("region", "S"), None, "KEYS_ONLY"),)
    findings = run(spec, states(spec, **{SESSIONS: {"gsis": extra}}))
    low = [f for f in findings if f.rule_id == "TS-GSI-004" and f.status is Status.FAIL]
    assert [(f.table, f.field, f.severity.value) for f in low] == [
        (SESSIONS, "global_secondary_index.ByRegion", "low")]


def test_alarms_missing_wrong_and_silent(spec: Spec) -> None:
    name = "hypermage-vr-player-sessions-prod"
    write = alarm_for(name, "WriteThrottleEvents")
    assert only(spec, SESSIONS, alarms=[write]) == [
        ("fail", "TS-ALARM-001", SESSIONS, "alarms.ReadThrottleEvents"),
        ("unknown", "TS-ALARM-002", SESSIONS, "alarms.ReadThrottleEvents"),
        ("unknown", "TS-ALARM-003", SESSIONS, "alarms.ReadThrottleEvents"),
    ]
    loud = [alarm_for(name, "ReadThrottleEvents", threshold=50.0, period=60), write]
    findings = run(spec, states(spec, **{SESSIONS: {"alarms": loud}}))
    bad = [f for f in findings if f.status is Status.FAIL]
    assert [(f.rule_id, f.table) for f in bad] == [("TS-ALARM-002", SESSIONS)]
    assert "threshold 50 (want 10)" in bad[0].message and "period 60" in bad[0].message
    assert bad[0].resource == loud[0].resource
    silent = [alarm_for(name, "ReadThrottleEvents", actions=()), write]
    assert only(spec, SESSIONS, alarms=silent) == [
        ("fail", "TS-ALARM-003", SESSIONS, "alarms.ReadThrottleEvents.alarm_actions")]


def test_per_index_alarm_does_not_count_for_the_table(spec: Spec) -> None:
    name = "hypermage-vr-interaction-events-prod"
    per_index = alarm_for(name, "ReadThrottleEvents",
                          dimensions={"TableName": name, "GlobalSecondaryIndexName": "P"})
    alarms = [per_index, alarm_for(name, "WriteThrottleEvents")]
    assert ("fail", "TS-ALARM-001", EVENTS, "alarms.ReadThrottleEvents") in only(
        spec, EVENTS, alarms=alarms)


def test_alarms_optional_in_dev_but_must_match_when_present(spec: Spec) -> None:
    assert only(spec, SESSIONS, "dev", alarms=[], pitr=False) == []
    name = "hypermage-vr-player-sessions-dev"
    assert only(spec, SESSIONS, "dev", alarms=[
        alarm_for(name, "ReadThrottleEvents", threshold=100.0)]) == [
        ("fail", "TS-ALARM-002", SESSIONS, "alarms.ReadThrottleEvents")]


def test_incomplete_alarm_list_makes_missing_alarm_unknown(spec: Spec) -> None:
    got = only(spec, REWARDS, alarms=[], alarms_incomplete=Unknown("alarm names table later"))
    assert ("unknown", "TS-ALARM-001", REWARDS, "alarms.ReadThrottleEvents") in got
    assert not [g for g in got if g[0] == "fail"]


def test_absent_table_fails_presence_once_and_rest_unknown(spec: Spec) -> None:
    sts = [s for s in states(spec) if s.resource != "aws_dynamodb_table.player_rewards"]
    findings = [f for f in run(spec, sts) if f.table == REWARDS]
    fails = [f for f in findings if f.status is Status.FAIL]
    assert [(f.rule_id, f.check) for f in fails] == [("TS-PRES-001", "presence")]
    assert fails[0].resource == "hypermage-vr-player-rewards-prod"
    rest = {f.check for f in findings if f.status is Status.UNKNOWN}
    assert rest == {"keys", "ttl", "encryption", "pitr", "gsi", "alarms", "billing", "tags",
                    "naming"}


def test_unexpected_table_is_reported_low(spec: Spec) -> None:
    extra = replace(compliant(spec, spec.tables[SESSIONS], "prod"),
                    name="hypermage-vr-leaderboard-prod", resource="aws_dynamodb_table.lb")
    findings = run(spec, [*states(spec), extra])
    bad = [f for f in findings if f.status is not Status.PASS]
    assert [(f.rule_id, f.table, f.severity.value, f.resource) for f in bad] == [
        ("TS-NAME-001", "leaderboard", "low", "aws_dynamodb_table.lb")]


def test_unnamed_table_is_unknown_not_dropped(spec: Spec) -> None:
    anon = replace(compliant(spec, spec.tables[SESSIONS], "prod"),
                   name=Unknown("name known after apply"), resource="aws_dynamodb_table.x")
    findings = run(spec, [*states(spec), anon])
    assert [(f.rule_id, f.status.value, f.resource) for f in findings
            if f.table == "(unnamed)"] == [("TS-NAME-001", "unknown", "aws_dynamodb_table.x")]


def test_duplicate_declaration_fails_presence(spec: Spec) -> None:
    twin = replace(compliant(spec, spec.tables[SESSIONS], "prod"), resource="aws_x.twin")
    findings = run(spec, [*states(spec), twin])
    assert [(f.rule_id, f.table, f.resource) for f in findings if f.status is Status.FAIL] == [
        ("TS-PRES-001", SESSIONS, "aws_x.twin")]


def test_environment_comes_from_names_or_flag(spec: Spec) -> None:
    from checker.errors import RunError

    findings = run(spec, states(spec, "staging"))
    assert {f.environment for f in findings} == {"staging"}
    with pytest.raises(RunError, match="pass --env"):
        run(spec, [])
    with pytest.raises(RunError, match="not an environment"):
        run(spec, [], "qa")
    missing = run(spec, [], "prod")
    assert {f.table for f in missing if f.rule_id == "TS-PRES-001"} == set(spec.tables)


def test_tables_of_other_environments_are_noted_not_checked(spec: Spec) -> None:
    from checker.run import build_report

    report = build_report(spec, [*states(spec, "prod"), *states(spec, "dev")], "plan", "t",
                          "prod")
    assert {f.environment for f in report.findings} == {"prod"}
    assert report.notes == ["3 table(s) of other environments, not checked: "
                            "hypermage-vr-interaction-events-dev, hypermage-vr-player-rewards-dev, "
                            "hypermage-vr-player-sessions-dev"]


def test_environment_tag_stands_in_for_an_unknown_name(spec: Spec) -> None:
    anon = replace(compliant(spec, spec.tables[SESSIONS], "staging"),
                   name=Unknown("name known after apply"), resource="aws_dynamodb_table.x")
    findings = run(spec, [anon])
    assert {f.environment for f in findings} == {"staging"}
    assert [(f.rule_id, f.status.value) for f in findings if f.table == "(unnamed)"] == [
        ("TS-NAME-001", "unknown")]
