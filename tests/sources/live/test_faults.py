"""Faults with nothing lost: throttling, AccessDenied, a table deleted mid-audit, no endpoint."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest

from checker.cli import main
from checker.sources.live import api as liveapi
from checker.sources.live.accounts import accounts, base_session
from checker.sources.live.api import CallLog, ReadOnlyViolation
from checker.sources.live.clients import client_hook, regions_for
from tests.support.audit_helpers import (
    SPEC,
    Deny,
    Guard,
    Throttle,
    audit_json,
    error_response,
    not_passing,
    verdicts,
)
from tests.support.audit_world import TABLES, World, table_changed
from tests.support.moto import free_port

TABLE_IDS = ("player-sessions", "interaction-events", "player-rewards")


@pytest.fixture(autouse=True)
def _guarded(read_only: Guard) -> Guard:
    return read_only


def audit_seeded(w: World, tmp_path: Path, *args: str) -> tuple[int, dict[str, Any]]:
    return audit_json(tmp_path, "--region", w.region, *args)


def test_throttling_on_a_third_of_first_attempts_gives_the_same_report(
    seeded: World, aws: str, tmp_path: Path, read_only: Guard
) -> None:
    _, calm = audit_seeded(seeded, tmp_path)
    throttle = Throttle(every=3)
    with client_hook(throttle.install):
        code, stormy = audit_seeded(seeded, tmp_path, "--max-workers", "4")
    assert code == 0
    assert throttle.injected >= throttle.first_attempts // 3 >= 5
    assert stormy["summary"] == calm["summary"]
    assert verdicts(stormy, seeded.region) == verdicts(calm, seeded.region)


def test_access_denied_on_continuous_backups_makes_pitr_unknown_naming_the_permission(
    seeded: World, aws: str, tmp_path: Path
) -> None:
    deny = Deny("dynamodb", "DescribeContinuousBackups")
    with client_hook(deny.install):
        code, report = audit_seeded(seeded, tmp_path)
        allowed, lenient = audit_seeded(seeded, tmp_path, "--allow-unknown")
    assert deny.denied == 2 * len(TABLE_IDS)  # once per table, in each of the two audits
    assert code == 1 and allowed == 0
    for r in (report, lenient):
        assert [(s, rule, t, res) for s, rule, t, res, *_ in not_passing(r)] == sorted(
            ("unknown", "TS-PITR-001", t, seeded.arn(t)) for t in TABLE_IDS)
    pitr = [f for f in report["findings"] if f["rule_id"] == "TS-PITR-001"]
    for f in pitr:
        assert "dynamodb:DescribeContinuousBackups" in f["message"]
        assert "AccessDeniedException" in f["message"]
        assert f["expected"] == "enabled" and f["actual"] == "unknown"


def test_access_denied_on_describe_alarms_makes_alarms_unknown(
    seeded: World, aws: str, tmp_path: Path
) -> None:
    with client_hook(Deny("cloudwatch", "DescribeAlarms").install):
        code, report = audit_seeded(seeded, tmp_path)
    assert code == 1
    bad = not_passing(report)
    assert {(s, rule) for s, rule, *_ in bad} == {("unknown", "TS-ALARM-001"),
                                                 ("unknown", "TS-ALARM-002"),
                                                 ("unknown", "TS-ALARM-003")}
    assert {t for _, _, t, *_ in bad} == set(TABLE_IDS)
    first = next(f for f in report["findings"] if f["rule_id"] == "TS-ALARM-001")
    assert "cloudwatch:DescribeAlarms" in first["message"]


def test_access_denied_on_describe_table_leaves_every_table_field_unknown(
    seeded: World, aws: str, tmp_path: Path
) -> None:
    with client_hook(Deny("dynamodb", "DescribeTable").install):
        code, report = audit_seeded(seeded, tmp_path)
    assert code == 1
    unknown = {(f["rule_id"], f["table"]) for f in report["findings"] if f["status"] == "unknown"}
    for table in TABLE_IDS:
        for rule in ("TS-KEY-001", "TS-KEY-002", "TS-SSE-001", "TS-BILL-001", "TS-GSI-004"):
            assert (rule, table) in unknown
    assert not [f for f in report["findings"] if f["status"] == "fail"]
    assert all("dynamodb:DescribeTable" in f["message"] for f in report["findings"]
               if f["status"] == "unknown")


def test_access_denied_on_kms_keeps_the_least_level_the_table_has(
    seeded: World, aws: str, tmp_path: Path
) -> None:
    with client_hook(Deny("kms", "DescribeKey").install):
        code, report = audit_seeded(seeded, tmp_path)
    sse = [f for f in report["findings"] if f["rule_id"] == "TS-SSE-001"]
    # KMS encryption is at least AWS managed, which is what the spec asks: still a pass.
    assert code == 0 and {f["status"] for f in sse} == {"pass"}
    assert all(f["actual"].startswith("aws_managed..customer_managed") for f in sse)


def test_a_table_deleted_while_the_audit_runs_is_reported_absent(
    seeded: World, aws: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    victim = TABLES["player-rewards"]
    writer = seeded.writers.dynamodb

    def delete_after_listing(client: Any) -> None:
        def after(**_: Any) -> None:
            if victim in writer.list_tables()["TableNames"]:
                writer.delete_table(TableName=victim)
        client.meta.events.register("after-call.dynamodb.ListTables", after)

    with table_changed(seeded.writers, victim), client_hook(delete_after_listing):
        code, report = audit_seeded(seeded, tmp_path)
    assert code == 1
    presence = [f for f in report["findings"] if f["rule_id"] == "TS-PRES-001"
                and f["status"] == "fail"]
    assert [(f["table"], f["resource"]) for f in presence] == [
        ("player-rewards", seeded.arn("player-rewards"))]
    with table_changed(seeded.writers, victim), client_hook(delete_after_listing):
        assert main(["audit", "--spec", SPEC, "--region", seeded.region]) == 1
    out = capsys.readouterr().out
    assert f"{seeded.account}/{seeded.region}: {victim} was deleted while the audit ran" in out


def test_a_table_deleted_between_its_calls_is_reported_absent(
    seeded: World, aws: str, tmp_path: Path
) -> None:
    victim = TABLES["player-sessions"]
    writer = seeded.writers.dynamodb

    def delete_before_ttl(client: Any) -> None:
        def before(params: dict[str, Any], **_: Any) -> None:
            if params.get("TableName") == victim:
                writer.delete_table(TableName=victim)
        client.meta.events.register("before-parameter-build.dynamodb.DescribeTimeToLive",
                                    before)

    with table_changed(seeded.writers, victim), client_hook(delete_before_ttl):
        code, report = audit_seeded(seeded, tmp_path)
    assert code == 1
    assert ("fail", "TS-PRES-001", "player-sessions") in {
        (s, r, t) for s, r, t, *_ in not_passing(report)}


def test_unreachable_endpoint_ends_with_exit_2_and_one_line(
    aws: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("AWS_ENDPOINT_URL", f"http://127.0.0.1:{free_port()}")
    started = time.monotonic()
    code = main(["audit", "--spec", SPEC])
    took = time.monotonic() - started
    err = capsys.readouterr().err
    assert code == 2 and took < 30
    assert err.count("\n") == 1 and err.startswith("tablespec: cannot reach sts")
    assert "AWS_ENDPOINT_URL" in err and "Traceback" not in err


def test_missing_credentials_end_with_exit_2_and_one_line(
    aws: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("AWS_ACCESS_KEY_ID")
    monkeypatch.delenv("AWS_SECRET_ACCESS_KEY")
    code = main(["audit", "--spec", SPEC])
    err = capsys.readouterr().err
    assert code == 2
    assert err.count("\n") == 1 and "no AWS credentials found" in err


def test_the_caller_whose_identity_cannot_be_read_ends_with_exit_2(
    seeded: World, aws: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with client_hook(Deny("sts", "GetCallerIdentity").install):
        code = main(["audit", "--spec", SPEC, "--region", seeded.region])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1
    assert "sts:GetCallerIdentity failed (AccessDenied" in err


def _place_unknown(report: dict[str, Any]) -> tuple[str, str, str, str]:
    (only,) = report["findings"]
    return only["rule_id"], only["status"], only["reason"], only["table"]


def test_tables_that_cannot_be_listed_in_the_one_place_read_are_one_unknown_not_exit_2(
    seeded: World, aws: str, tmp_path: Path
) -> None:
    with client_hook(Deny("dynamodb", "ListTables").install):
        code, report = audit_seeded(seeded, tmp_path)
    assert code == 1 and report["source"]["scope"] == [{"account": seeded.account,
                                                        "region": seeded.region}]
    assert _place_unknown(report) == ("TS-ACCESS-001", "unknown", "access_denied", "*")
    assert "cannot list the tables of" in report["findings"][0]["message"]
    assert "dynamodb:ListTables, which was denied" in report["findings"][0]["message"]


def test_one_role_that_cannot_be_assumed_is_its_account_unknown_not_exit_2(
    aws: str, tmp_path: Path
) -> None:
    role = "arn:aws:iam::111111111111:role/tablespec-audit"
    with client_hook(Deny("sts", "AssumeRole").install):
        code, report = audit_json(tmp_path, "--role-arn", role)
    assert code == 1
    assert _place_unknown(report) == ("TS-ACCESS-001", "unknown", "access_denied", "*")
    assert f"cannot assume {role} (AccessDenied" in report["findings"][0]["message"]
    assert report["findings"][0]["resource"] == (
        "arn:aws:dynamodb:eu-west-1:111111111111:table/*")


def test_rejected_credentials_end_with_exit_2(seeded: World, aws: str,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    class Rejected(Deny):
        def install(self, client: Any) -> None:
            if client.meta.service_model.service_name != "dynamodb":
                return

            def send(request: Any, **_: Any) -> Any:
                return error_response(request.url, "json", "UnrecognizedClientException",
                                      "The security token included in the request is invalid.")
            client.meta.events.register("before-send.dynamodb", send)

    with client_hook(Rejected("dynamodb", "*").install):
        code = main(["audit", "--spec", SPEC, "--region", seeded.region])
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("tablespec: AWS rejected the credentials for dynamodb in "
                          f"{seeded.region} (UnrecognizedClientException)")


def test_unknown_profile_ends_with_exit_2(aws: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "--spec", SPEC, "--profile", "nobody"]) == 2
    assert "nobody" in capsys.readouterr().err


@pytest.mark.parametrize(("args", "says"), [
    (["--max-workers", "0"], "--max-workers 0"),
    (["--sample-items", "-1"], "--sample-items -1"),
    (["--role-arn", "arn:aws:iam::12:user/x"], "not a role ARN"),
    (["--external-id", "abc"], "--external-id is used with --role-arn"),
    (["--region", "Mars"], "not a region name"),
    (["--timeout", "-1"], "--timeout -1: use 0 (no deadline) or more"),
    (["--call-timeout", "0"], "--call-timeout 0: use more than 0"),
    (["--max-attempts", "0"], "--max-attempts 0: use 1 to 10"),
    (["--max-pages", "0"], "--max-pages 0: use 1 or more"),
])
def test_bad_options_end_with_exit_2(args: list[str], says: str, aws: str,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["audit", "--spec", SPEC, *args]) == 2
    assert says in capsys.readouterr().err


def test_the_audit_clients_refuse_any_call_outside_the_declared_list(
    seeded: World, aws: str, read_only: Guard
) -> None:
    log = CallLog()
    permitted = liveapi.allowed(sample=False, assume=False, keys=[liveapi.AUTOSCALING_KEY])
    acct = accounts(base_session(None), [], None, seeded.region, permitted, log)
    region = regions_for(acct[0], [seeded.region], 2, permitted, log)[0]
    with pytest.raises(ReadOnlyViolation, match="RegisterScalableTarget"):
        region.autoscaling.register_scalable_target(
            ServiceNamespace="dynamodb", ResourceId="table/t",
            ScalableDimension="dynamodb:table:ReadCapacityUnits", MinCapacity=1, MaxCapacity=2)
    assert regions_for(acct[0], [seeded.region], 2, liveapi.allowed(
        sample=False, assume=False, keys=()), log)[0].autoscaling is None  # not needed
    with pytest.raises(ReadOnlyViolation, match="dynamodb:DeleteTable"):
        region.dynamodb.delete_table(TableName=TABLES["player-rewards"])
    with pytest.raises(ReadOnlyViolation, match="DescribeAlarmsForMetric"):
        region.cloudwatch.describe_alarms_for_metric(MetricName="x", Namespace="y")
    with pytest.raises(ReadOnlyViolation, match="dynamodb:Scan"):  # only with --sample-items
        region.dynamodb.scan(TableName=TABLES["player-rewards"])
    assert TABLES["player-rewards"] in seeded.writers.dynamodb.list_tables()["TableNames"]
    # sts, dynamodb, cloudwatch, kms, application-autoscaling; then dynamodb, cloudwatch, kms
    assert read_only.clients == 8 and log.total() == 1


def test_the_suites_own_guard_fails_calls_outside_the_list_without_the_builtin_one(
    seeded: World, aws: str
) -> None:
    import boto3

    guard = Guard()
    client = boto3.client("dynamodb", region_name=seeded.region)
    guard.install(client)
    client.list_tables()
    with pytest.raises(AssertionError, match="not in the declared read-only list"):
        client.delete_table(TableName=TABLES["player-rewards"])
    assert guard.calls == [("dynamodb", "ListTables")]
    assert guard.violations == [("dynamodb", "DeleteTable")]
