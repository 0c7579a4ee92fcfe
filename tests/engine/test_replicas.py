"""Replicas through the engine and the reports: each judged in its own region, the region on
every finding, kept apart by every report format, waivers and inline skips."""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from dataclasses import replace
from typing import Any

from checker.findings import Finding, Status
from checker.model import InlineSkip, TableState
from checker.pipeline import Batch, run
from checker.report import jsonreport, junit, markdown, sarif, text
from checker.runpolicy import RunPolicy
from checker.specfile.model import Spec
from checker.waivers import Waiver
from tests.rules.harness import EVENTS, states
from tests.rules.harness import run as evaluate_states

EAST = "us-east-1"


def _with_replica(spec: Spec, **changes: Any) -> list[TableState]:
    """The spec's compliant prod tables in eu-west-1, and a replica of EVENTS in EAST."""
    found = [replace(s, region="eu-west-1") for s in states(spec)]
    table = next(s for s in found if s.name == f"{spec.project}-{EVENTS}-prod")
    return [*found, replace(table, replica=EAST, region=EAST, alarms=list(table.alarms),
                            **changes)]


def _of(findings: list[Finding], rule: str) -> dict[str | None, Status]:
    return {f.region: f.status for f in findings if f.table == EVENTS and f.rule_id == rule}


def test_each_replica_is_judged_in_its_own_region(spec: Spec) -> None:
    findings = evaluate_states(spec, _with_replica(spec, pitr=False))
    assert _of(findings, "TS-PITR-001") == {"eu-west-1": Status.PASS, EAST: Status.FAIL}
    assert _of(findings, "TS-PRES-001") == {"eu-west-1": Status.PASS, EAST: Status.PASS}
    others = {f.table for f in findings if f.region == EAST}
    assert others == {EVENTS}


def test_replicas_alone_do_not_make_their_table_absent(spec: Spec) -> None:
    """An aws_dynamodb_table_replica whose table another root declares."""
    only = [s for s in _with_replica(spec) if s.replica is not None or s.name != (
        f"{spec.project}-{EVENTS}-prod")]
    findings = evaluate_states(spec, only)
    assert _of(findings, "TS-PRES-001") == {EAST: Status.PASS}


def test_two_replicas_in_one_region_are_one_replica_declared_twice(spec: Spec) -> None:
    found = _with_replica(spec)
    findings = evaluate_states(spec, [*found, replace(found[-1], resource="other.r")])
    presence = [f for f in findings if f.table == EVENTS and f.rule_id == "TS-PRES-001"
                and f.region == EAST]
    assert sorted(f.status.value for f in presence) == ["fail", "pass"]


def _report(spec: Spec, waivers: tuple[Waiver, ...] = (), **changes: Any) -> list[Finding]:
    batch = Batch("plan.json", _with_replica(spec, **changes))
    return run(spec, [batch], kind="plan", target="plan.json", waivers=waivers,
               policy=RunPolicy(mismatch_is_finding=True)).report.findings


def test_every_report_format_keeps_a_tables_replicas_apart(spec: Spec) -> None:
    batch = Batch("plan.json", _with_replica(spec, pitr=False))
    report = run(spec, [batch], kind="plan", target="plan.json",
                 policy=RunPolicy(mismatch_is_finding=True)).report
    data = json.loads(jsonreport.render(report))
    failing = [f for f in data["findings"] if f["status"] == "fail"]
    assert [(f["rule_id"], f["table"], f["region"]) for f in failing] == [
        ("TS-PITR-001", EVENTS, EAST)]
    assert all(f["region"] in ("eu-west-1", EAST) for f in data["findings"])
    log = sarif.render(report)
    results = json.loads(log)["runs"][0]["results"]
    prints = [r["partialFingerprints"]["tablespec/v1"] for r in results]
    assert len(prints) == len(set(prints))  # the replica's findings are not the table's
    bad = [r for r in results if r["properties"]["status"] == "fail"]
    assert [r["properties"]["region"] for r in bad] == [EAST]
    assert bad[0]["message"]["text"].startswith(f"{EVENTS} (prod, {EAST}): ")
    assert f"{EVENTS} (prod, {EAST}): " in text.render(report)
    assert f"| `TS-PITR-001` | {EVENTS} | prod, {EAST} |" in markdown.render(report)
    suites = ET.fromstring(junit.render(report).split("\n", 1)[1]).findall("testsuite")
    names = [s.get("name") for s in suites]
    assert f"{EVENTS} (prod, {EAST})" in names and f"{EVENTS} (prod, eu-west-1)" in names


def test_a_waiver_with_a_region_covers_that_replica_only(spec: Spec) -> None:
    def waiver(region: str | None) -> Waiver:
        return Waiver(EVENTS, "TS-PITR-001", "TICKET-9", "ops", dt.date(2099, 1, 1),
                      region=region)

    both = _report(spec, (waiver(EAST),), pitr=False)
    assert _of(both, "TS-PITR-001")[EAST] is Status.WAIVED
    elsewhere = _report(spec, (waiver("ap-south-1"),), pitr=False)
    assert _of(elsewhere, "TS-PITR-001")[EAST] is Status.FAIL


def test_an_inline_skip_with_a_region_covers_that_replica_only(spec: Spec) -> None:
    skip = InlineSkip("TS-PITR-001", "TICKET-9", region="ap-south-1")
    found = _report(spec, pitr=False, skips=(skip,))
    assert _of(found, "TS-PITR-001")[EAST] is Status.FAIL
    found = _report(spec, pitr=False, skips=(replace(skip, region=EAST),))
    assert _of(found, "TS-PITR-001")[EAST] is Status.WAIVED
