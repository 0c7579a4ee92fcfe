"""`tablespec hcl` where the source cannot tell which tables there are: every spec table is
still reported, as an unknown presence naming what hides it, and the run says so."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from checker.cli import main
from checker.specfile.load import load_spec
from tests.sources.hcl.util import repository, write
from tests.support.paths import REPO

SPEC = str(REPO / "specs" / "tables.yaml")
MODULE = REPO / "examples" / "terraform" / "modules" / "dynamodb"
REGISTRY = "terraform-aws-modules/dynamodb-table/aws"

# A root whose names depend on a value known only at apply (a data source's attribute).
NAMES_NOT_KNOWN = '''
    data "aws_caller_identity" "me" {}
    locals {
      tables = toset([for t in ["player-sessions", "player-rewards"] :
                      "${t}${substr(data.aws_caller_identity.me.account_id, 0, 0)}"])
    }
    resource "aws_dynamodb_table" "t" {
      for_each     = local.tables
      name         = "hypermage-vr-${each.key}-dev"
      hash_key     = "id"
      billing_mode = "PAY_PER_REQUEST"
      attribute {
        name = "id"
        type = "S"
      }
    }
'''
COUNT_NOT_KNOWN = '''
    data "aws_caller_identity" "me" {}
    resource "aws_dynamodb_table" "t" {
      count        = length(compact([data.aws_caller_identity.me.account_id]))
      name         = "hypermage-vr-player-sessions-dev"
      hash_key     = "id"
      billing_mode = "PAY_PER_REQUEST"
      attribute {
        name = "id"
        type = "S"
      }
    }
'''
REGISTRY_MODULE = f'''
    module "tables" {{
      source      = "{REGISTRY}"
      version     = "4.2.0"
      name        = "hypermage-vr-player-sessions-dev"
    }}
'''
MISSING_MODULE = '''
    module "tables" {
      source = "../not-checked-out"
    }
'''


def run(root: Path, out: Path, *extra: str) -> tuple[int, dict[str, Any], str]:
    """`tablespec hcl ROOT` in process: exit code, JSON report, the text report's last line."""
    text = out.with_suffix(".txt")
    code = main(["hcl", str(root), "--spec", SPEC, "--format", f"json={out}",
                 "--format", f"text={text}", *extra])
    return code, json.loads(out.read_text()), text.read_text().rstrip().splitlines()[-1]


def presence(report: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    """(table, environment) -> its TS-PRES-001 finding."""
    return {(f["table"], f["environment"]): f for f in report["findings"]
            if f["rule_id"] == "TS-PRES-001"}


def spec_pairs(environments: list[str] | None = None) -> set[tuple[str, str]]:
    """Every (spec table, environment) of the spec, or of *environments*."""
    spec = load_spec(SPEC)
    return {(t, e) for t in spec.tables for e in environments or spec.environments}


@pytest.mark.parametrize(("files", "hidden", "environments"), [
    (NAMES_NOT_KNOWN, "aws_dynamodb_table.t", None),
    (COUNT_NOT_KNOWN, "aws_dynamodb_table.t", None),
    (REGISTRY_MODULE, "module.tables", None),
    (MISSING_MODULE, "module.tables", None),
], ids=["names-not-known", "count-not-known", "registry-module", "module-not-checked-out"])
def test_every_spec_table_is_an_unknown_presence_naming_what_hides_it(
        tmp_path: Path, files: str, hidden: str, environments: list[str] | None) -> None:
    root = write(tmp_path / "root", {"main.tf": files})
    code, report, last = run(root, tmp_path / "r.json")
    found = presence(report)
    assert set(found) == spec_pairs(environments)
    for (table, env), f in found.items():
        assert (f["status"], f["field"]) == ("unknown", "name"), (table, env)
        assert hidden in f["message"], f["message"]
    assert code == 0
    pairs = len(spec_pairs(environments))
    assert f": OK ({pairs} spec table(s) could not be checked: " in last
    gated, _, last = run(root, tmp_path / "g.json", "--fail-on-unknown")
    assert gated == 1 and ": FAIL (" in last and "(--fail-on-unknown)" in last
    # every other check of a spec table follows from its presence: not evaluated, not failed
    assert not [f for f in report["findings"] if f["status"] == "fail"]


def test_a_registry_module_terraform_init_installed_is_read(tmp_path: Path) -> None:
    root = write(tmp_path / "root", {"main.tf": '''
        module "tables" {
          source       = "acme/tables/aws"
          project_name = "hypermage-vr"
          environment  = "dev"
          tags         = { Owner = "o", CostCenter = "c" }
        }
    '''})
    installed = root / ".terraform" / "modules" / "tables"
    shutil.copytree(MODULE, installed)
    manifest = {"Modules": [{"Key": "", "Source": "", "Dir": "."},
                            {"Key": "tables", "Source": "registry.terraform.io/acme/tables/aws",
                             "Version": "1.0.0", "Dir": ".terraform/modules/tables"}]}
    (installed.parent / "modules.json").write_text(json.dumps(manifest))
    _, report, _ = run(root, tmp_path / "r.json")
    found = presence(report)
    assert set(found) == spec_pairs(["dev"])
    assert {f["status"] for f in found.values()} == {"pass"}
    assert all(f["resource"].startswith("module.tables.aws_dynamodb_table.")
               for f in found.values())
    # installed from another source than the call now writes: init was not run again
    manifest["Modules"][1]["Source"] = "registry.terraform.io/acme/other/aws"
    (installed.parent / "modules.json").write_text(json.dumps(manifest))
    _, report, _ = run(root, tmp_path / "s.json")
    assert {f["status"] for f in presence(report).values()} == {"unknown"}
    # a manifest that is not one is named, never a crash
    (installed.parent / "modules.json").write_text("{not json")
    _, report, _ = run(root, tmp_path / "t.json")
    assert any("modules.json is not a readable modules manifest" in n["message"]
               for n in report["notes"])


def test_a_module_called_zero_times_hides_nothing(tmp_path: Path) -> None:
    root = write(tmp_path / "root", {"main.tf": f'''
        module "tables" {{
          count  = 0
          source = "{REGISTRY}"
        }}
    '''})
    code, report, last = run(root, tmp_path / "r.json")
    assert (code, report["findings"]) == (0, [])
    assert last.endswith(": OK (no environment was checked: no table of the spec was found "
                         "(with --env ENV, the spec's tables are required there))")


def test_known_tables_beside_a_module_not_read_are_checked_in_their_environment(
        tmp_path: Path) -> None:
    root = write(repository(tmp_path) / "root", {"main.tf": f'''
        module "tables" {{
          source       = "../modules/dynamodb"
          project_name = "hypermage-vr"
          environment  = "dev"
          tags         = {{ Owner = "o", CostCenter = "c" }}
        }}
        module "more" {{
          source = "{REGISTRY}"
        }}
    '''})
    shutil.copytree(MODULE, tmp_path / "modules" / "dynamodb")
    _, report, _ = run(root, tmp_path / "r.json")
    found = presence(report)
    assert set(found) == spec_pairs(["dev"])  # the run is dev's: the others are not checked
    assert {f["status"] for f in found.values()} == {"pass"}
