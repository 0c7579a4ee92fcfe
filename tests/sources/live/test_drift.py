"""`tablespec audit` on a real moto server: the applied prod example is clean; each drift is found.

Every drift is made through boto3 after the apply (on the Terraform-applied world, and on the
same tables made through boto3), found with table, check, expected and actual, then undone.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from checker import rules
from checker.specfile.load import load_spec
from checker.specfile.model import Spec
from tests.support.audit_helpers import SPEC, Guard, audit_json, not_passing, verdicts
from tests.support.audit_world import TABLES, World, get_alarm, put_alarm, table_changed, use

SESSIONS, EVENTS, REWARDS = "player-sessions", "interaction-events", "player-rewards"
SPEC_TABLES = load_spec(SPEC).tables


def applicable(table: str) -> list[str]:
    """Every registered rule that applies to *table* in prod."""
    return [r.id for r in rules.RULES if r.applies(SPEC_TABLES[table], "prod")]


SETTINGS = "Sum GreaterThanThreshold 10, period 300s x 1"


@pytest.fixture(autouse=True)
def _guarded(read_only: Guard) -> Guard:
    return read_only


def audit_world(world: World, tmp_path: Path, *args: str) -> tuple[int, dict[str, Any]]:
    return audit_json(tmp_path, "--region", world.region, *args)


def test_applied_prod_example_audits_clean(world: World, aws: str, tmp_path: Path,
                                           read_only: Guard, spec: Spec,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    code, report = audit_world(world, tmp_path)
    assert code == 0, not_passing(report)
    assert report["source"] == {"kind": "live", "target": f"{world.account}/{world.region}",
                                "scope": [{"account": world.account, "region": world.region}]}
    assert report["summary"] == {"passed": len(report["findings"]), "failed": 0, "unknown": 0,
                                 "waived": 0}
    assert {f["table"] for f in report["findings"]} == set(spec.tables)
    resources = {f["resource"] for f in report["findings"]}
    assert {world.arn(t) for t in TABLES} <= resources
    assert all(r.startswith("arn:aws:") and f":{world.account}:" in r for r in resources)
    assert capsys.readouterr().err == ""  # no progress bar: stderr is not a terminal
    # Four calls per spec table, one DescribeAlarms page, one KMS call for the one key:
    # nothing else.
    n = len(spec.tables)
    assert Counter(op for _, op in read_only.calls) == Counter({
        "GetCallerIdentity": 1, "ListTables": 1, "DescribeTable": n, "DescribeTimeToLive": n,
        "DescribeContinuousBackups": n, "ListTagsOfResource": n, "DescribeAlarms": 1,
        "DescribeKey": 1})


@pytest.mark.terraform
def test_terraform_and_boto3_worlds_give_the_same_verdicts(
    applied: World, seeded: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, by_terraform = audit_world(use(applied, monkeypatch), tmp_path)
    _, by_boto3 = audit_world(use(seeded, monkeypatch), tmp_path)

    def same(report: dict[str, Any], w: World) -> list[tuple[str, ...]]:
        # Terraform adds ManagedBy and Name tags: the tag finding's actual lists them.
        return [v[:4] + v[5:] if v[0] == "TS-TAG-001" else v
                for v in verdicts(report, w.region, w.account)]

    # The example's alarm topic is arn:aws:sns:eu-west-1:123456789012:alerts, whatever account.
    by_boto3 = json.loads(json.dumps(by_boto3).replace(
        f"arn:aws:sns:{seeded.region}:{seeded.account}:alerts",
        f"arn:aws:sns:{seeded.region}:123456789012:alerts"))
    assert same(by_terraform, applied) == same(by_boto3, seeded)


@contextmanager
def pitr_off(w: World) -> Iterator[None]:
    ddb = w.writers.dynamodb
    spec = {"TableName": TABLES[EVENTS]}
    ddb.update_continuous_backups(**spec, PointInTimeRecoverySpecification={
        "PointInTimeRecoveryEnabled": False})
    try:
        yield
    finally:
        ddb.update_continuous_backups(**spec, PointInTimeRecoverySpecification={
            "PointInTimeRecoveryEnabled": True})


def _ttl(w: World, table: str, enabled: bool, attribute: str) -> None:
    w.writers.dynamodb.update_time_to_live(TableName=TABLES[table], TimeToLiveSpecification={
        "Enabled": enabled, "AttributeName": attribute})


@contextmanager
def ttl_other_attribute(w: World) -> Iterator[None]:
    _ttl(w, SESSIONS, True, "expiresAt")
    try:
        yield
    finally:
        _ttl(w, SESSIONS, True, "ttl")


@contextmanager
def ttl_on_rewards(w: World) -> Iterator[None]:
    _ttl(w, REWARDS, True, "ttl")
    try:
        yield
    finally:
        _ttl(w, REWARDS, False, "ttl")


def _alarm_name(table: str, metric: str) -> str:
    return f"{TABLES[table]}-{metric.lower()}"


@contextmanager
def alarm_threshold(w: World) -> Iterator[None]:
    raw = get_alarm(w.writers, _alarm_name(SESSIONS, "ReadThrottleEvents"))
    put_alarm(w.writers, raw, Threshold=500.0)
    try:
        yield
    finally:
        put_alarm(w.writers, raw)


@contextmanager
def alarm_deleted(w: World) -> Iterator[None]:
    raw = get_alarm(w.writers, _alarm_name(EVENTS, "WriteThrottleEvents"))
    w.writers.cloudwatch.delete_alarms(AlarmNames=[raw["AlarmName"]])
    try:
        yield
    finally:
        put_alarm(w.writers, raw)


@contextmanager
def gsi_projection(w: World) -> Iterator[None]:
    # DynamoDB cannot change a projection in place: drop the table and make it again.
    with table_changed(w.writers, TABLES[EVENTS]) as snap:
        w.writers.dynamodb.delete_table(TableName=TABLES[EVENTS])
        from tests.support.audit_world import restore

        restore(w.writers, snap, gsi_projection="KEYS_ONLY")
        yield


@contextmanager
def table_deleted(w: World) -> Iterator[None]:
    with table_changed(w.writers, TABLES[REWARDS]):
        w.writers.dynamodb.delete_table(TableName=TABLES[REWARDS])
        yield


@contextmanager
def extra_table(w: World) -> Iterator[None]:
    name = "hypermage-vr-leaderboard-prod"
    w.writers.dynamodb.create_table(
        TableName=name, BillingMode="PAY_PER_REQUEST",
        KeySchema=[{"AttributeName": "playerId", "KeyType": "HASH"}],
        AttributeDefinitions=[{"AttributeName": "playerId", "AttributeType": "S"}])
    try:
        yield
    finally:
        w.writers.dynamodb.delete_table(TableName=name)


Expect = Callable[[World], list[tuple[str, str, str, str, str, str]]]

DRIFTS: dict[str, tuple[Callable[[World], Any], Expect]] = {
    "pitr-off": (pitr_off, lambda w: [
        ("fail", "TS-PITR-001", EVENTS, w.arn(EVENTS), "enabled", "disabled")]),
    "ttl-other-attribute": (ttl_other_attribute, lambda w: [
        ("fail", "TS-TTL-001", SESSIONS, w.arn(SESSIONS), "enabled on ttl",
         "enabled on expiresAt")]),
    "ttl-on-rewards": (ttl_on_rewards, lambda w: [
        ("fail", "TS-TTL-002", REWARDS, w.arn(REWARDS), "no TTL", "enabled on ttl")]),
    "alarm-threshold": (alarm_threshold, lambda w: [
        ("fail", "TS-ALARM-002", SESSIONS,
         w.alarm_arn(_alarm_name(SESSIONS, "ReadThrottleEvents")), SETTINGS,
         "Sum GreaterThanThreshold 500, period 300s x 1")]),
    "alarm-deleted": (alarm_deleted, lambda w: [
        ("fail", "TS-ALARM-001", EVENTS, w.arn(EVENTS), "AWS/DynamoDB WriteThrottleEvents alarm",
         "absent"),
        ("unknown", "TS-ALARM-002", EVENTS, w.arn(EVENTS), SETTINGS, "no alarm"),
        ("unknown", "TS-ALARM-003", EVENTS, w.arn(EVENTS),
         "at least one alarm action, actions enabled", "no alarm")]),
    "gsi-projection": (gsi_projection, lambda w: [
        ("fail", "TS-GSI-003", EVENTS, w.arn(EVENTS), "ALL", "KEYS_ONLY")]),
    "table-deleted": (table_deleted, lambda w: [
        ("fail", "TS-PRES-001", REWARDS, w.arn(REWARDS), f"table {TABLES[REWARDS]}", "absent"),
        *[("unknown", rule, REWARDS, w.arn(REWARDS), "table present", "absent")
          for rule in applicable(REWARDS) if rule != "TS-PRES-001"]]),
    "extra-table": (extra_table, lambda w: [
        ("fail", "TS-NAME-001", "leaderboard",
         f"arn:aws:dynamodb:{w.region}:{w.account}:table/hypermage-vr-leaderboard-prod",
         "a table named in the spec", "hypermage-vr-leaderboard-prod")]),
}


@pytest.mark.parametrize("drift", sorted(DRIFTS))
def test_each_drift_is_found_with_table_check_expected_and_actual(
    drift: str, world: World, aws: str, tmp_path: Path
) -> None:
    make, expect = DRIFTS[drift]
    with make(world):
        code, report = audit_world(world, tmp_path)
    assert code == 1
    assert not_passing(report) == sorted(expect(world))
    for f in report["findings"]:
        if f["status"] == "fail":
            assert f["environment"] == "prod" and f["message"]
    code, after = audit_world(world, tmp_path)
    assert code == 0, f"drift {drift} was not undone: {not_passing(after)}"


def test_unknown_environment_is_refused(aws: str, tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    code, _ = audit_json(tmp_path, "--env", "qa")
    assert code == 2
    assert "--env qa (or TABLESPEC_ENV): not an environment" in capsys.readouterr().err


def test_waivers_apply_to_live_findings(seeded: World, tmp_path: Path) -> None:
    waivers = tmp_path / "waivers.yaml"
    waivers.write_text("waivers:\n  - table: interaction-events\n    rule: TS-PITR-001\n"
                       "    reason: restore drill in progress\n    owner: dba-team\n"
                       "    expires: 2999-01-01\n")
    with pitr_off(seeded):
        code, report = audit_world(seeded, tmp_path, "--waivers", str(waivers))
    assert code == 0
    assert [(f["rule_id"], f["table"], f["status"]) for f in report["findings"]
            if f["status"] != "pass"] == [("TS-PITR-001", "interaction-events", "waived")]
    assert report["summary"]["waived"] == 1
