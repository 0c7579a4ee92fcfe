"""`tablespec merge`: one report from several, the summary and the verdict of the whole."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from checker.cli import main
from checker.report.common import shown_path
from tests.support.paths import REPO

SPEC = str(REPO / "specs" / "tables.yaml")
PLANS = {"prod": REPO / "checker" / "data" / "demo-prod.plan.json",
         "drift": REPO / "checker" / "data" / "demo-drift.plan.json"}


def report(tmp_path: Path, name: str) -> tuple[Path, dict[str, Any]]:
    out = tmp_path / f"{name}.json"
    main(["plan", str(PLANS[name]), "--spec", SPEC, "--format", f"json={out}"])
    return out, json.loads(out.read_text())


def test_merge_adds_the_reports_up(tmp_path: Path) -> None:
    (a, ra), (b, rb) = report(tmp_path, "prod"), report(tmp_path, "drift")
    out = tmp_path / "merged.json"
    md = tmp_path / "merged.md"
    assert main(["merge", str(a), str(b), "--format", f"json={out}",
                 "--format", f"markdown={md}"]) == 1
    merged = json.loads(out.read_text())
    assert merged["findings"] == ra["findings"] + rb["findings"]
    assert merged["summary"] == {k: ra["summary"][k] + rb["summary"][k] for k in ra["summary"]}
    assert merged["source"] == {"kind": "plan", "target": f"{PLANS['prod']}, {PLANS['drift']}"}
    assert merged["spec"] == shown_path(SPEC)  # as each report names it
    assert md.read_text().startswith("### tablespec failed:")
    assert main(["merge", str(a), str(a), "--format", f"json={out}"]) == 0
    assert main(["merge", str(b), "--fail-on", "critical", "--format", f"json={out}"]) == 1


@pytest.mark.parametrize(("content", "says"), [
    ("not json", "not JSON"),
    ('{"findings": []}', "not a tablespec JSON report"),
    ('{"tool": {"name": "tablespec"}, "source": {}, "findings": [{"rule_id": 1}]}',
     "not a tablespec finding"),
])
def test_what_is_not_a_report_is_exit_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, says: str
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    assert main(["merge", str(bad)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and says in err and str(bad) in err


def test_reports_of_different_sources_or_specs_are_not_merged(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (a, ra), _ = report(tmp_path, "prod"), None
    live = tmp_path / "live.json"
    live.write_text(json.dumps({**ra, "source": {"kind": "live", "target": "1/r"}}))
    assert main(["merge", str(a), str(live)]) == 2
    assert "different kinds (live, plan)" in capsys.readouterr().err
    other = tmp_path / "other.json"
    other.write_text(json.dumps({**ra, "spec": "team-b.yaml"}))
    assert main(["merge", str(a), str(other)]) == 2
    assert "different specs" in capsys.readouterr().err


def live_report(account: str, region: str, findings: list[dict[str, Any]]) -> dict[str, Any]:
    """A shard's JSON report as the audit writes it."""
    return {"tool": {"name": "tablespec", "version": "0"},
            "source": {"kind": "live", "target": f"{account}/{region}",
                       "scope": [{"account": account, "region": region}]},
            "spec": SPEC, "summary": {}, "findings": findings, "notes": []}


def finding(account: str, region: str, status: str = "pass") -> dict[str, Any]:
    return {"rule_id": "TS-PITR-001", "check": "pitr", "table": "player-sessions",
            "environment": "prod", "status": status, "severity": "high",
            "resource": f"arn:aws:dynamodb:{region}:{account}:table/t", "message": "m",
            "expected": "enabled", "actual": "enabled" if status == "pass" else "disabled"}


def test_expected_shards_without_a_report_are_unknown_and_overlaps_noted(
    tmp_path: Path
) -> None:
    a, b, c = "111111111111", "222222222222", "333333333333"
    files = []
    for name, data in (("b", live_report(b, "eu-west-1", [finding(b, "eu-west-1", "fail")])),
                       ("a", live_report(a, "eu-west-1", [finding(a, "eu-west-1")])),
                       ("a2", live_report(a, "eu-west-1", [finding(a, "eu-west-1")]))):
        path = tmp_path / f"{name}.json"
        path.write_text(json.dumps(data))
        files.append(str(path))
    shards = tmp_path / "shards.json"
    shards.write_text(json.dumps([
        {"account": x, "region": "eu-west-1", "role_arn": f"arn:aws-cn:iam::{x}:role/r",
         "run_id": "r1"} for x in (a, b, c)]))
    out = tmp_path / "merged.json"
    assert main(["merge", *files, "--expect", str(shards), "--format", f"json={out}"]) == 1
    merged = json.loads(out.read_text())
    accounts = [f["resource"].split(":")[4] for f in merged["findings"]]
    assert accounts == [a, a, b, c]  # grouped by account and region; nothing de-duplicated
    missing = merged["findings"][-1]
    assert (missing["rule_id"], missing["status"], missing["table"], missing["resource"]) == (
        "TS-ACCESS-001", "unknown", "*", f"arn:aws-cn:dynamodb:eu-west-1:{c}:table/*")
    assert f"no report for {c}/eu-west-1" in missing["message"]
    assert merged["source"]["scope"] == [{"account": x, "region": "eu-west-1"}
                                         for x in (b, a, a, c)]
    kinds = {n["kind"]: n["message"] for n in merged["notes"]}
    assert kinds["overlapping_reports"].startswith(f"{a}/eu-west-1 is in 2 reports")
    assert merged["summary"] == {"passed": 2, "failed": 1, "unknown": 1, "waived": 0}


def test_the_findings_of_a_tables_replicas_keep_their_regions(tmp_path: Path) -> None:
    account = "111111111111"
    home = {**finding(account, "eu-west-1"), "region": "eu-west-1"}
    replica = {**finding(account, "us-east-1", "fail"), "region": "us-east-1"}
    path = tmp_path / "a.json"
    path.write_text(json.dumps(live_report(account, "eu-west-1", [home, replica])))
    out = tmp_path / "merged.json"
    assert main(["merge", str(path), "--format", f"json={out}"]) == 1
    merged = json.loads(out.read_text())["findings"]
    assert [(f["region"], f["status"]) for f in merged] == [("eu-west-1", "pass"),
                                                            ("us-east-1", "fail")]


def test_every_shard_missing_is_still_a_report(tmp_path: Path) -> None:
    shards = tmp_path / "shards.json"
    shards.write_text(json.dumps([{"account": "111111111111", "region": "eu-west-1"}]))
    out = tmp_path / "merged.json"
    assert main(["merge", "--expect", str(shards), "--format", f"json={out}"]) == 1
    merged = json.loads(out.read_text())
    assert [f["rule_id"] for f in merged["findings"]] == ["TS-ACCESS-001"]
    assert main(["merge", "--expect", str(shards), "--allow-unknown",
                 "--format", f"json={out}"]) == 0


@pytest.mark.parametrize(("content", "says"), [
    ('{"account": "1"}', "not a list of shards"),
    ('[{"account": "111111111111"}]', "shard 1 needs an account and a region"),
])
def test_a_bad_expect_file_is_exit_2(tmp_path: Path, content: str, says: str,
                                     capsys: pytest.CaptureFixture[str]) -> None:
    shards = tmp_path / "shards.json"
    shards.write_text(content)
    assert main(["merge", "--expect", str(shards)]) == 2
    assert says in capsys.readouterr().err
    assert main(["merge"]) == 2
    assert "nothing to merge" in capsys.readouterr().err
