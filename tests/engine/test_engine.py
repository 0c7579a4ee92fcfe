"""The engine: placing tables, absent and stray ones, environments, rules that raise."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from checker import pipeline, rules
from checker.cli import main
from checker.errors import RunError
from checker.findings import Reason, Severity, Status
from checker.rules.base import Rule, Subject, Verdict
from checker.runpolicy import RunPolicy
from checker.specfile.model import Spec
from checker.unknown import Unknown
from tests.rules.harness import REWARDS, SESSIONS, decisive, not_passing, run, states
from tests.support.builders import compliant
from tests.support.paths import REPO

DRIFT = str(REPO / "checker" / "data" / "demo-drift.plan.json")
SPEC = str(REPO / "specs" / "tables.yaml")


def applicable(spec: Spec, env: str) -> set[tuple[str, str]]:
    """(rule id, table) of every registered rule that applies to a spec table in *env*."""
    return {(r.id, name) for name, t in spec.tables.items() for r in rules.RULES
            if r.applies(t, env)}


def test_compliant_states_pass_every_applicable_rule(spec: Spec) -> None:
    findings = run(spec, states(spec))
    assert findings and not not_passing(findings)
    found = {(f.rule_id, f.table) for f in findings}
    # every applicable rule reports on every table, except TTL sampling when nothing was sampled
    assert found == {(r, t) for r, t in applicable(spec, "prod") if r != "TS-TTL-003"}


def test_an_absent_table_fails_presence_once_and_its_other_checks_are_not_evaluated(
    spec: Spec
) -> None:
    sts = [s for s in states(spec) if s.resource != "aws_dynamodb_table.player_rewards"]
    findings = [f for f in run(spec, sts) if f.table == REWARDS]
    assert decisive(findings) == [("fail", "TS-PRES-001", REWARDS, "name")]
    (fail,) = [f for f in findings if f.status is Status.FAIL]
    assert fail.resource == "hypermage-vr-player-rewards-prod"
    rest = {(f.rule_id, f.reason) for f in findings if f.rule_id != "TS-PRES-001"}
    wanted = {r for r, t in applicable(spec, "prod") if t == REWARDS} - {"TS-PRES-001",
                                                                         "TS-TTL-003"}
    assert rest == {(r, Reason.NOT_EVALUATED) for r in wanted}


def test_pooled_places_answer_for_each_other_unless_they_overlap(spec: Spec) -> None:
    """A monorepo's roots each hold some of the tables (`pooled`): a spec table is absent
    only where no place that shares no table with it holds it. Two places that both hold
    a table of an environment are two deployments (a root per region): each must hold
    every table itself. Unpooled (the audit's regions), each place must hold them all."""
    prod = states(spec, "prod")
    rewards = [s for s in prod if s.resource == "aws_dynamodb_table.player_rewards"]
    sessions = [s for s in prod if s.resource == "aws_dynamodb_table.player_sessions"]
    rest = [s for s in prod if s not in rewards]

    def failed(batches: list[pipeline.Batch], pooled: bool = True,
               others: tuple[set[tuple[str, str]], ...] = ()) -> list[tuple[str, ...]]:
        out = pipeline.run(spec, batches, kind="hcl", target="t",
                           policy=RunPolicy(pooled=pooled), others=others)
        return [(f.rule_id, f.table, f.environment, f.field, f.message.split(" in ")[1][:1])
                for f in out.report.findings if f.status is Status.FAIL]

    split = [pipeline.Batch("a", rewards), pipeline.Batch("b", rest)]
    assert failed(split) == []
    assert {f[1] for f in failed(split, pooled=False)} == set(spec.tables)
    overlapping = [pipeline.Batch("a", rest), pipeline.Batch("b", [*sessions, *rewards])]
    (events,) = set(spec.tables) - {REWARDS, SESSIONS}
    assert failed(overlapping) == [("TS-PRES-001", REWARDS, "prod", "name", "a"),
                                   ("TS-PRES-001", events, "prod", "name", "b")]
    assert failed([pipeline.Batch("a", rest)], others=({(REWARDS, "prod")},)) == []
    assert failed([pipeline.Batch("a", rest)]) == [("TS-PRES-001", REWARDS, "prod", "name", "a")]


def test_a_table_outside_the_pattern_is_noted_not_checked(spec: Spec) -> None:
    odd = replace(compliant(spec, spec.tables[SESSIONS], "prod"), name="legacy_sessions",
                  resource="aws_dynamodb_table.legacy")
    ev = pipeline.run(spec, [pipeline.Batch("t", [*states(spec), odd])], kind="plan", target="t")
    assert not [f for f in ev.report.findings if f.resource == odd.resource]
    assert [(n.kind.value, n.message) for n in ev.report.notes] == [
        ("ignored_tables", "1 table(s) outside the naming pattern, not checked: legacy_sessions")]


def test_the_environment_comes_from_names_or_the_flag(spec: Spec) -> None:
    findings = run(spec, states(spec, "staging"))
    assert {f.environment for f in findings} == {"staging"}
    with pytest.raises(RunError, match="pass --env"):
        pipeline.run(spec, [pipeline.Batch("t", [])], kind="plan", target="t")
    with pytest.raises(RunError, match="not an environment"):
        pipeline.run(spec, [pipeline.Batch("t", [])], kind="plan", target="t", environment="qa")
    missing = run(spec, [], "prod")
    assert {f.table for f in missing if f.rule_id == "TS-PRES-001"} == set(spec.tables)


def test_tables_of_other_environments_are_noted_not_checked(spec: Spec) -> None:
    out = pipeline.run(spec, [pipeline.Batch("t", [*states(spec, "prod"), *states(spec, "dev")])],
                       kind="plan", target="t", environment="prod")
    assert {f.environment for f in out.report.findings} == {"prod"}
    dev = sorted(f"hypermage-vr-{t}-dev" for t in spec.tables)
    assert [(n.kind.value, n.message) for n in out.report.notes] == [
        ("other_environments", f"{len(dev)} table(s) of environments other than prod, not "
         f"checked: {', '.join(dev)}")]


def test_the_environment_tag_places_a_table_whose_name_is_unknown(spec: Spec) -> None:
    anon = replace(compliant(spec, spec.tables[SESSIONS], "staging"),
                   name=Unknown("name known after apply"), resource="aws_dynamodb_table.x")
    findings = run(spec, [anon])
    assert {f.environment for f in findings} == {"staging"}
    assert [(f.rule_id, f.status.value) for f in findings if f.table == "(unnamed)"] == [
        ("TS-NAME-001", "unknown")]


def test_the_environment_tag_key_comes_from_the_spec(spec: Spec) -> None:
    custom = replace(spec, environment_tag="env")
    tags = {"Project": "p", "env": "dev", "Owner": "o", "CostCenter": "c", "Environment": "x"}
    got = not_passing(run(custom, states(custom, **{SESSIONS: {"tags": tags}})))
    assert got == [("fail", "TS-NAME-002", SESSIONS, "tags.env")]


def _boom(s: Subject) -> list[Verdict]:
    raise ZeroDivisionError("division by zero")


BOOM = Rule(id="TS-TEST-999", check="pitr", severity=Severity.HIGH, title="raises",
            why="a test", fix="none", example="", evaluate=_boom)


def test_a_rule_that_raises_is_contained_and_the_run_exits_3(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "r.json"
    args = ["plan", DRIFT, "--spec", SPEC, "--format", f"json={out}"]
    assert main(args) == 1
    before = json.loads(out.read_text())["findings"]
    capsys.readouterr()
    monkeypatch.setattr(rules, "RULES", (*rules.RULES, BOOM))
    assert main(args) == 3
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "internal error" in err and "TABLESPEC_DEBUG=1" in err
    after = json.loads(out.read_text())["findings"]
    crashed = [f for f in after if f["rule_id"] == BOOM.id]
    spec_tables = {f["table"] for f in before}
    assert {f["table"] for f in crashed} == spec_tables
    assert all(f["status"] == "unknown" and f["reason"] == "rule_error"
               and "TS-TEST-999" in f["message"] and "ZeroDivisionError" in f["message"]
               for f in crashed)
    assert [f for f in after if f["rule_id"] != BOOM.id] == before  # every other finding
    monkeypatch.setenv("TABLESPEC_DEBUG", "1")
    assert main(args) == 3
    assert "Traceback" in capsys.readouterr().err
