"""`tablespec merge REPORT.json ...`: one report from many (e.g. one audit per account/region).

The JSON reports are read back into findings and notes, and written again in any format,
with the summary counted anew and the exit code of the whole: a scheduled audit that fans
out over accounts (one job each) ends with one report and one verdict.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from checker.commands.output import emit, gate
from checker.errors import RunError
from checker.findings import Finding, Note, NoteKind, Reason, Severity, Status
from checker.model import Location
from checker.pipeline import EXIT_CLEAN, EXIT_FAILED, Outcome
from checker.report.model import Report

_KEYS = ("rule_id", "check", "table", "environment", "resource", "status", "severity",
         "message", "expected", "actual")


def _finding(raw: Any, where: str) -> Finding:
    if not isinstance(raw, dict) or any(not isinstance(raw.get(k), str) for k in _KEYS):
        raise RunError(f"{where}: not a tablespec finding (it needs {', '.join(_KEYS)})")
    loc = raw.get("location")
    try:
        return Finding(
            rule_id=raw["rule_id"], check=raw["check"], table=raw["table"],
            environment=raw["environment"], resource=raw["resource"],
            location=Location(loc.get("file"), loc.get("line")) if isinstance(loc, dict)
            else None,
            status=Status(raw["status"]), severity=Severity(raw["severity"]),
            message=raw["message"], expected=raw["expected"], actual=raw["actual"],
            field=str(raw.get("field") or ""),
            reason=Reason(raw["reason"]) if raw.get("reason") else None)
    except ValueError as err:
        raise RunError(f"{where}: {err}") from None


def _note(raw: Any) -> Note:
    kind = str(raw.get("kind")) if isinstance(raw, dict) else ""
    message = str(raw.get("message", "")) if isinstance(raw, dict) else str(raw)
    try:
        return Note(NoteKind(kind), message)
    except ValueError:  # a note kind of another version: keep what it says
        return Note(NoteKind.SOURCE, message)


def read_report(path: str) -> dict[str, Any]:
    """One JSON report; RunError (exit 2) when it is not one of tablespec's."""
    try:
        data = json.loads(Path(path).read_bytes())
    except FileNotFoundError:
        raise RunError(f"{path}: report not found") from None
    except OSError as err:
        raise RunError(f"{path}: cannot read the report: {err.strerror}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise RunError(f"{path}: not JSON ({err}); pass reports written with --format json") \
            from None
    tool = data.get("tool") if isinstance(data, dict) else None
    if not isinstance(tool, dict) or tool.get("name") != "tablespec" or not isinstance(
            data.get("findings"), list) or not isinstance(data.get("source"), dict):
        raise RunError(f"{path}: not a tablespec JSON report (--format json)")
    report: dict[str, Any] = data
    return report


def run(args: argparse.Namespace) -> int:
    """Merge the reports and write the result; the exit code says what the whole says."""
    reports = [(p, read_report(p)) for p in args.reports]
    kinds = {str(r["source"].get("kind")) for _, r in reports}
    specs = {str(r.get("spec")) for _, r in reports}
    if len(kinds) > 1:
        raise RunError(f"reports of different kinds ({', '.join(sorted(kinds))}) cannot be "
                       "merged into one: merge those of one source")
    if len(specs) > 1:
        raise RunError(f"reports against different specs ({', '.join(sorted(specs))}) cannot "
                       "be merged into one")
    findings = [_finding(f, f"{p}: finding {i + 1}") for p, r in reports
                for i, f in enumerate(r["findings"])]
    notes = list(dict.fromkeys(_note(n) for _, r in reports for n in r.get("notes") or []))
    scope = [s for _, r in reports for s in r["source"].get("scope") or []
             if isinstance(s, dict)]
    kind = kinds.pop()
    envs = list(dict.fromkeys(f.environment for f in findings))
    policy = gate(args, unknown_fails=kind == "live" and not args.allow_unknown)
    report = Report(kind, ", ".join(str(r["source"].get("target")) for _, r in reports),
                    specs.pop(), findings, envs, notes, scope, policy)
    failed = policy.failing(findings)
    return emit(Outcome(report, EXIT_FAILED if failed else EXIT_CLEAN), args)
