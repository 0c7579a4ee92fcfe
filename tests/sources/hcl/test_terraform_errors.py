"""What Terraform refuses, `tablespec hcl` refuses: exit 2, one line naming file:line.

Each case was checked against `terraform validate`: a resource, data source, module call,
output, variable, provider configuration or local declared twice, an argument set twice,
and a cycle among locals (even through a branch not taken) or through a module's variable.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from checker.cli import main
from checker.errors import RunError
from checker.sources.hcl import read_hcl
from tests.sources.hcl.util import repository, write
from tests.support.paths import REPO

SPEC = str(REPO / "specs" / "tables.yaml")
TABLE = '''
resource "aws_dynamodb_table" "t" {
  name         = "hypermage-vr-player-sessions-dev"
  billing_mode = "PAY_PER_REQUEST"
  hash_key     = "id"
  point_in_time_recovery {
    enabled = true
  }
}
'''
NON_COMPLIANT = TABLE.replace("enabled = true", "enabled = false")


def refused(tmp_path: Path, files: dict[str, str], capsys: pytest.CaptureFixture[str]) -> str:
    """`tablespec hcl` of *files*: exit 2 and its one stderr line (asserted), returned."""
    write(repository(tmp_path / "tf"), files)
    code = main(["hcl", str(tmp_path / "tf"), "--spec", SPEC, "--format", "json",
                 "-o", str(tmp_path / "r.json")])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "Traceback" not in err, err
    return err


@pytest.mark.parametrize(("files", "says"), [
    ({"main.tf": TABLE + NON_COMPLIANT},
     'main.tf:10: resource "aws_dynamodb_table" "t" is declared twice (first at '),
    ({"a.tf": TABLE, "b.tf": NON_COMPLIANT},
     'b.tf:1: resource "aws_dynamodb_table" "t" is declared twice (first at '),
    ({"main.tf": 'data "aws_kms_key" "k" {\n  key_id = "a"\n}\n'
                 'data "aws_kms_key" "k" {\n  key_id = "b"\n}\n'},
     'main.tf:4: data source "aws_kms_key" "k" is declared twice'),
    ({"main.tf": 'variable "v" {}\nvariable "v" {\n  default = 1\n}\n'},
     'main.tf:2: variable "v" is declared twice (first at '),
    ({"main.tf": 'output "o" {\n  value = 1\n}\noutput "o" {\n  value = 2\n}\n'},
     'main.tf:4: output "o" is declared twice'),
    ({"main.tf": 'module "m" {\n  source = "./m"\n}\nmodule "m" {\n  source = "./m"\n}\n'},
     'main.tf:4: module call "m" is declared twice'),
    ({"main.tf": 'provider "aws" {\n  region = "eu-west-1"\n}\n'
                 'provider "aws" {\n  region = "us-east-1"\n}\n'},
     'main.tf:4: provider configuration "aws" is declared twice'),
    ({"main.tf": 'locals {\n  a = 1\n}\nlocals {\n  a = 2\n}\n'},
     "main.tf:5: local.a is defined twice (first at "),
    ({"main.tf": 'locals {\n  a = 1\n  a = 2\n}\n'},
     "main.tf:3: the argument a is set twice (first at line 2); Terraform refuses it"),
    ({"main.tf": TABLE.replace("    enabled = true", "    enabled = true\n    enabled = false")},
     "main.tf:7: the argument enabled is set twice (first at line 6)"),
])
def test_a_duplicate_is_exit_2_naming_the_second(tmp_path: Path, files: dict[str, str],
                                                 says: str,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    err = refused(tmp_path, files, capsys)
    assert says in err and "Terraform refuses it" in err


def test_a_duplicated_argument_in_a_variables_file_is_refused(tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": 'variable "v" {}\n', "terraform.tfvars": "v = 1\nv = 2\n"})
    with pytest.raises(RunError, match=r"terraform\.tfvars:2: the argument v is set twice"):
        read_hcl([str(tmp_path)])


def test_override_files_may_redefine(tmp_path: Path) -> None:
    """Terraform merges override files, even two blocks of one name in one override file."""
    write(repository(tmp_path), {
        "main.tf": TABLE + 'locals {\n  a = 1\n}\n',
        "x_override.tf": NON_COMPLIANT + NON_COMPLIANT.replace("false", "true"),
        "y_override.tf": 'locals {\n  a = 2\n}\n',
    })
    (root,) = read_hcl([str(tmp_path)])
    (state,) = root.states
    assert state.pitr is True  # the last override wins, as Terraform merges them


@pytest.mark.parametrize(("locals_", "says"), [
    ("a = local.a", "main.tf:2: local.a refers to itself directly: a cycle"),
    ("a = { x = 1, y = local.a.x }", "main.tf:2: local.a refers to itself directly"),
    ("a = local.b\n  b = local.c\n  c = local.a",
     "main.tf:2: local.a refers to itself through local.b, local.c: a cycle"),
    ("c = local.a\n  a = local.b\n  b = local.c",  # named from the first written
     "main.tf:2: local.c refers to itself through local.a, local.b"),
    # Terraform refuses the cycle even through a branch that is never taken
    ("a = false ? local.b : 1\n  b = local.a", "main.tf:2: local.a refers to itself through "
     "local.b"),
    ('a = "${local.b}-x"\n  b = [for v in [1] : local.a]', "local.a refers to itself"),
])
def test_a_cycle_of_locals_is_exit_2_naming_where(tmp_path: Path, locals_: str, says: str,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    files = {"main.tf": f"locals {{\n  {locals_}\n}}\n{TABLE}"}
    err = refused(tmp_path, files, capsys)
    assert says in err and "Terraform refuses" in err


@pytest.mark.parametrize("locals_", [
    "a = local.b\n  b = 1",  # a chain, no cycle
    "a = local.b\n  b = var.nothing",  # merely unknown: not a cycle
    "a = [for local in [1, 2] : local]",  # a for variable named local hides the locals
    'a = "%{ for local in [1] }${local}%{ endfor }"',
])
def test_what_is_no_cycle_is_read(tmp_path: Path, locals_: str) -> None:
    write(repository(tmp_path), {"main.tf": f'variable "nothing" {{}}\n'
                                            f"locals {{\n  {locals_}\n}}\n{TABLE}"})
    (root,) = read_hcl([str(tmp_path)])
    assert [s.name for s in root.states] == ["hypermage-vr-player-sessions-dev"]


def test_a_cycle_through_a_module_variable_is_exit_2(tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    """`module.n`'s input is its own output; `module.m`'s reads another output: no cycle."""
    files = {
        "m/main.tf": 'variable "x" {}\nvariable "b" {\n  default = 1\n}\n'
                     'output "y" {\n  value = var.x\n}\noutput "c" {\n  value = var.b\n}\n'
                     + TABLE.replace('"hypermage-vr-player-sessions-dev"', '"t-${var.x}"'),
        "main.tf": 'module "m" {\n  source = "./m"\n  x = module.m.c\n}\n',
    }
    write(repository(tmp_path / "ok"), files)
    (root,) = read_hcl([str(tmp_path / "ok")])
    assert [s.name for s in root.states] == ["t-1"]
    files["main.tf"] += 'module "n" {\n  source = "./m"\n  x = module.n.y\n}\n'
    err = refused(tmp_path, files, capsys)
    assert "m/main.tf:1: var.x depends on itself: a cycle, which Terraform refuses" in err
