"""`tablespec hcl` reads only inside its place (the git work tree, else the directories
given), and no error line carries a file's content."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import pytest

from checker.cli import main
from checker.sources.hcl import budget
from checker.sources.hcl.discover import _on
from tests.sources.hcl.util import repository, write
from tests.support.paths import REPO

SPEC = str(REPO / "specs" / "tables.yaml")
EXAMPLE = REPO / "examples" / "terraform"
SECRET = "wJalrXUtnFEMIK7MDENGbPxRfiCYSECRETKEY"
CREDENTIALS = f"[default]\naws_access_key_id = AKIAEXAMPLE\naws_secret_access_key = {SECRET}\n"
SPEC_TABLES = {"player-sessions", "interaction-events", "player-rewards"}


def hcl(tmp_path: Path, *paths: Path) -> tuple[int, dict[str, Any], str]:
    """`tablespec hcl PATHS` in process: exit code, JSON report ({} without), stderr."""
    out = tmp_path / "report.json"
    out.unlink(missing_ok=True)
    code = main(["hcl", *map(str, paths), "--spec", SPEC, "--format", "json", "-o", str(out)])
    return code, json.loads(out.read_text()) if out.exists() else {}, ""


def run(tmp_path: Path, capsys: pytest.CaptureFixture[str], *paths: Path
        ) -> tuple[int, dict[str, Any], str]:
    """`hcl`, with what it printed; no secret anywhere in it."""
    code, report, _ = hcl(tmp_path, *paths)
    captured = capsys.readouterr()
    everything = captured.out + captured.err + json.dumps(report)
    assert SECRET not in everything and "AKIAEXAMPLE" not in everything
    return code, report, captured.err


def notes(report: dict[str, Any]) -> list[str]:
    """The report's notes."""
    return [n["message"] for n in report["notes"]]


def unknown_presence(report: dict[str, Any]) -> set[str]:
    """The spec tables whose presence is unknown."""
    return {f["table"] for f in report["findings"]
            if f["rule_id"] == "TS-PRES-001" and f["status"] == "unknown"}


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    """A credentials file outside every repository of the test."""
    path = tmp_path / "home" / ".aws" / "credentials"
    path.parent.mkdir(parents=True)
    path.write_text(CREDENTIALS)
    return path


def tree(tmp_path: Path) -> Path:
    """A copy of the example Terraform in a git work tree."""
    return repository(shutil.copytree(EXAMPLE, tmp_path / "repo"))


def test_a_tf_link_that_leaves_the_repository_is_not_read(
        tmp_path: Path, secret_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = tree(tmp_path)
    os.symlink(secret_file, repo / "environments" / "prod" / "creds.tf")
    code, report, err = run(tmp_path, capsys, repo / "environments" / "prod")
    assert code == 0 and err == ""
    assert unknown_presence(report) == SPEC_TABLES  # every spec table, unknown, none absent
    assert any("creds.tf is a symbolic link that leaves the repository" in n
               and "not read" in n for n in notes(report))


def test_a_module_with_a_link_that_leaves_the_repository_is_a_module_not_read(
        tmp_path: Path, secret_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = tree(tmp_path)
    os.symlink(secret_file, repo / "modules" / "dynamodb" / "creds.tf")
    code, report, _ = run(tmp_path, capsys, repo / "environments" / "prod")
    assert code == 0 and unknown_presence(report) == SPEC_TABLES
    assert any("module.dynamodb not evaluated" in n and "creds.tf is a symbolic link that "
               "leaves the repository" in n for n in notes(report))


def test_a_link_inside_the_repository_is_read(tmp_path: Path) -> None:
    repo = tree(tmp_path)
    shared = repo / "shared.tf"
    shared.write_text('locals {\n  shared = 1\n}\n')
    os.symlink(shared, repo / "environments" / "prod" / "shared.tf")
    code, report, _ = hcl(tmp_path, repo / "environments" / "prod")
    assert code == 0 and report["summary"]["unknown"] == 0


@pytest.mark.parametrize("source", ["../../../../../../../../etc", "../../../outside"])
def test_a_module_source_outside_the_repository_is_not_read(
        tmp_path: Path, source: str, capsys: pytest.CaptureFixture[str]) -> None:
    repo = tree(tmp_path)
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "main.tf").write_text('resource "aws_dynamodb_table" "x" {}\n')
    prod = repo / "environments" / "prod" / "main.tf"
    prod.write_text(prod.read_text() + f'module "escape" {{\n  source = "{source}"\n}}\n')
    code, report, _ = run(tmp_path, capsys, repo / "environments" / "prod")
    assert code == 0
    assert any("module.escape not evaluated: its source is outside the repository" in n
               for n in notes(report))
    # a module not read may hold any table: none of the spec's is judged absent
    assert {f["status"] for f in report["findings"] if f["rule_id"] == "TS-PRES-001"} <= {
        "pass", "unknown"}


def test_a_module_directory_linked_outside_is_not_read(tmp_path: Path) -> None:
    repo = tree(tmp_path)
    moved = shutil.move(str(repo / "modules" / "dynamodb"), str(tmp_path / "elsewhere"))
    os.symlink(moved, repo / "modules" / "dynamodb")
    _, report, _ = hcl(tmp_path, repo / "environments" / "prod")
    assert unknown_presence(report) == SPEC_TABLES
    assert any("module.dynamodb not evaluated: its source is a symbolic link that leaves "
               "the repository" in n for n in notes(report))


def test_without_git_modules_are_read_inside_the_directories_given(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    copy = shutil.copytree(EXAMPLE, tmp_path / "tf")
    prod, module = copy / "environments" / "prod", copy / "modules" / "dynamodb"
    monkeypatch.chdir(tmp_path)
    _, alone, _ = hcl(tmp_path, prod)
    assert unknown_presence(alone) == SPEC_TABLES
    assert any("its source is outside the directories given (no git repository)" in n
               for n in notes(alone))
    code, both, _ = hcl(tmp_path, prod, module)
    assert code == 0 and both["summary"]["unknown"] == 0
    assert any("evaluated through its callers" in n for n in notes(both))


def test_without_git_the_callers_search_stays_in_the_directories_given(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An unrelated root beside the module (here: the current directory's) is no caller:
    run from `/`, the search once walked /proc and took such a root for one."""
    copy = shutil.copytree(EXAMPLE, tmp_path / "tf")
    walked: list[str] = []
    real_walk = os.walk

    def walk(top: str) -> Any:
        walked.append(top)
        return real_walk(top)

    monkeypatch.setattr(os, "walk", walk)
    monkeypatch.chdir(tmp_path)
    _, report, _ = hcl(tmp_path, copy / "modules" / "dynamodb")
    assert set(walked) == {str(copy / "modules" / "dynamodb")}  # its folders, then callers
    assert any("evaluated alone (no caller found)" in n for n in notes(report))


def test_the_callers_search_does_not_cross_into_another_file_system() -> None:
    if not os.path.ismount("/proc"):
        pytest.skip("no /proc mount here")
    assert not _on(os.stat("/").st_dev, "/", "proc")
    assert _on(os.stat("/").st_dev, "/", "etc") == (os.stat("/etc").st_dev
                                                     == os.stat("/").st_dev)


@pytest.mark.parametrize("text", [
    CREDENTIALS,
    f'locals {{\n  key = "{SECRET}\n}}\n',
    f"locals {{\n  a = 1 {SECRET}\n}}\n",
    f'{{"key": "{SECRET}"}}\n',
    f"resource \"a\" \"b\" {{\n  {SECRET} {SECRET}\n",
    f"locals {{\n  a = [{SECRET}\n}}\n",
    f"locals {{\n  x = 12e{SECRET}\n}}\n",
])
def test_an_error_line_names_file_and_line_never_the_content(
        tmp_path: Path, text: str, capsys: pytest.CaptureFixture[str]) -> None:
    write(repository(tmp_path / "tf"), {"main.tf": text})
    code, _, err = run(tmp_path, capsys, tmp_path / "tf")
    assert code == 2 and err.count("\n") == 1 and "main.tf:" in err, err
    assert "\\u" not in err and "'" + SECRET[:4] not in err


def test_a_variables_file_that_is_not_json_says_where_not_what(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(repository(tmp_path / "tf"), {"main.tf": 'variable "v" {}\n',
                                        "terraform.tfvars.json": f'{{"v": {SECRET}}}'})
    code, _, err = run(tmp_path, capsys, tmp_path / "tf")
    assert code == 2 and "terraform.tfvars.json:1: not valid JSON" in err


def test_a_fifo_is_refused_not_waited_on(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    write(repository(tmp_path / "tf"), {"main.tf": "locals {}\n"})
    os.mkfifo(tmp_path / "tf" / "pipe.tf")
    code, _, err = run(tmp_path, capsys, tmp_path / "tf")
    assert code == 2 and "pipe.tf: cannot read: not a regular file" in err


def test_a_file_over_the_budget_is_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(budget, "MAX_FILE_BYTES", 1024)
    write(repository(tmp_path / "tf"), {"main.tf": "# " + "x" * 2048 + "\n"})
    code, _, err = run(tmp_path, capsys, tmp_path / "tf")
    assert code == 2 and err.count("\n") == 1
    assert "main.tf: larger than 1,024 bytes, the most tablespec reads of one" in err


def test_an_auto_variables_file_linked_outside_leaves_the_root_unread(
        tmp_path: Path, secret_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    repo = tree(tmp_path)
    os.symlink(secret_file, repo / "environments" / "prod" / "terraform.tfvars")
    code, report, _ = run(tmp_path, capsys, repo / "environments" / "prod")
    assert code == 0 and unknown_presence(report) == SPEC_TABLES
