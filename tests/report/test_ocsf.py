"""`--format ocsf`: OCSF 1.5 Compliance Findings, valid for py-ocsf-models and no key beyond it."""

from __future__ import annotations

import json
import types
import typing
from pathlib import Path
from typing import Any, Union, get_args, get_origin

import pytest
from py_ocsf_models.events.findings.compliance_finding import ComplianceFinding
from pydantic import BaseModel

from checker.cli import main
from checker.findings import Finding, Reason, Severity, Status
from checker.report.model import Report
from checker.report.ocsf import event
from tests.report.util import DRIFT, write_waiver
from tests.support.paths import REPO

FREE_FORM = (object, dict)  # attributes whose value OCSF leaves to the producer (unmapped, data)


def _models(annotation: Any) -> list[type[BaseModel]]:
    """The pydantic models an annotation (Optional, list, union) may hold."""
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType, list, typing.List):  # noqa: UP006 - as the models say
        return [m for a in get_args(annotation) for m in _models(a)]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    return []


def _free_form(annotation: Any) -> bool:
    origin = get_origin(annotation)
    if origin in (Union, types.UnionType):
        return any(_free_form(a) for a in get_args(annotation))
    return annotation in FREE_FORM or origin is dict


def undefined_keys(value: Any, model: type[BaseModel], where: str = "") -> list[str]:
    """Every key of *value* (recursively) that *model* does not define."""
    out: list[str] = []
    items = value if isinstance(value, list) else [value]
    for item in items:
        if not isinstance(item, dict):
            continue
        for key, sub in item.items():
            field = model.model_fields.get(key)
            if field is None:
                out.append(f"{where}{key}")
                continue
            if _free_form(field.annotation):
                continue
            for inner in _models(field.annotation):
                out += undefined_keys(sub, inner, f"{where}{key}.")
    return out


def ocsf_events(tmp_path: Path, *extra: str, plan: str = DRIFT) -> list[dict[str, Any]]:
    out = tmp_path / "report.ocsf.json"
    main(["plan", plan, "--spec", "specs/tables.yaml", "--format", f"ocsf={out}", *extra])
    events: list[dict[str, Any]] = json.loads(out.read_text())
    return events


@pytest.fixture(autouse=True)
def at_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


def test_every_event_is_a_valid_compliance_finding_with_only_schema_keys(
        tmp_path: Path) -> None:
    events = ocsf_events(tmp_path, "--waivers", str(write_waiver(tmp_path, "TS-TTL-002")))
    report = json.loads(_json(tmp_path))
    assert len(events) == len(report["findings"])
    for item in events:
        ComplianceFinding.model_validate(item)
        assert undefined_keys(item, ComplianceFinding) == [], item["finding_info"]["uid"]
        assert (item["class_uid"], item["category_uid"], item["type_uid"]) == (
            2003, 2, 200301)
        assert item["metadata"]["version"] == "1.5.0"


def _json(tmp_path: Path) -> str:
    out = tmp_path / "report.json"
    main(["plan", DRIFT, "--spec", "specs/tables.yaml", "--format", f"json={out}"])
    return out.read_text()


def test_the_strict_check_catches_a_key_the_schema_lacks() -> None:
    bad = {"compliance": {"control": "x", "colour": "red"}, "resources": [{"uid": "a",
                                                                          "shade": 1}],
           "unmapped": {"anything": {"goes": True}}}
    assert undefined_keys(bad, ComplianceFinding) == ["compliance.colour", "resources.shade"]


def test_compliance_carries_the_rule_status_resource_and_severity(tmp_path: Path) -> None:
    waivers = write_waiver(tmp_path, "TS-TTL-002")
    events = ocsf_events(tmp_path, "--waivers", str(waivers))
    by_rule = {(e["compliance"]["control"], e["resources"][0]["name"]): e for e in events}
    pitr = by_rule[("TS-PITR-001", "interaction-events")]
    assert pitr["compliance"]["status_id"] == 3 and pitr["status_id"] == 1
    assert pitr["compliance"]["checks"][0]["uid"] == "TS-PITR-001"
    assert pitr["resources"][0]["uid"] == "module.dynamodb.aws_dynamodb_table.interaction_events"
    assert pitr["resources"][0]["type"] == "AwsDynamoDbTable"
    assert pitr["severity"] == "High" and pitr["severity_id"] == 4
    assert pitr["unmapped"]["tablespec"]["location"]["file"] == DRIFT
    waived = by_rule[("TS-TTL-002", "player-rewards")]
    assert waived["compliance"]["status_id"] == 3
    assert (waived["status_id"], waived["status"]) == (3, "Suppressed")
    assert waived["unmapped"]["tablespec"]["waiver"] == {
        "owner": "alice@example.com", "expires": "2999-12-31", "reason": "migration"}
    passed = by_rule[("TS-PITR-001", "player-sessions")]
    assert passed["compliance"]["status_id"] == 1 and "status_id" not in passed
    uids = [e["finding_info"]["uid"] for e in events]
    assert len(uids) == len(set(uids))


def _finding(status: Status, reason: Reason | None, region: str | None = None) -> Finding:
    return Finding("TS-TTL-002", "ttl", "player-sessions", "prod",
                   "arn:aws-cn:dynamodb:cn-north-1:111122223333:table/t", None, status,
                   Severity.CRITICAL, "cannot tell: DescribeTimeToLive was refused",
                   "TTL on expiresAt", "unknown", "ttl", reason, region)


def test_an_unknown_carries_its_reason_and_region() -> None:
    report = Report("live", "111122223333/cn-north-1", "specs/tables.yaml", [])
    unknown = event(_finding(Status.UNKNOWN, Reason.ACCESS_DENIED, "cn-north-1"), report)
    assert unknown["compliance"]["status_id"] == 2  # Warning: for want of information
    assert unknown["status_detail"] == (
        "unknown (access_denied): cannot tell: DescribeTimeToLive was refused")
    assert unknown["unmapped"]["tablespec"]["reason"] == "access_denied"
    resource = unknown["resources"][0]
    assert (resource["region"], resource["cloud_partition"]) == ("cn-north-1", "aws-cn")
    follows = event(_finding(Status.UNKNOWN, Reason.NOT_EVALUATED), report)
    assert follows["compliance"]["status_id"] == 0 and "region" not in follows["resources"][0]
    for item in (unknown, follows):
        ComplianceFinding.model_validate(item)
        assert undefined_keys(item, ComplianceFinding) == []


def test_an_empty_report_is_an_empty_array() -> None:
    from checker.report.ocsf import render

    assert json.loads(render(Report("plan", "p", "s", []))) == []


def test_the_rule_link_is_given_only_where_it_is_a_url(monkeypatch: pytest.MonkeyPatch) -> None:
    report = Report("live", "t", "specs/tables.yaml", [])
    plain = event(_finding(Status.FAIL, None), report)
    assert "src_url" not in plain["finding_info"] and "references" not in plain["remediation"]
    monkeypatch.setenv("TABLESPEC_DOCS_URL", "https://example.org/rules.md")
    linked = event(_finding(Status.FAIL, None), report)
    assert linked["finding_info"]["src_url"] == "https://example.org/rules.md#ts-ttl-002"
    assert linked["remediation"]["references"] == ["https://example.org/rules.md#ts-ttl-002"]
    ComplianceFinding.model_validate(linked)
    assert undefined_keys(linked, ComplianceFinding) == []
