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


def report_dict(report: Report, findings: bool = True) -> dict[str, Any]:
    """The whole report in contract form (without its findings: its envelope only)."""
    source: dict[str, Any] = {"kind": report.source_kind, "target": report.target}
    if report.scope:
        source["scope"] = report.scope
    return {
        "tool": {"name": "tablespec", "version": report.version},
        "source": source,
        "spec": report.spec_path,
        "summary": report.contract_summary(),
        **({"findings": [finding_dict(f) for f in report.findings]} if findings else {}),
        "notes": [{"kind": n.kind.value, "message": n.message} for n in report.notes],
    }


_ENCODE = json.encoder.encode_basestring_ascii  # json.dumps's own encoder of a str
_BREAK = ('}, {"rule_id": ', '},\n    {"rule_id": ')


def _string(value: str | None) -> str:
    """A str (or None) as json.dumps writes it."""
    return "null" if value is None else _ENCODE(value)


def finding_line(f: Finding) -> str:
    """One finding as `json.dumps(finding_dict(f))` writes it, without the dict: the strings
    through json's own encoder (non-ASCII escaped, as json.dumps does), in the same order
    with the same separators. A value of another type than the report's own (a str, a
    line number) is written by json.dumps itself."""
    loc = f.location
    try:
        if loc is None or not (loc.file or loc.line):
            location = "null"
        elif loc.line is None or type(loc.line) is int:
            line = "null" if loc.line is None else int.__repr__(loc.line)
            location = f'{{"file": {_string(loc.file)}, "line": {line}}}'
        else:
            raise TypeError("not an int")
        return (f'{{"rule_id": {_ENCODE(f.rule_id)}, "check": {_ENCODE(f.check)}, '
                f'"table": {_ENCODE(f.table)}, "environment": {_ENCODE(f.environment)}, '
                f'"resource": {_ENCODE(f.resource)}, "location": {location}, '
                f'"status": {_ENCODE(f.status.value)}, '
                f'"severity": {_ENCODE(f.severity.value)}, "message": {_ENCODE(f.message)}, '
                f'"expected": {_ENCODE(f.expected)}, "actual": {_ENCODE(f.actual)}, '
                f'"field": {_ENCODE(f.field)}, '
                f'"reason": {_ENCODE(f.reason.value) if f.reason else "null"}, '
                f'"region": {_string(f.region)}}}')
    except TypeError:  # a value that is not a str: json.dumps decides how it is written
        return json.dumps(finding_dict(f)).replace(*_BREAK)


def render(report: Report) -> str:
    """The JSON text: the envelope indented, one finding per line.

    json.dumps with indent= runs the pure-Python encoder, and even the C encoder spends
    most of a large report on dicts made only to be encoded; so the envelope is indented by
    json.dumps and each finding is one line written by `finding_line`, exactly as
    `json.dumps(findings)` broken at `}, {"rule_id": ` would write it. The text is joined
    once, from the lines: a report of 20,000 findings is 10 MB.
    """
    data = report_dict(report, findings=False)
    notes = json.dumps(data.pop("notes"), indent=2).replace("\n", "\n  ")
    head = json.dumps(data, indent=2)[:-2]  # drop the closing "\n}"
    end = f',\n  "notes": {notes}\n}}\n'
    if not report.findings:
        return f'{head},\n  "findings": []{end}'
    lines = [finding_line(f) for f in report.findings]
    lines[0] = f'{head},\n  "findings": [\n    {lines[0]}'
    lines[-1] = f"{lines[-1]}\n  ]{end}"
    return ",\n    ".join(lines)
