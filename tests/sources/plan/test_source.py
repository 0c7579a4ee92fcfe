"""The plan source on small hand-written plan JSON: what becomes known, default or unknown."""

from __future__ import annotations

import copy
import io
import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from checker.cli import main
from checker.errors import RunError
from checker.model import EncLevel, Key, TableState, Ttl
from checker.sources.plan import parse_plan_bytes, tables_from_plan
from checker.unknown import Unknown
from tests.support.paths import REPO
from tests.support.tfplans import PlanFarm

SPEC = str(REPO / "specs" / "tables.yaml")

TABLE_AFTER: dict[str, Any] = {
    "name": "hypermage-vr-player-rewards-prod",
    "billing_mode": "PAY_PER_REQUEST",
    "hash_key": "playerId",
    "range_key": "rewardId",
    "attribute": [{"name": "playerId", "type": "S"}, {"name": "rewardId", "type": "S"}],
    "global_secondary_index": [],
    "server_side_encryption": [{"enabled": True}],
    "point_in_time_recovery": [{"enabled": True}],
    "replica": [],  # Terraform writes every block type of the schema, [] for none
    "tags": {"Environment": "prod"},
    "tags_all": {"Environment": "prod"},
}
TABLE_UNKNOWN: dict[str, Any] = {
    "arn": True, "ttl": True, "read_capacity": True, "write_capacity": True,
    "server_side_encryption": [{"kms_key_arn": True}],
    "point_in_time_recovery": [{"recovery_period_in_days": True}],
}


def change(address: str, after: dict[str, Any], unknown: dict[str, Any],
           actions: tuple[str, ...] = ("create",), rtype: str = "aws_dynamodb_table",
           module: str | None = None) -> dict[str, Any]:
    rc: dict[str, Any] = {
        "address": address, "mode": "managed", "type": rtype,
        "name": address.split(".")[-1].split("[")[0],
        "change": {"actions": list(actions), "after": after, "after_unknown": unknown},
    }
    if module:
        rc["module_address"] = module
    return rc


def plan_of(*changes: dict[str, Any], config: dict[str, Any] | None = None,
            variables: dict[str, Any] | None = None) -> dict[str, Any]:
    return {"format_version": "1.2", "planned_values": {}, "resource_changes": list(changes),
            "configuration": config or {}, "variables": variables or {}}


def one(plan: dict[str, Any]) -> TableState:
    (state,) = tables_from_plan(plan, "plan.json")
    return state


def test_blocks_a_new_table_shows_only_after_apply_are_unknown_without_the_source() -> None:
    """Left out (the provider's default) or dynamic and decided at apply: a plan shows both
    alike, so the plan alone cannot tell them apart (the source can: --source-dir)."""
    after = {k: v for k, v in TABLE_AFTER.items()
             if k not in ("server_side_encryption", "point_in_time_recovery")}
    unknown = {**TABLE_UNKNOWN, "server_side_encryption": True, "point_in_time_recovery": True}
    state = one(plan_of(change("aws_dynamodb_table.t", after, unknown)))
    for value in (state.ttl, state.pitr, state.encryption.key_arn):
        assert isinstance(value, Unknown) and "--source-dir" in value.reason
    assert (state.encryption.low, state.encryption.high) == (EncLevel.AWS_OWNED,
                                                             EncLevel.CUSTOMER_MANAGED)
    assert state.hash_key == Key("playerId", "S")


def test_blocks_unknown_on_an_existing_table_stay_unknown() -> None:
    state = one(plan_of(change("aws_dynamodb_table.t", TABLE_AFTER, TABLE_UNKNOWN,
                               actions=("update",))))
    assert isinstance(state.ttl, Unknown) and "ttl" in state.ttl.reason


def test_destroyed_tables_are_absent_and_replaced_ones_present() -> None:
    gone = change("aws_dynamodb_table.gone", TABLE_AFTER, {}, actions=("delete",))
    gone["change"]["after"] = None
    replaced = change("aws_dynamodb_table.t", TABLE_AFTER, TABLE_UNKNOWN,
                      actions=("delete", "create"))
    states = tables_from_plan(plan_of(gone, replaced), "plan.json")
    assert [s.resource for s in states] == ["aws_dynamodb_table.t"]


def test_count_and_for_each_instances_are_separate_tables() -> None:
    rcs = [change(f'module.m["{k}"].aws_dynamodb_table.t[{i}]',
                  {**TABLE_AFTER, "name": f"n-{k}-{i}"}, TABLE_UNKNOWN,
                  module=f'module.m["{k}"]') for k in ("a", "b") for i in (0, 1)]
    states = tables_from_plan(plan_of(*rcs), "plan.json")
    assert sorted(str(s.name) for s in states) == ["n-a-0", "n-a-1", "n-b-0", "n-b-1"]


def alarm(table_name: Any, unknown_dims: bool = False) -> dict[str, Any]:
    after = {"alarm_name": "a", "namespace": "AWS/DynamoDB", "metric_name": "ReadThrottleEvents",
             "statistic": "Sum", "comparison_operator": "GreaterThanThreshold", "threshold": 10,
             "period": 300, "evaluation_periods": 1, "alarm_actions": ["arn:sns"],
             "dimensions": {} if unknown_dims else {"TableName": table_name}}
    unknown = {"dimensions": True} if unknown_dims else {}
    return change("aws_cloudwatch_metric_alarm.r", after, unknown,
                  rtype="aws_cloudwatch_metric_alarm")


def test_alarm_tied_by_literal_name_or_by_reference() -> None:
    table = change("aws_dynamodb_table.t", TABLE_AFTER, TABLE_UNKNOWN)
    by_name = one(plan_of(table, alarm(TABLE_AFTER["name"])))
    assert [a.resource for a in by_name.alarms] == ["aws_cloudwatch_metric_alarm.r"]
    config = {"root_module": {"resources": [{
        "address": "aws_cloudwatch_metric_alarm.r", "mode": "managed",
        "type": "aws_cloudwatch_metric_alarm", "name": "r",
        "expressions": {"dimensions": {"references": ["aws_dynamodb_table.t.name",
                                                      "aws_dynamodb_table.t"]}}}]}}
    by_ref = one(plan_of(table, alarm(None, unknown_dims=True), config=config))
    assert [a.resource for a in by_ref.alarms] == ["aws_cloudwatch_metric_alarm.r"]
    assert by_ref.alarms_incomplete is None
    loose = one(plan_of(table, alarm(None, unknown_dims=True)))
    assert loose.alarms == [] and isinstance(loose.alarms_incomplete, Unknown)


def test_planned_values_are_read_when_resource_changes_are_absent() -> None:
    plan = {"format_version": "1.2", "planned_values": {"root_module": {"child_modules": [{
        "resources": [{"address": "module.x.aws_dynamodb_table.t", "mode": "managed",
                       "type": "aws_dynamodb_table", "name": "t",
                       "values": {**TABLE_AFTER, "ttl": [{"enabled": True,
                                                          "attribute_name": "ttl"}]}}]}]}}}
    state = one(plan)
    assert state.resource == "module.x.aws_dynamodb_table.t" and state.ttl == Ttl(True, "ttl")


def zip_bytes() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:  # a fixed date: the same bytes in every process
        z.writestr(zipfile.ZipInfo("tfplan", date_time=(2024, 1, 1, 0, 0, 0)), b"\x00binary")
    return buf.getvalue()


@pytest.mark.parametrize(
    ("raw", "words"),
    [
        (zip_bytes(), "binary Terraform plan file, not JSON; run `terraform show -json"),
        (b"", "empty"),
        (b"  \n", "empty"),
        (b'{"format_version": "1.2", "resource_changes": [', "truncated JSON"),
        (b"{nope}", "not valid JSON (line 1 column 2"),
        (b"[1, 2]", "JSON array, not a Terraform plan object"),
        (b'"plan"', "JSON str, not a Terraform plan object"),
        (b"\xff\xfe\x00\x00", "binary file, not plan JSON"),
        (b'{"a": 1}', "without `format_version`"),
        (b'{"format_version": "1.0", "values": {}}', "Terraform state JSON, not a plan"),
        (b'{"format_version": "1.2", "errored": true, "planned_values": {}}', "plan errored"),
        (b'{"format_version": "1.2", "resource_changes": {}}', "is not a list"),
    ],
)
def test_not_a_plan_is_exit_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], raw: bytes, words: str
) -> None:
    path = tmp_path / "plan.out"
    path.write_bytes(raw)
    with pytest.raises(RunError, match=r"plan\.out"):
        parse_plan_bytes(str(path), raw)
    assert main(["plan", str(path), "--spec", "specs/tables.yaml"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and words in err and str(path) in err, err


def test_missing_plan_file_and_directory(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", str(tmp_path / "none.json")]) == 2
    assert main(["plan", str(tmp_path)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert "plan file not found" in err[0] and "is a directory" in err[1]


def test_report_json_keeps_the_contract(tmp_path: Path) -> None:
    plan = plan_of(change("aws_dynamodb_table.t", TABLE_AFTER, TABLE_UNKNOWN))
    path = tmp_path / "p.json"
    path.write_text(json.dumps(plan))
    out = tmp_path / "r.json"
    assert main(["plan", str(path), "--format", "json", "-o", str(out)]) == 1
    report = json.loads(out.read_text())
    assert list(report) == ["tool", "source", "spec", "summary", "findings", "notes"]
    assert report["source"] == {"kind": "plan", "target": str(path)}
    assert list(report["summary"]) == ["passed", "failed", "unknown", "waived"]
    keys = ["rule_id", "check", "table", "environment", "resource", "location", "status",
            "severity", "message", "expected", "actual", "field", "reason", "region"]
    reasons = {None, "not_evaluated", "unknown_value", "access_denied", "rule_error"}
    assert all(f["reason"] in reasons and isinstance(f["field"], str)
               for f in report["findings"])
    assert all(list(f) == keys for f in report["findings"])
    assert all(f["region"] is None or isinstance(f["region"], str) for f in report["findings"])
    assert sum(report["summary"].values()) == len(report["findings"])
    again = copy.deepcopy(report)
    assert main(["plan", str(path), "--format", "json", "-o", str(out)]) == 1
    assert json.loads(out.read_text())["findings"] == again["findings"]


def test_alarm_tied_by_reference_inside_a_module_instance() -> None:
    mod = 'module.t["player-sessions"]'
    table = change(f"{mod}.aws_dynamodb_table.this[0]", TABLE_AFTER, TABLE_UNKNOWN, module=mod)
    other = change('module.t["x"].aws_dynamodb_table.this[0]', {**TABLE_AFTER, "name": "n-x"},
                   TABLE_UNKNOWN, module='module.t["x"]')
    rc = alarm(None, unknown_dims=True)
    rc.update(address=f'{mod}.aws_cloudwatch_metric_alarm.r["Read"]', module_address=mod)
    config = {"root_module": {"module_calls": {"t": {"module": {"resources": [{
        "address": "aws_cloudwatch_metric_alarm.r", "mode": "managed",
        "type": "aws_cloudwatch_metric_alarm", "name": "r",
        "expressions": {"dimensions": {"references": ["aws_dynamodb_table.this[0].name",
                                                      "aws_dynamodb_table.this[0]",
                                                      "aws_dynamodb_table.this"]}}}]}}}}}
    states = {s.resource: s for s in tables_from_plan(plan_of(table, other, rc, config=config),
                                                      "plan.json")}
    assert [a.resource for a in states[table["address"]].alarms] == [rc["address"]]
    assert states[other["address"]].alarms == []


def test_a_new_instance_replacing_the_only_old_one_is_a_rename() -> None:
    from checker.sources.plan.source import previous_names

    old = change('aws_dynamodb_table.t["rewards"]', {}, {}, actions=("delete",))
    old["change"]["before"] = {**TABLE_AFTER}
    old["change"]["after"] = None
    new = change('aws_dynamodb_table.t["player-rewards-v2"]',
                 {**TABLE_AFTER, "name": "rewards-v2"}, TABLE_UNKNOWN)
    other = change("aws_dynamodb_table.u", TABLE_AFTER, TABLE_UNKNOWN)
    renamed = change("aws_dynamodb_table.v", {**TABLE_AFTER, "name": "v2"}, TABLE_UNKNOWN,
                     actions=("delete", "create"))
    renamed["change"]["before"] = {**TABLE_AFTER, "name": "v1"}
    assert previous_names(plan_of(old, new, other, renamed)) == {
        new["address"]: TABLE_AFTER["name"], renamed["address"]: "v1"}
    # two new instances: which one is the old table cannot be told
    twin = change('aws_dynamodb_table.t["x"]', {**TABLE_AFTER, "name": "x"}, TABLE_UNKNOWN)
    assert new["address"] not in previous_names(plan_of(old, new, twin))


def test_strict_names_make_a_table_outside_the_naming_a_low_finding(tmp_path: Path) -> None:
    odd = change("aws_dynamodb_table.legacy", {**TABLE_AFTER, "name": "Legacy_Rewards"},
                 TABLE_UNKNOWN)
    path = tmp_path / "p.json"
    path.write_text(json.dumps(plan_of(odd)))
    out = tmp_path / "r.json"
    main(["plan", str(path), "--env", "prod", "--format", f"json={out}"])
    report = json.loads(out.read_text())
    assert not [f for f in report["findings"] if f["resource"] == odd["address"]]
    assert [n["kind"] for n in report["notes"]] == ["ignored_tables"]
    main(["plan", str(path), "--env", "prod", "--strict-names", "--format", f"json={out}"])
    report = json.loads(out.read_text())
    (f,) = [f for f in report["findings"] if f["resource"] == odd["address"]]
    assert (f["rule_id"], f["status"], f["severity"]) == ("TS-NAME-001", "fail", "low")
    assert "Legacy_Rewards follows no naming of the spec" in f["message"]


def _keep(plan: dict[str, Any], wanted: Callable[[str], bool]) -> dict[str, Any]:
    """*plan* with only the resource changes (and planned values) whose address *wanted*
    accepts: the plan of a root that declares only those."""
    out: dict[str, Any] = json.loads(json.dumps(plan))
    out["resource_changes"] = [r for r in out["resource_changes"] if wanted(r["address"])]

    def prune(module: dict[str, Any]) -> None:
        module["resources"] = [r for r in module.get("resources", []) if wanted(r["address"])]
        for child in module.get("child_modules", []):
            prune(child)

    prune(out["planned_values"]["root_module"])
    return out


@pytest.mark.terraform
def test_plans_of_one_environment_answer_for_each_other_unless_they_overlap(
        farm: PlanFarm, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Two plans of prod: one of the player-rewards table, one of the others (a monorepo's
    roots) pass together; two that both hold player-sessions are two deployments, and the
    one without player-rewards fails there."""
    plan = json.loads(farm.plan("module").read_text())
    rewards = tmp_path / "rewards.json"
    rewards.write_text(json.dumps(_keep(plan, lambda a: "player_rewards" in a)))
    rest = tmp_path / "rest.json"
    rest.write_text(json.dumps(_keep(plan, lambda a: "player_rewards" not in a)))
    both = tmp_path / "both.json"
    both.write_text(json.dumps(_keep(plan, lambda a: "interaction_events" not in a)))
    for plans, failing in (([rewards, rest], set()),
                           ([rest, both], {("player-rewards", "rest.json"),
                                           ("interaction-events", "both.json")})):
        assert main(["plan", *map(str, plans), "--spec", SPEC, "--format", "json"]) == (
            1 if failing else 0)
        report = json.loads(capsys.readouterr().out)
        assert {(f["table"], f["message"].split(" in ")[1].split(";")[0].rsplit("/", 1)[-1])
                for f in report["findings"] if f["status"] == "fail"} == failing
        assert all(f["rule_id"] == "TS-PRES-001" and f["field"] == "name"
                   for f in report["findings"] if f["status"] == "fail")
