"""JUnit XML: a testsuite per table and environment, a testcase per check."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from itertools import groupby

from checker.findings import Finding, Status
from checker.report.model import Report


def _case_names(items: list[Finding]) -> list[str]:
    """`RULE field`, with the resource added where that alone is not unique in the suite."""
    base = [f"{f.rule_id} {f.field or f.check}" for f in items]
    return [name if base.count(name) == 1 else f"{name} [{f.resource}]"
            for name, f in zip(base, items, strict=True)]


def _detail(f: Finding) -> str:
    return (f"{f.message}\nexpected: {f.expected}\nactual:   {f.actual}\n"
            f"resource: {f.resource}\nseverity: {f.severity.value}")


def render(report: Report) -> str:
    """The JUnit XML text."""
    root = ET.Element("testsuites", name=f"tablespec {report.source_kind} {report.target}")
    totals = {"tests": 0, "failures": 0, "skipped": 0}

    regions = report.regions

    def key(f: Finding) -> tuple[str, str, str]:
        return (f.environment, f.table, f.region if f.region and (regions or f.replica) else "")

    for (env, table, region), group in groupby(sorted(report.findings, key=key), key=key):
        items = list(group)
        suite = ET.SubElement(root, "testsuite", name=f"{table} ({items[0].placed(regions)})")
        counts = {"tests": len(items), "failures": 0, "skipped": 0}
        classname = ".".join(p for p in ("tablespec", env, table, region) if p)
        for f, name in zip(items, _case_names(items), strict=True):
            case = ET.SubElement(suite, "testcase", name=name, classname=classname)
            if f.status is Status.FAIL:
                counts["failures"] += 1
                node = ET.SubElement(case, "failure", message=f.message, type=f.severity.value)
                node.text = _detail(f)
            elif f.status in (Status.UNKNOWN, Status.WAIVED):
                counts["skipped"] += 1
                ET.SubElement(case, "skipped", message=f"{f.status.value}: {f.message}")
        suite.set("tests", str(counts["tests"]))
        suite.set("failures", str(counts["failures"]))
        suite.set("errors", "0")
        suite.set("skipped", str(counts["skipped"]))
        for k in totals:
            totals[k] += counts[k]
    for k, v in totals.items():
        root.set(k, str(v))
    root.set("errors", "0")
    if report.notes:
        ET.SubElement(root, "system-out").text = "\n".join(n.message for n in report.notes)
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, "unicode") + "\n"
