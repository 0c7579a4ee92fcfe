"""The text report: grouped by table, expected vs actual, a fix, colour only on a terminal."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker.cli import main
from checker.findings import Finding, Reason, Severity, Status
from checker.report.model import Report
from checker.report.text import render
from checker.rules import RULES
from tests.support.paths import REPO

DRIFT = str(REPO / "checker" / "data" / "demo-drift.plan.json")
PROD = str(REPO / "checker" / "data" / "demo-prod.plan.json")
SPEC = str(REPO / "specs" / "tables.yaml")
SOURCE = str(REPO / "examples" / "terraform" / "environments" / "prod")  # the plans' root


def counts(plan: str, tmp_path: Path) -> tuple[dict[str, int], dict[str, tuple[int, int]]]:
    """The JSON report's summary, and (passed, total) per table: what the text must say."""
    out = tmp_path / "r.json"
    main(["plan", plan, "--spec", SPEC, "--source-dir", SOURCE, "--format", f"json={out}"])
    report = json.loads(out.read_text())
    per: dict[str, tuple[int, int]] = {}
    for f in report["findings"]:
        passed, total = per.get(f["table"], (0, 0))
        per[f["table"]] = (passed + (f["status"] == "pass"), total + 1)
    return report["summary"], per


def test_failures_show_expected_actual_and_fix(capsys: pytest.CaptureFixture[str],
                                              tmp_path: Path) -> None:
    summary, per = counts(DRIFT, tmp_path)
    assert main(["plan", DRIFT, "--spec", SPEC]) == 1
    out = capsys.readouterr().out
    assert "\033[" not in out  # not a terminal: no colour
    passed, total = per["player-rewards"]
    block = out.split(f"player-rewards (prod): {passed} of {total} checks pass\n")[1]
    block = block.split("\n\n")[0]
    assert block.splitlines() == [
        "  FAIL    TS-TTL-002   ttl        [critical] TTL is on for a table whose data must "
        "persist; disable TTL",
        "          expected: no TTL",
        "          actual:   enabled on ttl",
        "          resource: module.dynamodb.aws_dynamodb_table.player_rewards",
        "          fix:      Remove the ttl block (TimeToLiveSpecification), or disable it.",
    ]
    assert out.rstrip().endswith(f"{summary['passed']} passed, {summary['failed']} failed, "
                                 "0 unknown, 0 waived: FAIL")


def test_tables_are_grouped_and_clean_ones_fold(capsys: pytest.CaptureFixture[str],
                                                tmp_path: Path) -> None:
    _, per = counts(PROD, tmp_path)
    main(["plan", PROD, "--spec", SPEC, "--source-dir", SOURCE])
    lines = capsys.readouterr().out.splitlines()
    assert lines[2:2 + len(per)] == [f"PASS  {table} (prod): all {per[table][1]} checks pass"
                                     for table in sorted(per)]


def test_verbose_lists_every_passing_check(capsys: pytest.CaptureFixture[str],
                                           tmp_path: Path) -> None:
    summary, _ = counts(PROD, tmp_path)
    main(["plan", PROD, "--spec", SPEC, "--source-dir", SOURCE, "--verbose"])
    lines = capsys.readouterr().out.splitlines()
    passes = [ln for ln in lines if ln.startswith("  PASS    TS-")]
    assert len(passes) == summary["passed"] > 0
    assert any("TS-PITR-001  pitr" in ln and "PITR is on" in ln for ln in passes)


def test_colour_on_request(capsys: pytest.CaptureFixture[str]) -> None:
    main(["plan", DRIFT, "--spec", SPEC, "--color", "always"])
    assert "\033[31mFAIL" in capsys.readouterr().out


def test_live_findings_group_by_account_and_region() -> None:
    from checker.findings import Finding, Severity, Status
    from checker.model import Location
    from checker.report.model import Report
    from checker.report.text import render

    def finding(region: str) -> Finding:
        arn = f"arn:aws:dynamodb:{region}:111122223333:table/hypermage-vr-player-rewards-prod"
        return Finding("TS-PITR-001", "pitr", "player-rewards", "prod", arn, Location(),
                       Status.FAIL, Severity.HIGH, "PITR is off", "enabled", "disabled")

    text = render(Report("live", "111122223333/eu-west-1, 111122223333/us-east-1", "s.yaml",
                         [finding("us-east-1"), finding("eu-west-1")]))
    heads = [ln for ln in text.splitlines() if ln.startswith("player-rewards")]
    assert heads == ["player-rewards (prod, 111122223333/eu-west-1): 0 of 1 checks pass",
                     "player-rewards (prod, 111122223333/us-east-1): 0 of 1 checks pass"]


def test_the_last_line_says_what_the_exit_code_says(capsys: pytest.CaptureFixture[str],
                                                    tmp_path: Path) -> None:
    waivers = tmp_path / "w.yaml"
    waivers.write_text("waivers:\n  - table: player-rewards\n    rule: TS-TTL-002\n"
                       "    reason: migration\n    owner: alice@example.com\n"
                       "    expires: 2999-12-31\n")
    summary, _ = counts(DRIFT, tmp_path)
    md = tmp_path / "r.md"
    code = main(["plan", DRIFT, "--spec", SPEC, "--fail-on", "critical", "--waivers",
                 str(waivers), "--format", "text", "--format", f"markdown={md}"])
    last = capsys.readouterr().out.rstrip().splitlines()[-1]
    assert code == 0
    assert last.endswith(": OK (2 failure(s) below --fail-on critical: TS-ALARM-002, "
                         "TS-PITR-001)"), last
    assert md.read_text().startswith("### tablespec passed:")
    code = main(["plan", DRIFT, "--spec", SPEC, "--fail-on", "critical",
                 "--format", "text", "--format", f"markdown={md}"])
    last = capsys.readouterr().out.rstrip().splitlines()[-1]
    assert code == 1 and last.endswith(": FAIL") and summary["failed"] > 1
    assert md.read_text().startswith("### tablespec failed:")


def test_verdicts_for_unknowns_in_an_audit_and_for_a_bug() -> None:
    from checker.findings import Finding, Gate, Reason, Severity, Status
    from checker.model import Location
    from checker.report.model import Report
    from checker.report.text import render

    def finding(status: Status, reason: Reason | None = None) -> Finding:
        return Finding("TS-PITR-001", "pitr", "t", "prod", "arn:aws:dynamodb:r:1:table/t",
                       Location(), status, Severity.HIGH, "m", "e", "a", "f", reason)

    denied = finding(Status.UNKNOWN, Reason.ACCESS_DENIED)
    judged = finding(Status.PASS)  # the table was checked: one of its findings is known
    audit = Report("live", "1/r", "s", [denied, judged], ["prod"], gate=Gate(unknown_fails=True))
    assert render(audit).rstrip().endswith(
        ": FAIL (1 unknown count as failures in an audit (--allow-unknown lets them pass))")
    lenient = Report("live", "1/r", "s", [denied, judged], ["prod"], gate=Gate(unknown_fails=False))
    assert render(lenient).rstrip().endswith(": OK")
    # what only follows from another failure never fails a run
    after = Report("live", "1/r", "s", [finding(Status.UNKNOWN, Reason.NOT_EVALUATED), judged],
                   ["prod"], gate=Gate(unknown_fails=True))
    assert render(after).rstrip().endswith(": OK")
    # in plan and hcl, unknowns fail only with --fail-on-unknown, which the verdict names
    gated = Report("plan", "p", "s", [denied, judged], ["prod"], gate=Gate(unknown_fails=True))
    assert render(gated).rstrip().endswith(": FAIL (1 unknown count as failures "
                                           "(--fail-on-unknown))")
    bug = Report("plan", "p", "s", [finding(Status.UNKNOWN, Reason.RULE_ERROR)], errors=1)
    assert render(bug).rstrip().endswith(": ERROR (a rule failed to run, a bug in tablespec "
                                         "(exit 3))")


def test_a_table_no_finding_could_judge_is_never_a_plain_ok() -> None:
    from checker.engine import UNNAMED, UNPLACED

    def finding(table: str, env: str, status: Status) -> Finding:
        return Finding("TS-PRES-001", "presence", table, env, "r", None, status,
                       Severity.CRITICAL, "m", "e", "a", "name")

    unknown = [finding(t, e, Status.UNKNOWN) for t in ("a", "b") for e in ("dev", "prod")]
    report = Report("hcl", ".", "s", [*unknown, finding("c", "dev", Status.PASS),
                                      finding(UNNAMED, "dev", Status.UNKNOWN)],
                    ["dev", "prod"])
    assert report.unchecked() == [("a", "dev"), ("a", "prod"), ("b", "dev"), ("b", "prod")]
    assert render(report).rstrip().endswith(
        ": OK (4 spec table(s) could not be checked: a (dev), a (prod), b (dev), ...)")
    untold = Report("hcl", ".", "s", [finding(UNNAMED, UNPLACED, Status.UNKNOWN)])
    assert render(untold).rstrip().endswith(
        ": OK (nothing tells the environment of 1 table(s), so no environment was checked "
        "(give --env))")
    nothing = Report("hcl", ".", "s", [])
    assert render(nothing).rstrip().endswith(
        ": OK (no environment was checked: no table of the spec was found (with --env ENV, "
        "the spec's tables are required there))")


def test_unknowns_that_say_the_same_are_printed_once() -> None:
    why = "cannot tell: cannot assume arn:aws:iam::111111111111:role/audit (AccessDenied)"
    arn = "arn:aws:dynamodb:eu-west-1:111111111111:table/t"

    def finding(rule_id: str, message: str) -> Finding:
        return Finding(rule_id, "c", "t", "prod", arn, None, Status.UNKNOWN, Severity.HIGH,
                       message, "x", "unknown", reason=Reason.ACCESS_DENIED)

    same = [finding(r.id, why) for r in RULES[:3]]
    other = finding(RULES[3].id, "cannot tell: something else")
    text = render(Report("live", "111111111111/eu-west-1", "s.yaml", [*same, other]))
    assert text.count(why) == 1
    assert f"  UNKNOWN 3 checks: {why}" in text
    assert f"checks:   {', '.join(r.id for r in RULES[:3])}" in text
    assert "cannot tell: something else" in text and f"resource: {arn}" in text
    verbose = render(Report("live", "t", "s.yaml", [*same, other]), verbose=True)
    assert verbose.count(why) == 3


def test_no_placeholder_stands_for_what_is_not_known() -> None:
    from checker.engine import PLACE, UNPLACED

    def finding(table: str, env: str) -> Finding:
        return Finding("TS-NAME-003", "naming", table, env, "aws_dynamodb_table.t", None,
                       Status.FAIL, Severity.MEDIUM, "m", "e", "a", "environment")

    text = render(Report("plan", "p.json", "specs/tables.yaml",
                         [finding("orders", UNPLACED), finding(PLACE, "prod")]))
    assert "(no environment checked)" in text.splitlines()[0]
    assert "orders (environment unknown)" in text and "every table (prod)" in text
    assert "((" not in text and "(environment: -)" not in text and "* (" not in text
    several = render(Report("plan", "p", "s", [], ["dev", "prod"]))
    assert "(environments: dev, prod)" in several.splitlines()[0]


def test_the_spec_is_named_relative_to_the_working_directory(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    out = tmp_path / "r.json"
    main(["plan", DRIFT, "--spec", SPEC, "--format", f"json={out}",
          "--format", f"markdown={tmp_path / 'r.md'}"])
    assert json.loads(out.read_text())["spec"] == "specs/tables.yaml"
    assert "spec `specs/tables.yaml`" in (tmp_path / "r.md").read_text()
