"""read_hcl: directories, callers, variables files, override files, errors; index_declarations."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from checker.errors import RunError
from checker.model import Key, Location
from checker.sources.hcl import index_declarations, read_hcl
from checker.unknown import Unknown
from tests.sources.hcl.util import repository, states, write
from tests.support.paths import REPO

EXAMPLE = REPO / "examples" / "terraform"


def test_a_module_file_is_evaluated_through_every_root_that_calls_it(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    repository(shutil.copytree(EXAMPLE, tmp_path / "examples" / "terraform"))
    monkeypatch.chdir(tmp_path)
    roots = read_hcl(["examples/terraform/modules/dynamodb/main.tf"])
    assert [r.directory for r in roots] == ["examples/terraform/environments/dev",
                                            "examples/terraform/environments/prod"]
    assert not any(r.module_alone for r in roots)
    note = ("examples/terraform/modules/dynamodb: evaluated through its callers "
            "examples/terraform/environments/dev, examples/terraform/environments/prod")
    assert all(note in r.notes for r in roots)
    names = {r.directory.rsplit("/", 1)[1]: sorted(str(s.name) for s in r.states) for r in roots}
    assert names["dev"] == ["hypermage-vr-interaction-events-dev",
                            "hypermage-vr-player-rewards-dev", "hypermage-vr-player-sessions-dev"]
    prod = next(r for r in roots if r.directory.endswith("prod"))
    sessions = next(s for s in prod.states if s.resource.endswith("player_sessions"))
    assert sessions.location == Location("examples/terraform/modules/dynamodb/main.tf", 14)
    assert sessions.field_locations["point_in_time_recovery.enabled"] == Location(
        "examples/terraform/modules/dynamodb/main.tf", 43)
    assert len(sessions.alarms) == 2 and sessions.pitr is True


def test_a_module_nobody_calls_is_evaluated_alone(tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    shutil.copytree(EXAMPLE / "modules" / "dynamodb", tmp_path / "dynamodb")
    monkeypatch.chdir(tmp_path)
    (root,) = read_hcl(["dynamodb"])
    assert root.module_alone and root.directory == "dynamodb"
    names = {s.resource: s.name for s in root.states}
    sessions = names["aws_dynamodb_table.player_sessions"]
    assert isinstance(sessions, Unknown) and sessions.parts
    assert sessions.parts == (None, "-player-sessions-", None)
    assert sessions.reason == "var.project_name (dynamodb/main.tf:15) has no value"


def test_variables_files_in_terraform_order(tmp_path: Path) -> None:
    files = {
        "main.tf": '''
            variable "a" {
              default = "default"
            }
            variable "b" {}
            variable "c" {}
            variable "d" {}
            resource "aws_dynamodb_table" "t" {
              name     = "${var.a}-${var.b}-${var.c}-${var.d}"
              hash_key = "id"
            }
        ''',
        "terraform.tfvars": 'a = "tfvars"\nb = "tfvars"\nc = "tfvars"\nd = "tfvars"\n',
        "b.auto.tfvars.json": '{"b": "auto-json", "c": "auto-json", "d": "auto-json"}',
        "c.auto.tfvars": 'c = "auto"\nd = "auto"\n',
        "prod.tfvars": 'd = "explicit"\n',
    }
    write(tmp_path, files)
    (root,) = read_hcl([str(tmp_path / "main.tf"), str(tmp_path / "prod.tfvars")])
    assert root.states[0].name == "tfvars-auto-json-auto-explicit"
    extra = tmp_path / "extra.tfvars"
    extra.write_text('a = "var-file"\n')
    (root,) = read_hcl([str(tmp_path)], var_files=[str(extra)])
    assert root.states[0].name == "var-file-auto-json-auto-auto"


def test_a_json_variables_file_is_read_as_terraform_reads_it(tmp_path: Path) -> None:
    """Numbers exact (a capacity past 2**53 is not rounded), strings never templates, a
    variable set twice refused on its line, as `terraform plan -var-file` refuses it."""
    write(tmp_path, {
        "main.tf": '''
            variable "rcu" {}
            variable "suffix" {}
            resource "aws_dynamodb_table" "t" {
              name           = "t${var.suffix}"
              hash_key       = "id"
              billing_mode   = "PROVISIONED"
              read_capacity  = var.rcu
              write_capacity = 1
            }
        ''',
        "prod.tfvars.json": '{"rcu": 9007199254740993, "suffix": "-${x}"}',
    })
    (root,) = read_hcl([str(tmp_path / "main.tf"), str(tmp_path / "prod.tfvars.json")])
    assert (root.states[0].name, root.states[0].read_capacity) == ("t-${x}", 9007199254740993)
    (tmp_path / "prod.tfvars.json").write_text('{\n  "rcu": 1,\n  "rcu": 2\n}')
    with pytest.raises(RunError, match=r"prod.tfvars.json:3: variable rcu is set twice"):
        read_hcl([str(tmp_path / "main.tf")])


def test_override_files_merge_as_terraform_does(tmp_path: Path) -> None:
    found = states(tmp_path, {
        "main.tf": '''
            locals {
              env = "prod"
            }
            resource "aws_dynamodb_table" "t" {
              name         = "t-${local.env}"
              hash_key     = "id"
              billing_mode = "PAY_PER_REQUEST"
              attribute {
                name = "id"
                type = "S"
              }
              attribute {
                name = "sk"
                type = "S"
              }
              point_in_time_recovery {
                enabled = true
              }
              server_side_encryption {
                enabled = true
              }
            }
        ''',
        "z_override.tf": '''
            locals {
              env = "dev"
            }
            resource "aws_dynamodb_table" "t" {
              hash_key = "sk"
              attribute {
                name = "sk"
                type = "N"
              }
              dynamic "server_side_encryption" {
                for_each = []
                content {
                  enabled = true
                }
              }
            }
        ''',
    })
    (state,) = found
    assert state.name == "t-dev" and state.billing_mode == "PAY_PER_REQUEST"
    assert state.hash_key == Key("sk", "N")
    assert state.pitr is True
    assert state.encryption.low == state.encryption.high == 0
    assert state.field_locations["hash_key"].file == str(tmp_path / "z_override.tf")


@pytest.mark.parametrize(("files", "message"), [
    ({"main.tf": 'resource "a" "b" {\n  x = \n}\n'}, "main.tf:2: syntax error"),
    ({"main.tf": 'locals {\n  a = 1\n\n'}, "main.tf:1: syntax error"),
    ({"ok.tf": "locals {}\n", "bad.tf": 'locals {\n  a = "x\n}\n'}, "bad.tf:2: syntax error"),
])
def test_syntax_errors_name_file_and_line(tmp_path: Path, files: dict[str, str],
                                          message: str) -> None:
    write(tmp_path, files)
    with pytest.raises(RunError) as err:
        read_hcl([str(tmp_path)])
    assert message in err.value.message and "\n" not in err.value.message


def test_path_errors_are_one_line(tmp_path: Path) -> None:
    with pytest.raises(RunError, match=r"nope: no such file or directory"):
        read_hcl([str(tmp_path / "nope")])
    (tmp_path / "empty").mkdir()
    with pytest.raises(RunError, match=r"empty: no Terraform files in it or under it$"):
        read_hcl([str(tmp_path / "empty")])
    (tmp_path / "broken").mkdir()
    os.symlink(tmp_path / "missing.tf", tmp_path / "broken" / "main.tf")
    with pytest.raises(RunError, match=r"broken/main.tf: cannot read"):
        read_hcl([str(tmp_path / "broken")])
    (tmp_path / "notes.txt").write_text("x")
    with pytest.raises(RunError, match=r"notes.txt: not a Terraform file"):
        read_hcl([str(tmp_path / "notes.txt")])


def test_index_declarations_from_parsing_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    found = index_declarations("examples/terraform/modules/dynamodb")
    main = "examples/terraform/modules/dynamodb/main.tf"
    assert set(found) == {("aws_dynamodb_table", "player_sessions"),
                          ("aws_dynamodb_table", "interaction_events"),
                          ("aws_dynamodb_table", "player_rewards"),
                          ("aws_cloudwatch_metric_alarm", "throttle")}
    events = found[("aws_dynamodb_table", "interaction_events")]
    assert (events.file, events.line) == (main, 51)
    assert events.field_locations["global_secondary_index.PlayerIdIndex"] == Location(main, 74)
    assert events.field_locations["ttl.attribute_name"] == Location(main, 85)
    alarm = found[("aws_cloudwatch_metric_alarm", "throttle")]
    assert alarm.field_locations["threshold"] == Location(
        "examples/terraform/modules/dynamodb/alarms.tf", 29)


def test_importing_the_source_stays_light() -> None:
    code = ("import sys, checker.sources.hcl; "
            "print(sorted(m for m in ('boto3', 'yaml', 'tree_sitter') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert out.stdout.strip() == "[]"


def test_notes_for_what_is_not_evaluated(tmp_path: Path) -> None:
    write(tmp_path, {
        "main.tf": '''
            module "self" {
              source = "./"
            }
            module "registry" {
              source = "terraform-aws-modules/dynamodb-table/aws"
            }
            resource "aws_dynamodb_table" "t" {
              hash_key = "id"
            }
        ''',
    })
    (root,) = read_hcl([str(tmp_path)])
    assert root.module_alone
    assert root.notes[0].endswith("evaluated alone (no caller found); "
                                  "variables without a default are unknown")
    assert any("module.self not evaluated: it calls itself" in n for n in root.notes)
    assert any("module.registry not evaluated: source 'terraform-aws-modules/dynamodb-table/aws'"
               " is not a local module" in n for n in root.notes)
    state, *unread = root.states
    assert isinstance(state.name, Unknown) and "name is not set" in state.name.reason
    # a module not read may declare tables: each stands as a table whose name is not known
    assert [s.resource for s in unread] == ["module.self", "module.registry"]
    assert all(isinstance(s.name, Unknown) and "is not evaluated" in s.name.reason
               for s in unread)


def test_callers_are_followed_up_to_the_roots(tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, {
        ".git/HEAD": "ref: refs/heads/main\n",
        "live/main.tf": 'module "mid" {\n  source = "../mid"\n  env = "live"\n}\n',
        "mid/main.tf": ('variable "env" {}\n'
                        'module "leaf" {\n  source = "../leaf"\n  name = "t-${var.env}"\n}\n'),
        "leaf/main.tf": ('variable "name" {}\nresource "aws_dynamodb_table" "t" {\n'
                         '  name = var.name\n  hash_key = "id"\n}\n'),
        "other/main.tf": '# a module whose source = "../leaf" in a comment is no call\n',
    })
    monkeypatch.chdir(tmp_path / "leaf")
    (root,) = read_hcl(["main.tf"])
    assert root.directory == str(tmp_path / "live")
    assert [(s.resource, s.name) for s in root.states] == [
        ("module.mid.module.leaf.aws_dynamodb_table.t", "t-live")]
    assert root.notes == [f".: evaluated through its callers {tmp_path / 'live'}"]
