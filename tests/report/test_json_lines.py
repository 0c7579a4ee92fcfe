"""The JSON report's findings are written line by line, byte for byte as json.dumps wrote
them: every text (non-ASCII, control characters, quotes, lone surrogates) and every value
of another type than the report's own goes through json's own encoding."""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from checker.findings import Finding, Severity, Status
from checker.model import Location
from checker.report.jsonreport import finding_dict, finding_line, render, report_dict
from checker.report.model import Report
from checker.unknown import Reason

TEXT = st.text(st.characters(codec=None, exclude_categories=()), max_size=40)
LINE = st.one_of(st.none(), st.integers(-(10**20), 10**20))


def reference(report: Report) -> str:
    """The report as json.dumps wrote it before: the findings encoded as one list and
    broken at each finding."""
    data = report_dict(report)
    findings = data.pop("findings")
    notes = json.dumps(data.pop("notes"), indent=2).replace("\n", "\n  ")
    head = json.dumps(data, indent=2)[:-2]
    body = json.dumps(findings)[1:-1].replace('}, {"rule_id": ', '},\n    {"rule_id": ')
    listed = f"[\n    {body}\n  ]" if findings else "[]"
    return f'{head},\n  "findings": {listed},\n  "notes": {notes}\n}}\n'


@st.composite
def findings(draw: st.DrawFn) -> Finding:
    location = draw(st.one_of(st.none(), st.builds(
        Location, st.one_of(st.none(), TEXT), LINE)))
    return Finding(
        rule_id=draw(TEXT), check=draw(TEXT), table=draw(TEXT), environment=draw(TEXT),
        resource=draw(TEXT), location=location, status=draw(st.sampled_from(Status)),
        severity=draw(st.sampled_from(Severity)), message=draw(TEXT), expected=draw(TEXT),
        actual=draw(TEXT), field=draw(TEXT), reason=draw(st.one_of(st.none(),
                                                                   st.sampled_from(Reason))),
        region=draw(st.one_of(st.none(), TEXT)))


@settings(deadline=None)  # a busy machine is no failure
@given(findings())
def test_a_finding_line_is_what_json_dumps_writes(finding: Finding) -> None:
    assert finding_line(finding) == json.dumps(finding_dict(finding))


@settings(deadline=None)  # a busy machine is no failure
@given(st.lists(findings(), max_size=4), st.sampled_from(["plan", "hcl"]))
def test_the_report_is_what_it_was_byte_for_byte(found: list[Finding], kind: str) -> None:
    report = Report(findings=found, notes=[], source_kind=kind, target="t.json",
                    spec_path="specs/tables.yaml")
    assert render(report) == reference(report)
    json.loads(render(report))


ODD: list[Any] = [3, 2.5, float("nan"), True, ["a", {"rule_id": "x"}], {"k": "é"}, None,
                  {"rule_id": "inner"}]


def test_values_of_other_types_are_written_by_json_itself() -> None:
    number: Any = 5
    base = Finding(rule_id="TS-X-001", check="x", table="t", environment="prod",
                   resource="r", location=Location("f.tf", 3), status=Status.PASS,
                   severity=Severity.LOW, message="m", expected="e", actual="a")
    variants = [replace(base, actual=v) for v in ODD] + [
        replace(base, location=Location("f.tf", True)),  # a bool is no line number
        replace(base, location=Location(None, 0)), replace(base, location=Location("", 7)),
        replace(base, region=number), replace(base, message="tab\there, quote \" é \x7f \ud800")]
    for finding in variants:
        assert finding_line(finding) == json.dumps(finding_dict(finding)), finding
    report = Report(findings=variants, notes=[], source_kind="plan", target="t.json",
                    spec_path="s.yaml")
    assert render(report) == reference(report)
