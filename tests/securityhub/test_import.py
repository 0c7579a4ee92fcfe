"""The import's calls on botocore's Stubber: the documented request shapes, GetFindings' filters,
batches of 100, refused findings and failed calls as notes, archiving only where it is safe."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.stub import ANY, Stubber

from checker.engine import PLACE
from checker.findings import Finding, NoteKind, Severity, Status
from checker.report.model import Report
from checker.securityhub import importer
from checker.securityhub.asff import Place, asff
from checker.sources.live.api import ReadOnlyViolation
from checker.sources.live.limits import DEFAULT, Deadline, Limits

ACCOUNT, REGION = "111122223333", "eu-west-1"
PRODUCT = f"arn:aws:securityhub:{REGION}:{ACCOUNT}:product/{ACCOUNT}/default"
FILTERS = {"ProductArn": [{"Value": PRODUCT, "Comparison": "EQUALS"}],
           "GeneratorId": [{"Value": "tablespec/", "Comparison": "PREFIX"}],
           "AwsAccountId": [{"Value": ACCOUNT, "Comparison": "EQUALS"}],
           "RecordState": [{"Value": "ACTIVE", "Comparison": "EQUALS"}]}


def arn(table: str, region: str = REGION) -> str:
    return f"arn:aws:dynamodb:{region}:{ACCOUNT}:table/{table}"


def finding(table: str, status: Status = Status.FAIL, region: str = REGION) -> Finding:
    return Finding("TS-PITR-001", "pitr", "player-sessions", "prod", arn(table, region), None,
                   status, Severity.HIGH, "m", "enabled", "disabled",
                   "point_in_time_recovery.enabled", None, region)


def report(findings: list[Finding], regions: tuple[str, ...] = (REGION,)) -> Report:
    return Report("live", "t", "specs/tables.yaml", findings, ["prod"],
                  scope=[{"account": ACCOUNT, "region": r} for r in regions])


@pytest.fixture
def session() -> boto3.Session:
    return boto3.Session(aws_access_key_id="k", aws_secret_access_key="s", region_name=REGION)


@pytest.fixture
def stub(session: boto3.Session, monkeypatch: pytest.MonkeyPatch) -> Iterator[Stubber]:
    """The import's own client (its guard included), answering from a Stubber."""
    client = importer._client(session, REGION, DEFAULT)
    stubber = Stubber(client)
    monkeypatch.setattr(importer, "_client", lambda *_: client)
    with stubber:
        yield stubber
    stubber.assert_no_pending_responses()


def earlier(answer: list[dict[str, Any]], stub: Stubber) -> None:
    stub.add_response("get_findings", {"Findings": answer},
                      {"Filters": FILTERS, "MaxResults": 100})


def imported(stub: Stubber, count: int, failed: list[dict[str, str]] | None = None) -> None:
    stub.add_response("batch_import_findings",
                      {"FailedCount": len(failed or []), "SuccessCount": count - len(failed or []),
                       "FailedFindings": failed or []}, {"Findings": ANY})


def notes(found: list[Any], kind: NoteKind) -> list[str]:
    return [n.message for n in found if n.kind is kind]


def test_250_findings_go_in_three_calls_after_one_filtered_read(
        stub: Stubber, session: boto3.Session) -> None:
    findings = [finding(f"t{i}") for i in range(250)]
    earlier([], stub)
    for count in (100, 100, 50):
        imported(stub, count)
    out = importer.import_findings(report(findings), {ACCOUNT: session})
    assert notes(out, NoteKind.SECURITY_HUB) == [
        "Security Hub: 250 finding(s) imported and 0 archived, in 1 account/region(s)"]
    assert notes(out, NoteKind.SECURITY_HUB_FAILED) == []


def test_refused_findings_and_a_throttled_call_are_notes(stub: Stubber,
                                                         session: boto3.Session) -> None:
    findings = [finding(f"t{i}") for i in range(150)]
    earlier([], stub)
    imported(stub, 100, [{"Id": "x", "ErrorCode": "InvalidInput", "ErrorMessage": "bad"}])
    stub.add_client_error("batch_import_findings", "TooManyRequestsException", "slow down")
    out = importer.import_findings(report(findings), {ACCOUNT: session})
    failed = notes(out, NoteKind.SECURITY_HUB_FAILED)
    assert failed == [
        f"Security Hub: {ACCOUNT}/{REGION}: 50 finding(s) not imported: "
        "TooManyRequestsException",
        f"Security Hub: {ACCOUNT}/{REGION}: 1 finding(s) refused: x: InvalidInput bad"]
    assert "99 finding(s) imported" in notes(out, NoteKind.SECURITY_HUB)[0]


def test_retries_are_adaptive_and_the_client_cannot_update_findings(
        session: boto3.Session) -> None:
    client = importer._client(session, REGION, DEFAULT)
    assert client.meta.config.retries["mode"] == "adaptive"
    with pytest.raises(ReadOnlyViolation):
        client.batch_update_findings(FindingIdentifiers=[{"Id": "x", "ProductArn": PRODUCT}],
                                     Workflow={"Status": "RESOLVED"})


def held(f: Finding, region: str = REGION, env: str = "prod") -> dict[str, Any]:
    """*f* as Security Hub would hold it from a former run."""
    item = asff(f, Place("aws", ACCOUNT, region), 0.0, "specs/tables.yaml", "1")
    item["ProductFields"]["tablespec/Environment"] = env
    return {**item, "Region": region}


def test_a_former_finding_not_made_again_is_archived(stub: Stubber,
                                                     session: boto3.Session) -> None:
    now = finding("kept", Status.PASS)
    gone = held(finding("gone"))
    elsewhere = held(finding("far", region="us-east-1"), region="us-east-1")  # an aggregator's
    other_env = held(finding("dev-table"), env="dev")  # an environment this run did not check
    earlier([held(now), gone, elsewhere, other_env], stub)
    imported(stub, 1)
    stub.add_response("batch_import_findings", {"FailedCount": 0, "SuccessCount": 1,
                                                "FailedFindings": []}, {"Findings": ANY})
    sent: list[dict[str, Any]] = []
    client = importer._client(session, REGION, DEFAULT)  # the stubbed one
    client.meta.events.register("provide-client-params.securityhub.BatchImportFindings",
                                lambda params, **_: sent.append(params))
    out = importer.import_findings(report([now]), {ACCOUNT: session})
    assert "1 finding(s) imported and 1 archived" in notes(out, NoteKind.SECURITY_HUB)[0]
    # the second call carries exactly the finding of the table gone
    assert [[f["Id"] for f in call["Findings"]] for call in sent] == [
        [held(now)["Id"]], [gone["Id"]]]
    assert sent[-1]["Findings"][0]["RecordState"] == "ARCHIVED"


def test_nothing_is_archived_where_the_place_was_not_read(stub: Stubber,
                                                          session: boto3.Session) -> None:
    unread = Finding("TS-ACCESS-001", "access", PLACE, "prod", arn("*"), None, Status.UNKNOWN,
                     Severity.HIGH, "not read", "readable", "unknown", "", None, REGION)
    earlier([held(finding("gone"))], stub)
    imported(stub, 1)
    out = importer.import_findings(report([unread]), {ACCOUNT: session})
    assert "1 finding(s) imported and 0 archived" in notes(out, NoteKind.SECURITY_HUB)[0]


def test_a_denied_read_still_imports_and_a_hub_not_enabled_is_one_note(
        stub: Stubber, session: boto3.Session) -> None:
    stub.add_client_error("get_findings", "AccessDeniedException", "no")
    imported(stub, 1)
    out = importer.import_findings(report([finding("a")]), {ACCOUNT: session})
    assert notes(out, NoteKind.SECURITY_HUB_FAILED) == [
        f"Security Hub: {ACCOUNT}/{REGION}: the earlier findings could not be read "
        "(AccessDeniedException): none archived (securityhub:GetFindings)"]
    stub.add_client_error("get_findings", "InvalidAccessException", "not subscribed")
    out = importer.import_findings(report([finding("a")]), {ACCOUNT: session})
    assert notes(out, NoteKind.SECURITY_HUB_FAILED) == [
        f"Security Hub: {ACCOUNT}/{REGION}: 1 finding(s) not imported: InvalidAccessException "
        "(is Security Hub enabled in that account and region?)"]


def test_an_account_the_audit_could_not_enter_is_a_note() -> None:
    out = importer.import_findings(report([finding("a")]), {})
    assert notes(out, NoteKind.SECURITY_HUB_FAILED) == [
        f"Security Hub: {ACCOUNT}/{REGION}: 1 finding(s) not imported: the audit could not "
        "enter that account, and the default product takes only an account's own findings"]


def test_past_the_audits_deadline_nothing_more_is_sent(stub: Stubber,
                                                       session: boto3.Session) -> None:
    earlier([], stub)
    late = Limits(deadline=Deadline(0.0, "the invocation's time"))
    out = importer.import_findings(report([finding("a")]), {ACCOUNT: session}, late)
    assert notes(out, NoteKind.SECURITY_HUB_FAILED) == [
        f"Security Hub: {ACCOUNT}/{REGION}: 1 finding(s) not imported: the audit's deadline "
        "(the invocation's time) passed first"]
