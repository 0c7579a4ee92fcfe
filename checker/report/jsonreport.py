"""The JSON report, exactly as the contract in DESIGN.md describes it."""

from __future__ import annotations

import json
from typing import Any

from checker.findings import Finding
from checker.report.model import Report


def finding_dict(f: Finding) -> dict[str, Any]:
    """One finding in contract form."""
    location = None
    if f.location is not None and (f.location.file or f.location.line):
        location = {"file": f.location.file, "line": f.location.line}
    return {
        "rule_id": f.rule_id,
        "check": f.check,
        "table": f.table,
        "environment": f.environment,
        "resource": f.resource,
        "location": location,
        "status": f.status.value,
        "severity": f.severity.value,
        "message": f.message,
        "expected": f.expected,
        "actual": f.actual,
        "field": f.field,
        "reason": f.reason.value if f.reason else None,
        "region": f.region,
    }


def report_dict(report: Report) -> dict[str, Any]:
    """The whole report in contract form."""
    source: dict[str, Any] = {"kind": report.source_kind, "target": report.target}
    if report.scope:
        source["scope"] = report.scope
    return {
        "tool": {"name": "tablespec", "version": report.version},
        "source": source,
        "spec": report.spec_path,
        "summary": report.contract_summary(),
        "findings": [finding_dict(f) for f in report.findings],
        "notes": [{"kind": n.kind.value, "message": n.message} for n in report.notes],
    }


def render(report: Report) -> str:
    """The JSON text: the envelope indented, one finding per line.

    json.dumps with indent= runs the pure-Python encoder; this layout keeps the C encoder
    for the findings, which are almost all of a large report. The list is encoded at once
    and broken at `}, {"rule_id": `, which can only be structural: inside a JSON string
    every quote is escaped.
    """
    data = report_dict(report)
    findings = data.pop("findings")
    notes = json.dumps(data.pop("notes"), indent=2).replace("\n", "\n  ")
    head = json.dumps(data, indent=2)[:-2]  # drop the closing "\n}"
    body = json.dumps(findings)[1:-1].replace('}, {"rule_id": ', '},\n    {"rule_id": ')
    listed = f"[\n    {body}\n  ]" if findings else "[]"
    return f'{head},\n  "findings": {listed},\n  "notes": {notes}\n}}\n'
