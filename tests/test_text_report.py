"""The text report: grouped by table, expected vs actual, a fix, colour only on a terminal."""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.cli import main

REPO = Path(__file__).resolve().parent.parent
DRIFT = str(REPO / "checker" / "data" / "demo-drift.plan.json")
SPEC = str(REPO / "specs" / "tables.yaml")


def test_failures_show_expected_actual_and_fix(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", DRIFT, "--spec", SPEC]) == 1
    out = capsys.readouterr().out
    assert "\033[" not in out  # not a terminal: no colour
    block = out.split("player-rewards (prod): 17 of 18 checks pass\n")[1].split("\n\n")[0]
    assert block.splitlines() == [
        "  FAIL    TS-TTL-002   ttl        [critical] TTL is on for a table whose data must "
        "persist; remove the ttl block",
        "          expected: no TTL",
        "          actual:   enabled on ttl",
        "          resource: module.dynamodb.aws_dynamodb_table.player_rewards",
        "          fix:      Remove the ttl block (or set enabled = false).",
    ]
    assert out.rstrip().endswith("54 passed, 3 failed, 0 unknown, 0 waived: FAIL")


def test_tables_are_grouped_and_clean_ones_fold(capsys: pytest.CaptureFixture[str]) -> None:
    main(["plan", str(REPO / "checker" / "data" / "demo-prod.plan.json"), "--spec", SPEC])
    lines = capsys.readouterr().out.splitlines()
    assert lines[2:5] == [
        "PASS  interaction-events (prod): all 21 checks pass",
        "PASS  player-rewards (prod): all 18 checks pass",
        "PASS  player-sessions (prod): all 18 checks pass",
    ]


def test_colour_on_request(capsys: pytest.CaptureFixture[str]) -> None:
    main(["plan", DRIFT, "--spec", SPEC, "--color", "always"])
    assert "\033[31mFAIL" in capsys.readouterr().out


def test_live_findings_group_by_account_and_region() -> None:
    from checker.model import Finding, Location, Severity, Status
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
