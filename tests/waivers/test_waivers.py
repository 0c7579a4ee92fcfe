"""Waivers: active, expired, stale, malformed, and waivers kept in the spec."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from checker.cli import main
from tests.support.paths import REPO

DRIFT = str(REPO / "checker" / "data" / "demo-drift.plan.json")
SPEC = str(REPO / "specs" / "tables.yaml")


def waiver(rule: str = "TS-TTL-002", table: str = "player-rewards",
           expires: str = "2999-12-31", **extra: str) -> str:
    lines = [f"  - table: {table}", f"    rule: {rule}", "    reason: rewards archive migration",
             "    owner: alice@example.com", f"    expires: {expires}"]
    lines += [f"    {k}: {v}" for k, v in extra.items()]
    return "\n".join(lines) + "\n"


def run(tmp_path: Path, waivers: str, spec: str = SPEC) -> tuple[int, dict[str, Any], str]:
    path = tmp_path / "waivers.yaml"
    path.write_text("waivers:\n" + waivers)
    out = tmp_path / "r.json"
    code = main(["plan", DRIFT, "--spec", spec, "--waivers", str(path),
                 "--format", f"json={out}"])
    report: dict[str, Any] = json.loads(out.read_text()) if out.exists() else {}
    return code, report, str(path)


def by_rule(report: dict[str, Any], rule: str) -> dict[str, Any]:
    """The one finding of *rule* that did not pass before waivers."""
    found: list[dict[str, Any]] = [f for f in report["findings"]
                                   if f["rule_id"] == rule and f["status"] != "pass"]
    (finding,) = found
    return finding


def failed_without_waivers(tmp_path: Path) -> int:
    """How many findings of the drift plan fail with no waiver at all."""
    (tmp_path / "none").mkdir()
    _, report, _ = run(tmp_path / "none", "  []\n")
    failed: int = report["summary"]["failed"]
    return failed


def test_active_waiver_waives_and_shows_the_reason(tmp_path: Path) -> None:
    unwaived = failed_without_waivers(tmp_path)
    code, report, _ = run(tmp_path, waiver())
    ttl = by_rule(report, "TS-TTL-002")
    assert ttl["status"] == "waived" and ttl["table"] == "player-rewards"
    assert "rewards archive migration" in ttl["message"] and "alice@example.com" in ttl["message"]
    assert report["summary"]["waived"] == 1 and report["summary"]["failed"] == unwaived - 1 > 0
    assert code == 1  # the other failures still fail the run


def test_waivers_by_family_and_environment(tmp_path: Path) -> None:
    all_three = (waiver() + waiver("pitr", "interaction-events", environment="prod")
                 + waiver("alarms", "player-sessions"))
    code, report, _ = run(tmp_path, all_three)
    assert report["summary"]["waived"] == 3 == failed_without_waivers(tmp_path)
    assert code == 0 and report["summary"]["failed"] == 0
    other_env = waiver("pitr", "interaction-events", environment="dev")
    _, report, _ = run(tmp_path, other_env)
    assert by_rule(report, "TS-PITR-001")["status"] == "fail"


def test_expired_waiver_stops_waiving(tmp_path: Path) -> None:
    code, report, _ = run(tmp_path, waiver(expires="2020-01-31"))
    ttl = by_rule(report, "TS-TTL-002")
    assert code == 1 and ttl["status"] == "fail"
    assert "waiver expired on 2020-01-31 (alice@example.com)" in ttl["message"]


def test_stale_waiver_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, _, path = run(tmp_path, waiver() + waiver("TS-KEY-001", "player-sessions"))
    err = capsys.readouterr().err
    assert "warning: stale waiver: TS-KEY-001 on player-sessions" in err
    assert f"{path}:7" in err and "TS-TTL-002" not in err
    out = tmp_path / "r.md"
    main(["plan", DRIFT, "--spec", SPEC, "--waivers", path, "--format", f"markdown={out}"])
    assert "stale waiver: TS-KEY-001" in out.read_text()


@pytest.mark.parametrize(
    ("body", "line", "words"),
    [
        (waiver().replace("    owner: alice@example.com\n", ""), 2, "missing required key 'owner'"),
        (waiver(expires="someday"), 6, "'someday' is not a date"),
        (waiver(rule="TS-TTL-999"), 3, "neither a rule id"),
        (waiver() + "    colour: red\n", 7, "unknown key"),
        (waiver(environment="qa"), 2, "'qa' is not an environment of the spec"),
        (waiver(region="Ireland"), 7, "an AWS region"),
        ("  - [not, a, mapping]\n", 2, "expected a mapping"),
        ("  - table: x\n    rule: [\n", 4, "not valid YAML"),
    ],
)
def test_malformed_waiver_file_is_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], body: str, line: int, words: str
) -> None:
    code, _, path = run(tmp_path, body)
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1
    assert err.startswith(f"tablespec: {path}:{line}:") and words in err, err


def test_waivers_in_the_spec(tmp_path: Path) -> None:
    spec = tmp_path / "spec.yaml"
    spec.write_text(Path(SPEC).read_text() + "\nwaivers:\n" + waiver())
    out = tmp_path / "r.json"
    main(["plan", DRIFT, "--spec", str(spec), "--format", f"json={out}"])
    assert by_rule(json.loads(out.read_text()), "TS-TTL-002")["status"] == "waived"
    spec.write_text(Path(SPEC).read_text() + "\nwaivers:\n" + waiver(expires="nope"))
    assert main(["spec", "validate", "--spec", str(spec)]) == 2


def test_a_table_or_rule_the_spec_lacks_is_exit_2_with_a_did_you_mean(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, path = run(tmp_path, waiver(table="player-reward") + waiver(rule="TS-TTL-02")
                        + waiver(environment="prd"))
    assert code == 2
    lines = capsys.readouterr().err.splitlines()
    assert lines == [
        f"tablespec: {path}:2: waivers[0].table: 'player-reward' is not a table of the spec; "
        "did you mean player-rewards? (and 2 more problem(s))",
        f"tablespec: {path}:8: waivers[1].rule: 'TS-TTL-02' is neither a rule id (e.g. "
        "TS-TTL-002) nor a check family; did you mean TS-TTL-002?",
        f"tablespec: {path}:12: waivers[2].environment: 'prd' is not an environment of the "
        "spec; did you mean prod?"]


def test_a_naming_waiver_may_name_a_table_outside_the_spec(tmp_path: Path) -> None:
    code, report, _ = run(tmp_path, waiver(rule="TS-NAME-001", table="leaderboard"))
    assert code in (0, 1) and report["notes"]  # accepted: stale here, as nothing matches
    code, _, _ = run(tmp_path, waiver(rule="TS-PITR-001", table="leaderboard"))
    assert code == 2


@pytest.mark.parametrize(("formats", "on_stderr"), [
    (["--format", "text"], False),  # the text report shows it, once
    (["--format", "json"], True),
])
def test_a_stale_waiver_is_reported_once(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                         formats: list[str], on_stderr: bool) -> None:
    path = tmp_path / "waivers.yaml"
    path.write_text("waivers:\n" + waiver(rule="TS-KEY-001", table="player-sessions"))
    main(["plan", DRIFT, "--spec", SPEC, "--waivers", str(path), *formats])
    out, err = capsys.readouterr()
    said = "stale waiver: TS-KEY-001 on player-sessions"
    # for people, once: in the text report, or on stderr beside a machine report
    assert err.count(said) == (1 if on_stderr else 0)
    assert out.count(said) == 1
