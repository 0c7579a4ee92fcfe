"""`tablespec hcl`: the same verdicts as `tablespec plan`, on .tf lines; bad input; skips."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from checker import terraform
from checker.cli import main
from tests.sources.hcl.util import repository, write
from tests.support.paths import REPO
from tests.support.tfplans import SHAPES, PlanFarm, deviation_files, deviation_names

SPEC = str(REPO / "specs" / "tables.yaml")
MODULE = REPO / "examples" / "terraform" / "modules" / "dynamodb"
DEVIATIONS: list[str | None] = [None, *deviation_names()]
Verdict = tuple[str, str, str, str, str, str]


def report(args: list[str], out: Path) -> tuple[int, dict[str, Any]]:
    """A tablespec command with `--format json=OUT`, in process; exit code and report."""
    code = main([*args, "--spec", SPEC, "--format", f"json={out}"])
    return code, json.loads(out.read_text()) if out.exists() else {}


def verdicts(rep: dict[str, Any]) -> set[Verdict]:
    """(rule, table, environment, resource, status, field) of every finding."""
    return {(f["rule_id"], f["table"], f["environment"], f["resource"], f["status"], f["field"])
            for f in rep["findings"]}


@pytest.fixture(scope="module")
def plans(farm: PlanFarm) -> dict[tuple[str, str | None], Path]:
    """Every shape, compliant and with each deviation."""
    return farm.plans([(s, d) for d in DEVIATIONS for s in SHAPES])


@pytest.mark.terraform
@pytest.mark.parametrize("shape", sorted(SHAPES))
@pytest.mark.parametrize("deviation", DEVIATIONS, ids=[d or "compliant" for d in DEVIATIONS])
def test_hcl_gives_the_verdicts_of_the_plan(plans: dict[tuple[str, str | None], Path],
                                            shape: str, deviation: str | None,
                                            tmp_path: Path) -> None:
    spec = SHAPES[shape]
    extra = deviation_files(shape, deviation) if deviation else {}
    root = terraform.stage(spec.tree, repository(tmp_path / "tree"), spec.root, extra)
    plan_code, by_plan = report(["plan", str(plans[(shape, deviation)]), "--source-dir",
                                 str(root)], tmp_path / "p.json")
    hcl_code, by_hcl = report(["hcl", str(root)], tmp_path / "h.json")
    assert (hcl_code, verdicts(by_hcl)) == (plan_code, verdicts(by_plan))
    for f in by_hcl["findings"]:  # every finding on a .tf line of the staged tree...
        loc = f["location"]
        if loc is None:  # ...but those about a table the source lacks
            assert (f["rule_id"], f["status"]) == ("TS-PRES-001", "fail") or (
                f["reason"] == "not_evaluated"), f
            continue
        assert loc["file"].endswith(".tf") and loc["line"] > 0, f
        assert Path(loc["file"]).resolve().is_relative_to(tmp_path / "tree"), f


def test_findings_point_at_the_attribute_that_decides_them(tmp_path: Path) -> None:
    tree = repository(shutil.copytree(REPO / "examples" / "terraform", tmp_path / "tf"))
    prod = tree / "environments" / "prod" / "main.tf"
    prod.write_text(prod.read_text().replace("enable_point_in_time_recovery = true",
                                             "enable_point_in_time_recovery = false"))
    code, rep = report(["hcl", str(tree / "environments" / "prod")], tmp_path / "r.json")
    fails = [f for f in rep["findings"] if f["status"] == "fail"]
    assert code == 1 and {f["rule_id"] for f in fails} == {"TS-PITR-001"}
    main_tf = (tree / "modules" / "dynamodb" / "main.tf").read_text().splitlines()
    for f in fails:
        line = main_tf[f["location"]["line"] - 1]
        assert Path(f["location"]["file"]).name == "main.tf"
        assert line.strip() == "enabled = var.enable_point_in_time_recovery", f


def test_a_changed_module_file_is_checked_through_every_root_that_calls_it(
    tmp_path: Path
) -> None:
    tree = shutil.copytree(REPO / "examples" / "terraform", tmp_path / "tf")
    subprocess.run(["git", "init", "-q", str(tree)], check=True)  # callers are searched there
    code, rep = report(["hcl", str(tree / "modules" / "dynamodb" / "main.tf")],
                       tmp_path / "r.json")
    assert code == 0
    assert {f["environment"] for f in rep["findings"]} == {"dev", "prod"}
    assert any(n["kind"] == "source" and "evaluated through its callers" in n["message"]
               for n in rep["notes"])


def test_a_module_alone_is_checked_for_each_environment_on_its_literal_names(
    tmp_path: Path
) -> None:
    alone = shutil.copytree(MODULE, tmp_path / "dynamodb")
    subprocess.run(["git", "init", "-q", str(alone)], check=True)
    code, rep = report(["hcl", str(alone)], tmp_path / "r.json")
    spec_envs = {"dev", "staging", "prod"}
    assert {f["environment"] for f in rep["findings"]} == spec_envs
    assert {f["table"] for f in rep["findings"]} == {"player-sessions", "interaction-events",
                                                      "player-rewards"}
    # its defaults leave PITR off and no alarms: the module alone does not meet prod; and
    # they tag no owner or cost centre anywhere (the Environment tag's value is unknown, but
    # Owner is known to be missing whatever it turns out to be)
    fails = {(f["rule_id"], f["environment"]) for f in rep["findings"] if f["status"] == "fail"}
    assert code == 1 and ("TS-PITR-001", "prod") in fails
    assert {e for r, e in fails if r != "TS-TAG-001"} == {"prod"}
    assert {e for r, e in fails if r == "TS-TAG-001"} == spec_envs


@pytest.mark.parametrize(("files", "says"), [
    ({"main.tf": 'resource "aws_dynamodb_table" "t" {\n  name = "x"\n  hash_key = \n}\n'},
     "main.tf:3: syntax error"),
    ({"main.tf": 'resource "aws_dynamodb_table" "t" {\n  name = "x"\n'}, "main.tf:1:"),
    ({"README.md": "no terraform here\n"}, "no Terraform files"),
])
def test_broken_or_missing_terraform_is_exit_2_with_one_line(
    files: dict[str, str], says: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / "tf", files)
    assert main(["hcl", str(tmp_path / "tf"), "--spec", SPEC]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and says in err and "Traceback" not in err, err


def test_a_missing_path_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["hcl", str(tmp_path / "nope.tf"), "--spec", SPEC]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nope.tf" in err


def test_terraform_without_tables_has_nothing_to_check(tmp_path: Path) -> None:
    write(tmp_path / "vpc", {"main.tf": 'resource "aws_vpc" "v" {\n  cidr_block = "10/8"\n}\n'})
    code, rep = report(["hcl", str(tmp_path / "vpc")], tmp_path / "r.json")
    assert code == 0 and rep["findings"] == []
    assert "nothing_checked" in [n["kind"] for n in rep["notes"]]


SKIPPED = '''
resource "aws_dynamodb_table" "player_rewards" {
  # tablespec:skip=TS-PITR-001:rewards are rebuilt from the ledger
  # checkov:skip=CKV_TS_TAG_001:tags come from the account's tag policy
  # checkov:skip=CKV_AWS_28:another tool's id, left alone
  # checkov:skip=CKV_TS_TTL_002:stale: there is no TTL here
  # tablespec:skip=TS-NOPE-001
  name         = "hypermage-vr-player-rewards-prod"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "playerId"
  range_key    = "rewardId"
  attribute {
    name = "playerId"
    type = "S"
  }
  attribute {
    name = "rewardId"
    type = "S"
  }
  server_side_encryption {
    enabled = true
  }
}
'''


def test_inline_skips_waive_ours_ignore_others_and_report_stale_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / "tf", {"main.tf": SKIPPED})
    code, rep = report(["hcl", str(tmp_path / "tf")], tmp_path / "r.json")
    waived = {f["rule_id"]: f["message"] for f in rep["findings"] if f["status"] == "waived"}
    assert set(waived) == {"TS-PITR-001", "TS-TAG-001"}
    assert "main.tf:2: rewards are rebuilt from the ledger" in waived["TS-PITR-001"]
    assert "tags come from the account's tag policy" in waived["TS-TAG-001"]
    stale = [n["message"] for n in rep["notes"] if n["kind"] == "stale_waiver"]
    assert len(stale) == 2
    assert any("CKV_TS_TTL_002 matches no failing finding" in s for s in stale)
    assert any("TS-NOPE-001 is not a tablespec rule" in s for s in stale)
    assert not any("CKV_AWS_28" in s for s in stale)
    assert "stale inline skip" in capsys.readouterr().err
    # the other tables are absent from this root: that still fails
    assert code == 1
