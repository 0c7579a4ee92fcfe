"""`tablespec spec init` as a command: the example's source, exit codes, output files, help.

Every draft validates, and the tables it was drafted from pass against it (round trip).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from checker.cli import main
from tests.support.paths import REPO

EXAMPLE = REPO / "examples" / "terraform" / "environments"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["spec", "init", *args])
    out, err = capsys.readouterr()
    return code, out, err


def check(kind: str, *args: str, tmp: Path) -> tuple[int, dict[str, Any]]:
    out = tmp / "report.json"
    code = main([kind, *args, "--format", "json", "-o", str(out)])
    report: dict[str, Any] = json.loads(out.read_text())
    return code, report


def test_hcl_of_dev_and_prod_requires_pitr_and_alarms_in_prod_only_and_round_trips(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dev, prod = str(EXAMPLE / "dev"), str(EXAMPLE / "prod")
    draft_file = tmp_path / "tables.yaml"
    code, out, err = run(capsys, "--hcl", dev, "--hcl", prod, "-o", str(draft_file))
    assert code == 0 and out == ""
    assert err.startswith("tablespec: drafted 3 table(s), environments dev, prod")
    text = draft_file.read_text()
    assert text.startswith("# DRAFT spec written by `tablespec spec init` from the Terraform "
                           "source")
    got = yaml.safe_load(text)
    assert got["defaults"]["pitr"] == {"required_in": ["prod"]}
    assert got["defaults"]["alarms"]["required_in"] == ["prod"]
    assert main(["spec", "validate", "--spec", str(draft_file)]) == 0
    code, report = check("hcl", dev, prod, "--spec", str(draft_file), tmp=tmp_path)
    assert code == 0 and report["summary"]["failed"] == 0
    assert {f["environment"] for f in report["findings"]} == {"dev", "prod"}


def test_hcl_of_prod_looks_like_the_seed_spec(capsys: pytest.CaptureFixture[str],
                                              tmp_path: Path) -> None:
    code, out, _ = run(capsys, "--hcl", str(EXAMPLE / "prod"))
    assert code == 0
    got = yaml.safe_load(out)
    seed = yaml.safe_load((REPO / "specs" / "tables.yaml").read_text())
    assert list(got) == [k for k in seed if k in got]  # the seed's key order
    for name, table in seed["tables"].items():
        mine = got["tables"][name]
        for key in ("hash_key", "range_key", "gsis"):
            assert mine.get(key) == table.get(key)
        assert mine["ttl"] == (table["ttl"] and {"attribute": table["ttl"]["attribute"]})
    defaults = got["defaults"]
    assert defaults["encryption"] == seed["defaults"]["encryption"]
    assert set(seed["defaults"]["tags"]["required"]) <= set(defaults["tags"]["required"])
    assert defaults["alarms"]["metrics"] == seed["defaults"]["alarms"]["metrics"]


@pytest.mark.parametrize(("args", "says"), [
    (["--plan", "missing.json"], "missing.json: plan file not found"),
    (["--hcl", "no/such/dir"], "no/such/dir"),
    (["--plan", "p.json", "--region", "eu-west-1"], "--region is used with --live only"),
    (["--hcl", str(EXAMPLE / "prod"), "--pattern", "{project}-{environment}"],
     "--pattern {project}-{environment}: must contain {table} exactly once"),
    (["--hcl", str(EXAMPLE / "prod"), "--project", "a b"], "--project a b: use letters"),
    (["--plan", "a.json", "--hcl", "x"], "not allowed with argument"),
    ([], "one of the arguments --plan --hcl --cfn --live is required"),
])
def test_bad_input_is_exit_2_with_one_line(capsys: pytest.CaptureFixture[str],
                                           args: list[str], says: str) -> None:
    code, out, err = run(capsys, *args)
    assert (code, out) == (2, "")
    assert len(err.strip().splitlines()) == 1 and says in err, err


def test_a_plan_that_is_not_a_plan_is_exit_2(capsys: pytest.CaptureFixture[str],
                                             tmp_path: Path) -> None:
    bad = tmp_path / "plan.json"
    bad.write_text('{"format_version": "1.2", "truncated')
    code, out, err = run(capsys, "--plan", str(bad))
    assert (code, out) == (2, "") and str(bad) in err and len(err.strip().splitlines()) == 1


def test_an_existing_output_is_kept_without_force(capsys: pytest.CaptureFixture[str],
                                                  tmp_path: Path) -> None:
    target = tmp_path / "tables.yaml"
    target.write_text("mine\n")
    code, _, err = run(capsys, "--hcl", str(EXAMPLE / "prod"), "-o", str(target))
    assert code == 2 and "pass --force" in err and target.read_text() == "mine\n"
    code, _, _ = run(capsys, "--hcl", str(EXAMPLE / "prod"), "-o", str(target), "--force")
    assert code == 0 and target.read_text().startswith("# DRAFT")


def test_help_names_the_permissions_live_needs(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--help")
    assert code == 0
    flat = " ".join(out.split())
    assert "dynamodb:ListTables" in flat and "arn:aws:dynamodb:*:*:table/*" in flat
    assert "DescribeTable, DescribeTimeToLive, DescribeContinuousBackups" in flat


def test_a_draft_beside_the_schema_names_it_for_editors(capsys: pytest.CaptureFixture[str],
                                                        tmp_path: Path) -> None:
    (tmp_path / "tables.schema.json").write_text("{}")
    target = tmp_path / "tables.yaml"
    code, _, _ = run(capsys, "--hcl", str(EXAMPLE / "prod"), "-o", str(target))
    first, second = target.read_text().splitlines()[:2]
    assert code == 0 and first == "# yaml-language-server: $schema=tables.schema.json"
    assert second.startswith("# DRAFT")
    assert main(["spec", "validate", "--spec", str(target)]) == 0
