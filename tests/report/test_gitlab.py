"""`--format gitlab`: GitLab's Code Quality report, validated against the schema written from
GitLab's documentation (tests/report/gitlab-codequality.schema.json)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from checker.cli import main
from tests.report.util import DRIFT, write_waiver
from tests.sources.hcl.util import repository
from tests.support.paths import REPO

SCHEMA = Path(__file__).with_name("gitlab-codequality.schema.json")


def issues(args: list[str], out: Path) -> list[dict[str, Any]]:
    """The Code Quality issues of `tablespec ARGS`, validated against the schema."""
    path = out / "gl-code-quality-report.json"
    main([*args, "--format", f"gitlab={path}"])
    report: list[dict[str, Any]] = json.loads(path.read_text())
    jsonschema.validate(report, json.loads(SCHEMA.read_text()))
    return report


def findings(args: list[str], out: Path) -> list[dict[str, Any]]:
    path = out / "report.json"
    main([*args, "--format", f"json={path}"])
    found: list[dict[str, Any]] = json.loads(path.read_text())["findings"]
    return found


@pytest.fixture(autouse=True)
def at_repo(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)


def test_the_schema_refuses_what_gitlab_would_not_read() -> None:
    schema = json.loads(SCHEMA.read_text())
    good = {"description": "d", "check_name": "c", "fingerprint": "f", "severity": "major",
            "location": {"path": "main.tf", "lines": {"begin": 3}}}
    jsonschema.validate([good], schema)
    for bad in ({**good, "severity": "high"},
                {**good, "location": {"path": "./main.tf", "lines": {"begin": 3}}},
                {**good, "location": {"path": "main.tf"}},
                {k: v for k, v in good.items() if k != "fingerprint"}):
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate([bad], schema)


def test_plan_failures_are_issues_and_a_waived_one_is_not(tmp_path: Path) -> None:
    args = ["plan", DRIFT, "--spec", "specs/tables.yaml", "--waivers",
            str(write_waiver(tmp_path, "TS-TTL-002"))]
    report = issues(args, tmp_path)
    failed = [f for f in findings(args, tmp_path) if f["status"] == "fail"]
    assert sorted(i["check_name"] for i in report) == sorted(f["rule_id"] for f in failed)
    (pitr,) = [i for i in report if i["check_name"] == "TS-PITR-001"]
    assert pitr["severity"] == "critical"  # high
    assert pitr["description"].startswith("TS-PITR-001 interaction-events (prod): ")
    pitr_json = next(f for f in failed if f["rule_id"] == "TS-PITR-001")
    assert pitr["location"] == {"path": DRIFT,
                                "lines": {"begin": pitr_json["location"]["line"] or 1}}
    assert len({i["fingerprint"] for i in report}) == len(report)


def test_an_hcl_finding_is_on_its_tf_line_and_a_missing_table_on_the_spec(
        tmp_path: Path) -> None:
    root = repository(tmp_path / "repo")
    shutil.copytree(REPO / "examples" / "terraform", root / "terraform")
    tf = root / "terraform" / "modules" / "dynamodb" / "main.tf"
    text = tf.read_text()
    setting = "enabled = var.enable_point_in_time_recovery"
    tf.write_text(text.replace(setting, "enabled = false", 1))
    spec = root / "specs" / "tables.yaml"
    spec.parent.mkdir()
    spec.write_text((REPO / "specs" / "tables.yaml").read_text())
    args = ["hcl", str(root / "terraform" / "environments" / "prod"), "--spec", str(spec)]
    report = issues(args, tmp_path)
    (pitr,) = [i for i in report if i["check_name"] == "TS-PITR-001"]
    lines = text.splitlines()
    block = lines.index("  point_in_time_recovery {") + 1
    assert pitr["location"]["path"] == "terraform/modules/dynamodb/main.tf"
    assert pitr["location"]["lines"]["begin"] in (block, block + 1)
    # a table the spec has and the plan lacks: on the spec's lines of that table
    gone = issues(["plan", "checker/data/demo-prod.plan.json", "--spec", "specs/tables.yaml",
                   "--env", "dev"], tmp_path)
    spec_lines = (REPO / "specs" / "tables.yaml").read_text().splitlines()
    missing = [i for i in gone if i["check_name"] == "TS-PRES-001"]
    assert missing
    for item in missing:
        table = item["description"].split()[1]
        assert item["location"]["path"] == "specs/tables.yaml"
        assert spec_lines[item["location"]["lines"]["begin"] - 2].strip() == f"{table}:"
