"""A finding in the AWS Security Finding Format, as `BatchImportFindings` takes it.

Its `Id` is stable per rule, resource (the table's ARN, so its account and region) and field:
a later run replaces the finding instead of adding one. Severity and types are given in
`FindingProviderFields` too, the only way a provider may change them after the first import;
`Workflow`, `Note` and the rest of what the people who triage set are never written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from typing import Any

from checker.findings import Finding, Reason, Status
from checker.report.common import about_place, absolute_help_uri, sentence, unknown_tag
from checker.rules import BY_ID

SCHEMA_VERSION = "2018-10-08"
GENERATOR_PREFIX = "tablespec/"
FINDING_TYPE = "Software and Configuration Checks/AWS Security Best Practices"
# Limits of the format: longer text is cut (with an ellipsis), a longer Id made a digest.
MAX_ID, MAX_TITLE, MAX_DESCRIPTION, MAX_RECOMMENDATION, MAX_FIELD = 512, 256, 1024, 512, 2048
# Unknown for want of a reading (refused, failed, late, malformed), or nothing to judge:
# NOT_AVAILABLE. Unknown otherwise (a value of the wrong type, a rule's own failure): WARNING.
NOT_READ = (Reason.ACCESS_DENIED, Reason.API_ERROR, Reason.TIMEOUT, Reason.MALFORMED,
            Reason.NOT_EVALUATED)


@dataclass(frozen=True)
class Place:
    """Where a finding belongs: the partition, account and region of its resource."""

    partition: str
    account: str
    region: str


def place_of(f: Finding) -> Place | None:
    """The account and region *f* is about, from its resource's ARN (None: not an ARN, so
    not a finding Security Hub can hold)."""
    parts = f.resource.split(":", 5)
    if len(parts) < 6 or parts[0] != "arn" or not parts[4].isdigit():
        return None
    region = f.region or parts[3]
    return Place(parts[1], parts[4], region) if region else None


def product_arn(place: Place) -> str:
    """The ARN of the account's default custom product in the region."""
    return (f"arn:{place.partition}:securityhub:{place.region}:{place.account}:"
            f"product/{place.account}/default")


def finding_id(f: Finding) -> str:
    """The stable Id of *f*: its resource, the rule and the field (at most 512 characters)."""
    key = f"{f.resource}/tablespec/{f.rule_id}/{f.field or f.check}"
    if f.replica and f.region and f"dynamodb:{f.region}:" not in f.resource:
        key += f"@{f.region}"
    if len(key) <= MAX_ID:
        return key
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return f"{key[:MAX_ID - 33]}#{digest}"


def compliance(f: Finding) -> str:
    """PASSED, FAILED (a waived finding still fails), WARNING or NOT_AVAILABLE."""
    if f.status is Status.PASS:
        return "PASSED"
    if f.status is not Status.UNKNOWN:
        return "FAILED"
    return "NOT_AVAILABLE" if f.reason in NOT_READ else "WARNING"


def timestamp(seconds: float) -> str:
    """An ASFF time: RFC 3339 in UTC, with milliseconds."""
    moment = dt.datetime.fromtimestamp(seconds, dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def clip(text: str, limit: int) -> str:
    """*text* cut to *limit* characters, an ellipsis marking the cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _resource(f: Finding, place: Place) -> dict[str, Any]:
    resource: dict[str, Any] = {"Id": f.resource, "Partition": place.partition,
                                "Region": place.region}
    if about_place(f):  # every table of an account and region: no one table
        return {**resource, "Type": "Other"}
    name = f.resource.rsplit(":table/", 1)[-1]
    return {**resource, "Type": "AwsDynamoDbTable",
            "Details": {"AwsDynamoDbTable": {"TableName": name}}}


def _product_fields(f: Finding, spec: str, version: str) -> dict[str, str]:
    fields = {"ProviderName": "tablespec", "ProviderVersion": version,
              "tablespec/RuleId": f.rule_id, "tablespec/Check": f.check,
              "tablespec/Table": f.table, "tablespec/Environment": f.environment,
              "tablespec/Field": f.field, "tablespec/Status": f.status.value,
              "tablespec/Expected": f.expected, "tablespec/Actual": f.actual,
              "tablespec/Spec": spec}
    if f.reason is not None:
        fields["tablespec/Reason"] = f.reason.value
    if f.waiver is not None:
        fields.update({"tablespec/Waiver/Owner": f.waiver.owner,
                       "tablespec/Waiver/Expires": f.waiver.expires,
                       "tablespec/Waiver/Reason": f.waiver.reason})
    return {k: clip(v, MAX_FIELD) for k, v in fields.items() if v}


def asff(f: Finding, place: Place, now: float, spec: str, version: str,
         earlier: dict[str, Any] | None = None) -> dict[str, Any]:
    """The ASFF finding of *f*, made at *now*; *earlier*, the same finding as Security Hub
    holds it from a former run, keeps its creation and first observation times."""
    rule = BY_ID[f.rule_id]
    status = compliance(f)
    label = "INFORMATIONAL" if status == "PASSED" else f.severity.value.upper()
    severity = {"Label": label, "Original": f.severity.value}
    shown = f"{f.environment}, {place.region}"
    description = sentence(f, shown)
    if f.status is Status.UNKNOWN:
        description = unknown_tag(f) + description
    stamp = timestamp(now)
    created = (earlier or {}).get("CreatedAt", stamp)
    recommendation: dict[str, str] = {"Text": clip(rule.fix, MAX_RECOMMENDATION)}
    url = absolute_help_uri(f.rule_id)
    if url is not None:
        recommendation["Url"] = url
    return {
        "SchemaVersion": SCHEMA_VERSION,
        "Id": finding_id(f),
        "ProductArn": product_arn(place),
        "ProductName": "tablespec",
        "CompanyName": "tablespec",
        "GeneratorId": f"{GENERATOR_PREFIX}{f.rule_id}",
        "AwsAccountId": place.account,
        "Types": [FINDING_TYPE],
        "CreatedAt": created,
        "UpdatedAt": stamp,
        "FirstObservedAt": (earlier or {}).get("FirstObservedAt", created),
        "LastObservedAt": stamp,
        "Severity": {"Label": label},
        "Title": clip(f"{f.rule_id} {rule.title}: {f.table} ({shown})", MAX_TITLE),
        "Description": clip(description, MAX_DESCRIPTION),
        "Remediation": {"Recommendation": recommendation},
        "ProductFields": _product_fields(f, spec, version),
        "Resources": [_resource(f, place)],
        "Compliance": {"Status": status},
        "RecordState": "ACTIVE",
        "FindingProviderFields": {"Severity": severity, "Types": [FINDING_TYPE]},
    }


def archived(earlier: dict[str, Any], now: float) -> dict[str, Any]:
    """*earlier*, a finding of a former run whose table is gone, with RecordState ARCHIVED."""
    keep = ("SchemaVersion", "Id", "ProductArn", "ProductName", "CompanyName", "GeneratorId",
            "AwsAccountId", "Types", "CreatedAt", "FirstObservedAt", "LastObservedAt",
            "Severity", "Title", "Description", "Remediation", "ProductFields", "Resources",
            "Compliance", "FindingProviderFields")
    out = {k: earlier[k] for k in keep if k in earlier}
    fields = {k: v for k, v in out.get("ProductFields", {}).items()
              if not k.startswith("aws/")}  # Security Hub's own keys are not a provider's
    return {**out, "ProductFields": fields, "UpdatedAt": timestamp(now),
            "RecordState": "ARCHIVED"}
