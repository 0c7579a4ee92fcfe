"""GitLab Code Quality: a JSON array of issues for the merge request widget.

One issue per failing finding, and per unknown one (severity `info`, its reason first); a
waived finding is left out, as a pass is. Each issue is on the `.tf` or template line the
finding has; a finding without one (a table missing from a plan, an audit's findings) is on
the spec's line of its table.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from checker.findings import Finding, Reason, Severity, Status
from checker.report.common import RepoPaths, fingerprint, sentence, shown_path, unknown_tag
from checker.report.model import Report

SEVERITY = {Severity.LOW: "minor", Severity.MEDIUM: "major", Severity.HIGH: "critical",
            Severity.CRITICAL: "blocker"}


def listed(f: Finding) -> bool:
    """Whether *f* is an issue: a failure, or an unknown that was evaluated."""
    return f.status is Status.FAIL or (
        f.status is Status.UNKNOWN and f.reason is not Reason.NOT_EVALUATED)


def _location(f: Finding, report: Report, paths: RepoPaths) -> dict[str, Any]:
    if f.location is not None and f.location.file:
        path, line = f.location.file, f.location.line or 1
    else:
        path, line = report.spec_path, report.spec_lines.get(f.table, 1)
    return {"path": _relative(path, paths), "lines": {"begin": max(1, line)}}


def _relative(path: str, paths: RepoPaths) -> str:
    """*path* as GitLab wants it: relative to the repository (or else as reports show it)."""
    shown, in_repo = paths(path)
    return shown if in_repo else shown_path(shown)


def issue(f: Finding, report: Report, regions: bool, paths: RepoPaths) -> dict[str, Any]:
    """The Code Quality issue of one finding (*regions*: `report.regions`)."""
    text = f"{f.rule_id} {sentence(f, f.placed(regions))}"
    if f.status is Status.UNKNOWN:
        text = unknown_tag(f) + text
    return {
        "description": text,
        "check_name": f.rule_id,
        "fingerprint": fingerprint(f),
        "severity": SEVERITY[f.severity] if f.status is Status.FAIL else "info",
        "location": _location(f, report, paths),
    }


def render(report: Report) -> str:
    """The JSON array of issues, one per line; fingerprints unique within it (GitLab shows
    only the first issue of a fingerprint)."""
    seen: set[str] = set()
    lines = []
    regions, paths = report.regions, RepoPaths()
    for f in report.findings:
        if not listed(f):
            continue
        item = issue(f, report, regions, paths)
        while item["fingerprint"] in seen:
            item["fingerprint"] = hashlib.sha256(item["fingerprint"].encode()).hexdigest()[:32]
        seen.add(item["fingerprint"])
        lines.append(json.dumps(item))
    return "[\n" + ",\n".join(lines) + "\n]\n" if lines else "[]\n"
