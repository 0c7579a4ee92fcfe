"""`tablespec plan --source-dir`: plan findings on the `.tf` lines that decide them."""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from checker.cli import main
from tests.report.test_formats import sarif_schema
from tests.support.paths import REPO

SPEC = str(REPO / "specs" / "tables.yaml")
DRIFT = str(REPO / "checker" / "data" / "demo-drift.plan.json")
PROD_ROOT = REPO / "examples" / "terraform" / "environments" / "prod"
MODULE = "examples/terraform/modules/dynamodb"


@pytest.fixture
def in_prod_root() -> Iterator[None]:
    """Run from examples/terraform/environments/prod, as a CI job there would."""
    cwd = os.getcwd()
    os.chdir(PROD_ROOT)
    try:
        yield
    finally:
        os.chdir(cwd)


def run(out: Path, *args: str) -> tuple[int, dict[str, Any], dict[str, Any]]:
    """`tablespec plan` writing JSON and SARIF; (exit code, JSON report, SARIF log)."""
    code = main(["plan", *args, "--spec", SPEC, "--format", f"json={out}.json",
                 "--format", f"sarif={out}.sarif"])
    return code, json.loads(Path(f"{out}.json").read_text()), json.loads(
        Path(f"{out}.sarif").read_text())


def test_sarif_puts_each_failure_on_a_line_of_the_module(in_prod_root: None,
                                                         tmp_path: Path) -> None:
    code, rep, log = run(tmp_path / "r", DRIFT)  # the current directory is the source
    jsonschema.validate(log, sarif_schema())
    results = log["runs"][0]["results"]
    failures = [r for r in results if r["kind"] == "fail"]
    assert code == 1 and len(failures) == rep["summary"]["failed"] > 0
    for r in failures:
        (loc,) = r["locations"]
        artifact = loc["physicalLocation"]["artifactLocation"]
        assert artifact["uriBaseId"] == "%SRCROOT%"
        assert artifact["uri"].startswith(f"{MODULE}/") and artifact["uri"].endswith(".tf")
        line = loc["physicalLocation"]["region"]["startLine"]
        text = (REPO / artifact["uri"]).read_text().splitlines()
        assert 1 <= line <= len(text)
        assert loc["logicalLocations"][0]["fullyQualifiedName"].startswith("module.dynamodb.")
    pitr = next(r for r in failures if r["ruleId"] == "TS-PITR-001")
    line = pitr["locations"][0]["physicalLocation"]["region"]["startLine"]
    written = (REPO / MODULE / "main.tf").read_text().splitlines()[line - 1]
    assert written.strip() == "enabled = var.enable_point_in_time_recovery"


def test_without_a_source_the_plan_stays_the_location(tmp_path: Path) -> None:
    _, rep, _ = run(tmp_path / "r", DRIFT)  # run from the repository root: no .tf files here
    assert {f["location"]["file"] for f in rep["findings"] if f["location"]} == {DRIFT}


def test_a_source_that_does_not_match_the_plan_is_not_used(tmp_path: Path) -> None:
    other = REPO / "tests" / "fixtures" / "terraform" / "inline"
    _, rep, _ = run(tmp_path / "r", DRIFT, "--source-dir", str(other))
    assert {f["location"]["file"] for f in rep["findings"] if f["location"]} == {DRIFT}
    (note,) = [n for n in rep["notes"] if n["kind"] == "source"]
    assert note["message"].startswith(f"--source-dir {other}: not used: the plan's "
                                      "module.dynamodb comes from ")
    # a directory that is there but declares other resources is not used either
    _, rep, _ = run(tmp_path / "r", DRIFT, "--source-dir", str(PROD_ROOT.parent / "dev"))
    assert {f["location"]["file"] for f in rep["findings"] if f["location"]} != {DRIFT}
    wrong = tmp_path / "wrong"
    shutil.copytree(REPO / "examples" / "terraform", wrong)
    main_tf = wrong / "modules" / "dynamodb" / "main.tf"
    main_tf.write_text(main_tf.read_text().replace('"player_rewards"', '"rewards"'))
    _, rep, _ = run(tmp_path / "r", DRIFT, "--source-dir", str(wrong / "environments" / "prod"))
    (note,) = [n for n in rep["notes"] if n["kind"] == "source"]
    assert "does not declare aws_dynamodb_table.player_rewards of module.dynamodb" in (
        note["message"])
    assert {f["location"]["file"] for f in rep["findings"] if f["location"]} == {DRIFT}


def test_inline_skips_in_the_source_waive_plan_findings(tmp_path: Path) -> None:
    tree = shutil.copytree(REPO / "examples" / "terraform", tmp_path / "tf")
    main_tf = tree / "modules" / "dynamodb" / "main.tf"
    block = 'resource "aws_dynamodb_table" "interaction_events" {\n'
    main_tf.write_text(main_tf.read_text().replace(
        block, block + "  # checkov:skip=CKV_TS_PITR_001:restore drill, TICKET-42\n"))
    _, rep, _ = run(tmp_path / "r", DRIFT, "--source-dir", str(tree / "environments" / "prod"))
    (pitr,) = [f for f in rep["findings"] if f["rule_id"] == "TS-PITR-001"
               and f["table"] == "interaction-events"]
    assert pitr["status"] == "waived" and "restore drill, TICKET-42" in pitr["message"]
