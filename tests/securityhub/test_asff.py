"""The ASFF of a finding: valid for botocore's model of BatchImportFindings, stable, bounded."""

from __future__ import annotations

from typing import Any

import botocore.session
import pytest
from botocore.validate import ParamValidator

from checker.findings import Finding, Reason, Severity, Status, Waived
from checker.securityhub.asff import (
    MAX_DESCRIPTION,
    MAX_ID,
    MAX_TITLE,
    Place,
    archived,
    asff,
    compliance,
    finding_id,
    place_of,
)

ARN = "arn:aws:dynamodb:eu-west-1:111122223333:table/hypermage-vr-player-sessions-prod"
PLACE = Place("aws", "111122223333", "eu-west-1")


def finding(status: Status = Status.FAIL, reason: Reason | None = None, resource: str = ARN,
            **changes: Any) -> Finding:
    base = Finding("TS-PITR-001", "pitr", "player-sessions", "prod", resource, None, status,
                   Severity.HIGH, "point-in-time recovery is disabled", "enabled", "disabled",
                   "point_in_time_recovery.enabled", reason, "eu-west-1")
    for key, value in changes.items():
        setattr(base, key, value)
    return base


def valid(item: dict[str, Any]) -> None:
    """*item* is a valid AwsSecurityFinding for botocore's model of the API."""
    model = botocore.session.get_session().get_service_model("securityhub")
    shape = model.operation_model("BatchImportFindings").input_shape
    assert shape is not None
    report = ParamValidator().validate({"Findings": [item]}, shape)
    assert not report.has_errors(), report.generate_report()


@pytest.mark.parametrize(("status", "reason", "expected"), [
    (Status.PASS, None, "PASSED"),
    (Status.FAIL, None, "FAILED"),
    (Status.WAIVED, None, "FAILED"),
    (Status.UNKNOWN, Reason.UNKNOWN_VALUE, "WARNING"),
    (Status.UNKNOWN, Reason.INVALID_VALUE, "WARNING"),
    (Status.UNKNOWN, Reason.ACCESS_DENIED, "NOT_AVAILABLE"),
    (Status.UNKNOWN, Reason.TIMEOUT, "NOT_AVAILABLE"),
    (Status.UNKNOWN, Reason.NOT_EVALUATED, "NOT_AVAILABLE"),
])
def test_compliance_status(status: Status, reason: Reason | None, expected: str) -> None:
    item = asff(finding(status, reason), PLACE, 0.0, "specs/tables.yaml", "1.0")
    assert compliance(finding(status, reason)) == item["Compliance"]["Status"] == expected
    valid(item)


def test_the_shape_of_a_failing_finding() -> None:
    item = asff(finding(), PLACE, 1_700_000_000.25, "specs/tables.yaml", "1.2.3")
    valid(item)
    assert item["Id"] == f"{ARN}/tablespec/TS-PITR-001/point_in_time_recovery.enabled"
    assert item["ProductArn"] == (
        "arn:aws:securityhub:eu-west-1:111122223333:product/111122223333/default")
    assert item["GeneratorId"] == "tablespec/TS-PITR-001"
    assert item["AwsAccountId"] == "111122223333"
    assert item["FindingProviderFields"]["Severity"] == {"Label": "HIGH", "Original": "high"}
    assert item["Severity"] == {"Label": "HIGH"}
    assert item["Resources"] == [{"Id": ARN, "Partition": "aws", "Region": "eu-west-1",
                                  "Type": "AwsDynamoDbTable", "Details": {"AwsDynamoDbTable": {
                                      "TableName": "hypermage-vr-player-sessions-prod"}}}]
    assert item["CreatedAt"] == item["UpdatedAt"] == "2023-11-14T22:13:20.250Z"
    assert item["Remediation"]["Recommendation"]["Text"].startswith("Enable")
    assert item["ProductFields"]["tablespec/RuleId"] == "TS-PITR-001"
    assert item["RecordState"] == "ACTIVE"
    assert "Workflow" not in item and "Note" not in item


def test_a_pass_is_informational_and_keeps_its_first_sighting() -> None:
    earlier = {"CreatedAt": "2020-01-01T00:00:00.000Z",
               "FirstObservedAt": "2020-01-02T00:00:00.000Z"}
    item = asff(finding(Status.PASS), PLACE, 1_700_000_000.0, "s", "1", earlier)
    assert item["FindingProviderFields"]["Severity"]["Label"] == "INFORMATIONAL"
    assert (item["CreatedAt"], item["FirstObservedAt"]) == (
        "2020-01-01T00:00:00.000Z", "2020-01-02T00:00:00.000Z")
    assert item["UpdatedAt"] == item["LastObservedAt"] == "2023-11-14T22:13:20.000Z"


def test_a_waiver_rides_in_product_fields() -> None:
    waived = finding(Status.WAIVED, waiver=Waived("alice@example.com", "2999-12-31", "move"))
    fields = asff(waived, PLACE, 0.0, "s", "1")["ProductFields"]
    assert (fields["tablespec/Waiver/Owner"], fields["tablespec/Waiver/Expires"],
            fields["tablespec/Waiver/Reason"]) == ("alice@example.com", "2999-12-31", "move")
    assert fields["tablespec/Status"] == "waived"


def test_ids_are_stable_bounded_and_tell_fields_and_places_apart() -> None:
    assert finding_id(finding()) == finding_id(finding())
    assert finding_id(finding()) != finding_id(finding(field="other"))
    assert finding_id(finding()) != finding_id(finding(resource=ARN.replace("eu-west-1",
                                                                          "us-east-1")))
    long = finding(resource=f"{ARN}{'x' * 600}", message="m" * 5000, table="t" * 300)
    item = asff(long, PLACE, 0.0, "s", "1")
    assert len(item["Id"]) <= MAX_ID and item["Id"] != finding_id(finding())
    assert len(item["Title"]) <= MAX_TITLE and len(item["Description"]) <= MAX_DESCRIPTION
    assert all(len(v) <= 2048 for v in item["ProductFields"].values())
    valid(item)


def test_a_place_and_what_is_no_arn() -> None:
    place = finding(Status.UNKNOWN, Reason.ACCESS_DENIED, table="*",
                    resource="arn:aws-cn:dynamodb:cn-north-1:111122223333:table/*", region=None)
    where = place_of(place)
    assert where == Place("aws-cn", "111122223333", "cn-north-1")
    item = asff(place, where, 0.0, "s", "1")
    assert item["Resources"][0]["Type"] == "Other"
    assert item["ProductArn"].startswith("arn:aws-cn:securityhub:cn-north-1:")
    valid(item)
    assert place_of(finding(resource="module.t.aws_dynamodb_table.x")) is None


def test_archiving_keeps_the_finding_and_drops_security_hubs_own_fields() -> None:
    item = asff(finding(), PLACE, 0.0, "s", "1")
    held = {**item, "ProductFields": {**item["ProductFields"], "aws/securityhub/FindingId": "x"},
            "Workflow": {"Status": "NOTIFIED"}, "Region": "eu-west-1"}
    gone = archived(held, 100.0)
    valid(gone)
    assert gone["RecordState"] == "ARCHIVED" and gone["Id"] == item["Id"]
    assert "Workflow" not in gone and "aws/securityhub/FindingId" not in gone["ProductFields"]
    assert gone["UpdatedAt"] == "1970-01-01T00:01:40.000Z"


def test_the_remediation_links_the_rule_only_with_a_url(monkeypatch: pytest.MonkeyPatch) -> None:
    assert "Url" not in asff(finding(), PLACE, 0.0, "s", "1")["Remediation"]["Recommendation"]
    monkeypatch.setenv("TABLESPEC_DOCS_URL", "https://example.org/rules.md")
    item = asff(finding(), PLACE, 0.0, "s", "1")
    assert item["Remediation"]["Recommendation"]["Url"] == (
        "https://example.org/rules.md#ts-pitr-001")
    valid(item)
