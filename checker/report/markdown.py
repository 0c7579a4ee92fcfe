"""Markdown for $GITHUB_STEP_SUMMARY and PR comments: short when clean."""

from __future__ import annotations

from collections import Counter

from checker.findings import Finding, Status
from checker.report.model import ERROR, PASSED, Report
from checker.rules import BY_ID


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _row(f: Finding, regions: bool) -> str:
    fix = BY_ID[f.rule_id].fix if f.rule_id in BY_ID else ""
    cells = [f"`{f.rule_id}`", f.table, f.placed(regions), f.severity.value, f.message,
             f.expected, f.actual, fix]
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


_HEAD = ("| Rule | Table | Env | Severity | Problem | Expected | Actual | Fix |\n"
         "|---|---|---|---|---|---|---|---|")


def render(report: Report) -> str:
    """The Markdown text."""
    s = report.contract_summary()
    verdict, why = report.verdict()
    word = {PASSED: "passed", ERROR: "could not finish"}.get(verdict, "failed")
    lines = [f"### tablespec {word}: {report.source_kind} `{report.target}`", "",
             f"{s['passed']} passed, {s['failed']} failed, {s['unknown']} unknown, "
             f"{s['waived']} waived (spec `{report.spec_path}`, environment "
             f"{', '.join(report.environments) or '-'})" + (f": {why}" if why else "")]
    regions = report.regions
    if s["failed"] or s["unknown"] or s["waived"]:
        per = Counter((f.table, f.placed(regions), f.status) for f in report.findings)
        tables = sorted({(f.table, f.placed(regions)) for f in report.findings})
        lines += ["", "| Table | Env | Passed | Failed | Unknown | Waived |",
                  "|---|---|---|---|---|---|"]
        for table, env in tables:
            counts = [str(per[(table, env, st)]) for st in
                      (Status.PASS, Status.FAIL, Status.UNKNOWN, Status.WAIVED)]
            lines.append(f"| {table} | {env} | " + " | ".join(counts) + " |")
    for title, status in (("Failures", Status.FAIL), ("Unknown", Status.UNKNOWN),
                          ("Waived", Status.WAIVED)):
        chosen = [f for f in report.findings if f.status is status]
        if chosen:
            lines += ["", f"#### {title}", "", _HEAD, *(_row(f, regions) for f in chosen)]
    if report.notes:
        lines += ["", *(f"> {n.message}" for n in report.notes)]
    return "\n".join(lines) + "\n"
