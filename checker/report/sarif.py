"""SARIF 2.1.0, as GitHub code scanning ingests it."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Any

from checker import rules
from checker.findings import Finding, Reason, Severity, Status
from checker.report.common import fingerprint, help_uri, repo_path, sentence, unknown_tag
from checker.report.model import Report
from checker.rules.base import Rule

SCHEMA_URI = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)
SRCROOT = "%SRCROOT%"
# GitHub maps security-severity to critical (>= 9), high (>= 7), medium (>= 4), low.
SECURITY_SEVERITY = {
    Severity.CRITICAL: "9.5",
    Severity.HIGH: "8.0",
    Severity.MEDIUM: "5.5",
    Severity.LOW: "3.0",
}
LEVEL = {
    Severity.CRITICAL: "error",
    Severity.HIGH: "error",
    Severity.MEDIUM: "warning",
    Severity.LOW: "note",
}


def _camel(title: str) -> str:
    return "".join(w.capitalize() for w in re.findall(r"[A-Za-z0-9]+", title))


def rule_descriptor(rule: Rule) -> dict[str, Any]:
    """reportingDescriptor for one rule."""
    example = f"```hcl\n{rule.example}\n```"
    return {
        "id": rule.id,
        "name": _camel(rule.title),
        "shortDescription": {"text": rule.title},
        "fullDescription": {"text": rule.why},
        "help": {
            "text": f"{rule.why}\nFix: {rule.fix}\n\n{rule.example}",
            "markdown": f"{rule.why}\n\n**Fix:** {rule.fix}\n\n{example}",
        },
        "helpUri": help_uri(rule.id),
        "defaultConfiguration": {"level": LEVEL[rule.severity]},
        "properties": {
            "security-severity": SECURITY_SEVERITY[rule.severity],
            "tags": ["dynamodb", "terraform", rule.check],
            "precision": "high",
        },
    }


def artifact(path: str) -> dict[str, str]:
    """A file as code scanning expects it: relative to the git root (`%SRCROOT%`) when the
    file is in a work tree, else as given."""
    uri, in_repo = repo_path(path)
    return {"uri": uri, "uriBaseId": SRCROOT} if in_repo else {"uri": uri}


def _locations(f: Finding, kind: str) -> list[dict[str, Any]]:
    logical = {"fullyQualifiedName": f.resource,
               "kind": "resource" if kind != "live" else "object"}
    loc: dict[str, Any] = {"logicalLocations": [logical]}
    if kind != "live" and f.location is not None and f.location.file:
        loc["physicalLocation"] = {
            "artifactLocation": artifact(f.location.file),
            "region": {"startLine": f.location.line or 1},
        }
    return [loc]


def _result(f: Finding, index: int, kind: str, regions: bool) -> dict[str, Any]:
    text = sentence(f, f.placed(regions))
    result: dict[str, Any] = {
        "ruleId": f.rule_id,
        "ruleIndex": index,
        "message": {"text": text},
        "locations": _locations(f, kind),
        "partialFingerprints": {"tablespec/v1": fingerprint(f)},
        "properties": {"table": f.table, "environment": f.environment, "check": f.check,
                       "status": f.status.value, "field": f.field,
                       **({"region": f.region} if f.region else {}),
                       **({"reason": f.reason.value} if f.reason else {})},
    }
    if f.status is Status.FAIL:
        result.update(kind="fail", level=LEVEL[f.severity])
    elif f.status is Status.UNKNOWN and f.reason is not Reason.NOT_EVALUATED:
        # what the source cannot tell: a warning in code scanning, never invisible (SARIF
        # allows a level other than none only on kind fail)
        result.update(kind="fail", level="warning")
        result["message"]["text"] = unknown_tag(f) + text
    elif f.status is Status.UNKNOWN:  # not evaluated: its cause is reported once elsewhere
        result.update(kind="review", level="none")
    else:  # waived: still a failure, suppressed with its justification
        result.update(kind="fail", level=LEVEL[f.severity])
        result["suppressions"] = [{"kind": "external", "status": "accepted",
                                   "justification": f.message}]
    return result


def _slug(text: str) -> str:
    """*text* as one component of a category: letters, digits, `.`, `_` and `-` (at most 60
    characters, a long one ending in a digest of the whole)."""
    slug = re.sub(r"[^A-Za-z0-9._-]+", "-", text).strip("-") or "default"
    if len(slug) > 60:
        slug = f"{slug[:47]}-{hashlib.sha256(text.encode()).hexdigest()[:12]}"
    return slug


def category(report: Report) -> str:
    """`automationDetails.id`: the tool, the kind, the environments and the target, so that
    two runs of one workflow (`plan` for dev and for prod, two roots) upload as categories
    of their own (GitHub rejects uploads that share one), and the same run again replaces
    its own analysis. The run id after the last `/` is left empty."""
    envs = "+".join(sorted(report.environments)) or "all"
    return f"tablespec/{report.source_kind}/{_slug(envs)}/{_slug(report.target)}/"


def sarif_dict(report: Report) -> dict[str, Any]:
    """The SARIF log: every rule, and a result for every finding that is not a pass."""
    registry = rules.RULES
    index = {rule.id: i for i, rule in enumerate(registry)}
    regions = report.regions
    results = [_result(f, index[f.rule_id], report.source_kind, regions)
               for f in report.findings if f.status is not Status.PASS]
    notes = [{"level": "warning", "message": {"text": n.message},
              "properties": {"kind": n.kind.value}} for n in report.notes]
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "tablespec",
                "version": report.version,
                "semanticVersion": report.version,
                "informationUri": help_uri("index").split("#")[0],
                "rules": [rule_descriptor(rule) for rule in registry],
            }},
            "automationDetails": {"id": category(report)},
            "invocations": [{"executionSuccessful": not report.errors,
                             "toolExecutionNotifications": notes}],
            "results": results,
            "properties": {"spec": report.spec_path, "target": report.target,
                           "environments": report.environments},
        }],
    }


def render(report: Report) -> str:
    """The SARIF text."""
    return json.dumps(sarif_dict(report), indent=2) + "\n"
