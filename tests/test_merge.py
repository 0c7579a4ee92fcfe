"""`tablespec merge`: one report from several, the summary and the verdict of the whole."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from checker.cli import main

REPO = Path(__file__).resolve().parent.parent
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
    assert merged["spec"] == SPEC
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
