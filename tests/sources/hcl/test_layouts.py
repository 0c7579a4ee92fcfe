"""Each environment evaluated as itself: var files, folders of var files, workspaces,
monorepos and the spec file as a trigger (the layouts pre-commit meets)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from checker.sources.hcl import read_hcl
from checker.sources.hcl.layouts import Environments
from tests.sources.hcl.util import repository, write

SPEC = """
version: 1
project: shop
naming: {pattern: "{project}-{table}-{environment}"}
environments: [qa, prod]
defaults:
  pitr: {required_in: [prod]}
tables:
  orders:
    hash_key: {name: id, type: S}
    ttl: false
"""
TABLE = """
variable "env" {
  type = string
}
variable "pitr" {
  type    = bool
  default = true
}
resource "aws_dynamodb_table" "orders" {
  name     = "shop-orders-${var.env}"
  hash_key = "id"
  billing_mode = "PAY_PER_REQUEST"
  attribute {
    name = "id"
    type = "S"
  }
  point_in_time_recovery {
    enabled = var.pitr
  }
}
"""
ENVS = Environments(("qa", "prod"))


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    repository(write(tmp_path, {"tablespec.yaml": SPEC, **files}))
    return tmp_path


def _cli(tmp_path: Path, *args: str, env: dict[str, str] | None = None) -> tuple[int, dict[
        str, object]]:
    """Run `tablespec hcl ARGS --format json` in *tmp_path*: exit code and report."""
    proc = subprocess.run([sys.executable, "-m", "checker.cli", "hcl", *args, "--format", "json"],
                          cwd=tmp_path, capture_output=True, text=True, check=False,
                          env={"PATH": "/usr/bin:/bin", **(env or {})})
    assert proc.returncode in (0, 1), proc.stderr
    report: dict[str, object] = json.loads(proc.stdout)
    return proc.returncode, report


def _failed(report: dict[str, object]) -> set[tuple[str, str, str, str]]:
    """(rule, table, environment, field) of every failing finding."""
    findings = report["findings"]
    assert isinstance(findings, list)
    return {(f["rule_id"], f["table"], f["environment"], f["field"]) for f in findings
            if f["status"] == "fail"}


def _environments(report: dict[str, object]) -> set[str]:
    findings = report["findings"]
    assert isinstance(findings, list)
    return {f["environment"] for f in findings}


def test_each_var_file_given_is_its_own_evaluation(tmp_path: Path) -> None:
    """The issue's case: `hcl main.tf prod.tfvars qa.tfvars` checks both, fails on prod."""
    _tree(tmp_path, {"main.tf": TABLE, "prod.tfvars": 'env = "prod"\npitr = false\n',
                     "qa.tfvars": 'env = "qa"\npitr = false\n'})
    code, report = _cli(tmp_path, "main.tf", "prod.tfvars", "qa.tfvars")
    assert code == 1
    assert _environments(report) == {"qa", "prod"}
    assert _failed(report) == {("TS-PITR-001", "orders", "prod", "point_in_time_recovery.enabled")}


def test_var_files_beside_the_root_are_found_when_only_a_tf_file_changed(
        tmp_path: Path) -> None:
    _tree(tmp_path, {"main.tf": TABLE, "prod.tfvars": 'env = "prod"\npitr = false\n',
                     "qa.tfvars": 'env = "qa"\n'})
    code, report = _cli(tmp_path, "main.tf")
    assert code == 1
    assert _failed(report) == {("TS-PITR-001", "orders", "prod", "point_in_time_recovery.enabled")}
    code, report = _cli(tmp_path, "main.tf", env={"TABLESPEC_ENV": "qa"})
    assert (code, _environments(report)) == (0, {"qa"})


def test_a_var_file_in_a_folder_of_its_own_belongs_to_the_root_above(tmp_path: Path) -> None:
    _tree(tmp_path, {"infra/main.tf": TABLE, "infra/env/prod.tfvars": 'env = "prod"\n',
                     "infra/env/qa.tfvars": 'env = "qa"\npitr = false\n'})
    code, report = _cli(tmp_path, "infra/env/qa.tfvars")
    assert code == 0
    assert _environments(report) == {"qa", "prod"}
    roots = read_hcl([str(tmp_path / "infra/env/prod.tfvars")], environments=ENVS)
    assert sorted(r.selected_by for r in roots) == ["var file env/prod.tfvars",
                                                    "var file env/qa.tfvars"]
    assert sorted(str(r.environment) for r in roots) == ["prod", "qa"]


def test_the_spec_names_the_var_files_of_an_environment(tmp_path: Path) -> None:
    """`environments: {prod: {var_files: [...]}}`: applied together, in order; a file not
    named for an environment selects it only through the spec."""
    spec = SPEC.replace("environments: [qa, prod]", "environments:\n  qa: {}\n  prod: "
                        "{var_files: [common.tfvars, vars/live.tfvars]}")
    _tree(tmp_path, {"main.tf": TABLE, "common.tfvars": 'env = "prod"\npitr = true\n',
                     "vars/live.tfvars": "pitr = false\n", "tablespec.yaml": spec})
    code, report = _cli(tmp_path, "main.tf")
    assert code == 1
    assert _environments(report) == {"prod"}
    assert _failed(report) == {("TS-PITR-001", "orders", "prod", "point_in_time_recovery.enabled")}


def test_a_root_that_reads_the_workspace_is_evaluated_in_each_environments(
        tmp_path: Path) -> None:
    body = TABLE.replace("${var.env}", "${terraform.workspace}").replace(
        "enabled = var.pitr", 'enabled = terraform.workspace == "production"')
    spec = SPEC.replace("environments: [qa, prod]",
                        "environments:\n  qa: {}\n  prod: {workspace: production}")
    _tree(tmp_path, {"main.tf": body.replace('"shop-orders-${terraform.workspace}"',
                                             '"shop-orders-${terraform.workspace == '
                                             '"production" ? "prod" : terraform.workspace}"'),
                     "tablespec.yaml": spec})
    code, report = _cli(tmp_path, ".")
    assert code == 0, report
    assert _environments(report) == {"qa", "prod"}
    code, report = _cli(tmp_path, ".", env={"TF_WORKSPACE": "qa"})
    assert _environments(report) == {"qa"}


def test_workspace_in_the_name_without_a_spec_workspace_is_the_environments_name(
        tmp_path: Path) -> None:
    _tree(tmp_path, {"main.tf": TABLE.replace("${var.env}", "${terraform.workspace}")})
    roots = read_hcl([str(tmp_path)], environments=ENVS)
    assert sorted(r.selected_by for r in roots) == ["workspace prod", "workspace qa"]
    names = sorted(str(s.name) for r in roots for s in r.states)
    assert names == ["shop-orders-prod", "shop-orders-qa"]


def test_env_pins_one_environment(tmp_path: Path) -> None:
    _tree(tmp_path, {"main.tf": TABLE, "prod.tfvars": 'env = "prod"\n',
                     "qa.tfvars": 'env = "qa"\npitr = false\n'})
    roots = read_hcl([str(tmp_path)], environments=Environments(("qa", "prod"), env="prod"))
    assert [(r.environment, r.selected_by) for r in roots] == [("prod", "var file prod.tfvars")]


def test_a_directory_stands_for_every_root_under_it(tmp_path: Path) -> None:
    """A monorepo: `hcl .` at the top finds the roots in subfolders (not .terraform, not
    hidden folders)."""
    _tree(tmp_path, {"live/qa/main.tf": TABLE, "live/qa/terraform.tfvars": 'env = "qa"\n',
                     "live/prod/main.tf": TABLE,
                     "live/prod/terraform.tfvars": 'env = "prod"\npitr = false\n',
                     "live/prod/.terraform/modules/x/main.tf": TABLE,
                     ".hidden/main.tf": TABLE})
    code, report = _cli(tmp_path, ".")
    assert code == 1
    assert _failed(report) == {("TS-PITR-001", "orders", "prod", "point_in_time_recovery.enabled")}
    roots = read_hcl([str(tmp_path)], environments=ENVS)
    assert sorted(Path(r.directory).name for r in roots) == ["prod", "qa"]


def test_the_spec_file_given_stands_for_every_root(tmp_path: Path) -> None:
    """pre-commit passes the spec when it changes: every root is then evaluated."""
    _tree(tmp_path, {"a/main.tf": TABLE, "a/terraform.tfvars": 'env = "prod"\npitr = false\n'})
    code, report = _cli(tmp_path, "tablespec.yaml")
    assert code == 1
    assert _failed(report) == {("TS-PITR-001", "orders", "prod", "point_in_time_recovery.enabled")}


@pytest.mark.parametrize("given", ["env/notes.tfvars", "stray.tfvars"])
def test_a_var_file_without_a_root_is_refused(tmp_path: Path, given: str) -> None:
    _tree(tmp_path, {"x/" + given: "a = 1\n"})
    proc = subprocess.run([sys.executable, "-m", "checker.cli", "hcl", "x/" + given],
                          cwd=tmp_path, capture_output=True, text=True, check=False)
    assert proc.returncode == 2
    assert "no Terraform root holds this variables file" in proc.stderr


TWO_TABLES = SPEC.replace("environments: [qa, prod]", "environments: [prod]") + """
  payments:
    hash_key: {name: id, type: S}
    ttl: false
"""


def _service(table: str) -> str:
    """A root declaring the table *table* of the environment its var file names."""
    return TABLE.replace("orders", table).replace("default = true", "default = true\n}\n"
                                                  'variable "unused" {\n  default = 0')


def test_a_monorepo_whose_roots_each_hold_some_tables(tmp_path: Path) -> None:
    """Each service root declares one table of the spec: checked together, or one root at a
    time (pre-commit on a changed root), no table is absent that another root declares; a
    table no root declares fails, and one whose environment nothing tells does not stand
    for it."""
    write(tmp_path, {"tablespec.yaml": TWO_TABLES,
                     "svc/orders/main.tf": _service("orders"),
                     "svc/orders/env/prod.tfvars": 'env = "prod"\n',
                     "svc/payments/main.tf": _service("payments"),
                     "svc/payments/env/prod.tfvars": 'env = "prod"\n',
                     "sandbox/main.tf": _service("payments")})  # var.env: nothing sets it
    repository(tmp_path)
    code, report = _cli(tmp_path, "svc")
    assert (code, _failed(report)) == (0, set())
    code, report = _cli(tmp_path, "svc/orders/main.tf")
    assert (code, _failed(report)) == (0, set())
    findings = report["findings"]
    assert isinstance(findings, list) and {f["table"] for f in findings} == {"orders"}
    notes = report["notes"]
    assert isinstance(notes, list)
    (other,) = [n["message"] for n in notes if n["kind"] == "other_roots"]
    assert other.endswith("(1, by environment): payments (prod, in svc/payments)")
    (tmp_path / "svc" / "payments" / "main.tf").unlink()
    code, report = _cli(tmp_path, "svc/orders/main.tf")
    assert (code, _failed(report)) == (1, {("TS-PRES-001", "payments", "prod", "name")})


def test_two_roots_that_share_a_table_each_hold_every_table(tmp_path: Path) -> None:
    """Two roots that both declare a table of one environment are two deployments of it (a
    root per region): one of them lacking another table fails there, checked together or
    alone, though the other root declares it."""
    payments = "resource" + TABLE.split("resource", 1)[1].replace("orders", "payments")
    write(tmp_path, {"tablespec.yaml": TWO_TABLES,
                     "live/eu/main.tf": TABLE + payments,
                     "live/eu/terraform.tfvars": 'env = "prod"\n',
                     "live/us/main.tf": TABLE,
                     "live/us/terraform.tfvars": 'env = "prod"\n'})
    repository(tmp_path)
    for given in ("live", "live/us/main.tf"):
        code, report = _cli(tmp_path, given)
        assert (code, _failed(report)) == (1, {("TS-PRES-001", "payments", "prod", "name")})
        findings = report["findings"]
        assert isinstance(findings, list)
        (absent,) = [f for f in findings if f["status"] == "fail"]
        assert "live/us" in absent["message"]
