"""OCSF 1.5: one Compliance Finding (class 2003) per finding, as a JSON array.

Each event names the rule as its control, the compliance status (Pass, Fail, Warning where the
value could not be known, Unknown where there was nothing to judge), the resource with its
region, the rule's severity and remediation. What OCSF has no attribute for (environment,
field, expected and actual values, the reason of an unknown, the source location, a waiver)
is under `unmapped.tablespec`.
"""

from __future__ import annotations

import json
from typing import Any

from checker.findings import Finding, Reason, Severity, Status
from checker.report.common import RepoPaths, about_place, absolute_help_uri, fingerprint
from checker.report.model import Report
from checker.rules import BY_ID

VERSION = "1.5.0"
CLASS_UID, CATEGORY_UID, ACTIVITY_CREATE = 2003, 2, 1
SEVERITY_ID = {Severity.LOW: 2, Severity.MEDIUM: 3, Severity.HIGH: 4, Severity.CRITICAL: 5}
SEVERITY_NAME = {2: "Low", 3: "Medium", 4: "High", 5: "Critical"}
# the compliance object's status_id: 0 Unknown, 1 Pass, 2 Warning (no result for want of
# information), 3 Fail. A waived finding still fails; the event's status says it is suppressed.
COMPLIANCE = {Status.PASS: 1, Status.FAIL: 3, Status.WAIVED: 3, Status.UNKNOWN: 2}
COMPLIANCE_NAME = {0: "Unknown", 1: "Pass", 2: "Warning", 3: "Fail"}
NEW, SUPPRESSED = 1, 3  # the finding's own status_id


class _Shared:
    """What every event of one report shares, computed once."""

    def __init__(self, report: Report) -> None:
        self.paths = RepoPaths()
        self.regions = report.regions
        self.spec = f"tablespec spec {self.paths(report.spec_path)[0]}"
        self.millis = int(report.created * 1000)


def compliance_status(f: Finding) -> int:
    """The compliance status_id of *f* (a rule not evaluated, for want of a table: Unknown)."""
    if f.status is Status.UNKNOWN and f.reason is Reason.NOT_EVALUATED:
        return 0
    return COMPLIANCE[f.status]


def _detail(f: Finding) -> str | None:
    if f.status is Status.UNKNOWN:
        return f"unknown ({f.reason.value if f.reason else 'unknown'}): {f.message}"
    if f.status is Status.WAIVED:
        return f.message
    return None


def _resource(f: Finding) -> dict[str, Any]:
    resource: dict[str, Any] = {
        "uid": f.resource,
        "name": f.table,
        "type": "tablespec place" if about_place(f) else "AwsDynamoDbTable",
        "labels": [f"environment:{f.environment}"],
    }
    if f.region:
        resource["region"] = f.region
    if f.resource.startswith("arn:"):
        resource["cloud_partition"] = f.resource.split(":", 2)[1]
    return resource


def _unmapped(f: Finding, report: Report, paths: RepoPaths) -> dict[str, Any]:
    extra: dict[str, Any] = {
        "environment": f.environment, "field": f.field, "expected": f.expected,
        "actual": f.actual, "status": f.status.value, "source": report.source_kind,
        "target": report.target,
    }
    if f.reason is not None:
        extra["reason"] = f.reason.value
    if f.location is not None and f.location.file:
        extra["location"] = {"file": paths(f.location.file)[0], "line": f.location.line}
    if f.waiver is not None:
        extra["waiver"] = {"owner": f.waiver.owner, "expires": f.waiver.expires,
                           "reason": f.waiver.reason}
    return {"tablespec": extra}


def event(f: Finding, report: Report, shared: _Shared | None = None) -> dict[str, Any]:
    """The Compliance Finding of one finding (*shared*: what a caller rendering many events
    of *report* computed once)."""
    shared = shared or _Shared(report)
    rule = BY_ID[f.rule_id]
    severity = SEVERITY_ID[f.severity]
    status = compliance_status(f)
    spec, millis = shared.spec, shared.millis
    placed = f.placed(shared.regions)
    out: dict[str, Any] = {
        "activity_id": ACTIVITY_CREATE,
        "activity_name": "Create",
        "category_uid": CATEGORY_UID,
        "category_name": "Findings",
        "class_uid": CLASS_UID,
        "class_name": "Compliance Finding",
        "type_uid": CLASS_UID * 100 + ACTIVITY_CREATE,
        "type_name": "Compliance Finding: Create",
        "time": millis,
        "severity_id": severity,
        "severity": SEVERITY_NAME[severity],
        "message": f"{f.table} ({placed}): {f.message}",
        "metadata": {
            "version": VERSION,
            "product": {"name": "tablespec", "vendor_name": "tablespec",
                        "version": report.version},
            "event_code": f.rule_id,
        },
        "finding_info": {
            "uid": f"tablespec-{fingerprint(f)}",
            "title": f"{rule.title}: {f.table} ({placed})",
            "desc": f.message,
            "types": [f.check],
            "data_sources": [report.source_kind],
            "created_time": millis,
        },
        "compliance": {
            "control": f.rule_id,
            "desc": rule.title,
            "standards": [spec],
            "requirements": [f"{f.field or f.check}: {f.expected}"],
            "status_id": status,
            "checks": [{"uid": f.rule_id, "name": rule.title, "desc": rule.why,
                        "severity": SEVERITY_NAME[severity], "severity_id": severity,
                        "standards": [spec], "status": COMPLIANCE_NAME[status],
                        "status_id": status}],
        },
        "resources": [_resource(f)],
        "remediation": {"desc": rule.fix},
        "unmapped": _unmapped(f, report, shared.paths),
    }
    url = absolute_help_uri(f.rule_id)
    if url is not None:  # the rule's documentation, where it has a URL
        out["finding_info"]["src_url"] = url
        out["remediation"]["references"] = [url]
    if f.status is not Status.PASS:
        out["status_id"] = SUPPRESSED if f.status is Status.WAIVED else NEW
        out["status"] = "Suppressed" if f.status is Status.WAIVED else "New"
    detail = _detail(f)
    if detail is not None:
        out["status_detail"] = detail
    return out


def render(report: Report) -> str:
    """The JSON array of events, one per line."""
    shared = _Shared(report)
    events = [json.dumps(event(f, report, shared)) for f in report.findings]
    return "[\n" + ",\n".join(events) + "\n]\n" if events else "[]\n"
