"""Modules `terraform init` installed: which calls are read from where."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker.sources.hcl import installed
from checker.sources.hcl.installed import Installed, call_key


def manifest(root: Path, *entries: tuple[str, str, str]) -> Path:
    """Write `.terraform/modules/modules.json` with (key, source, dir) entries, and make
    each dir."""
    modules = root / ".terraform" / "modules"
    modules.mkdir(parents=True, exist_ok=True)
    for _, _, where in entries:
        (root / where).mkdir(parents=True, exist_ok=True)
    (modules / "modules.json").write_text(json.dumps({"Modules": [
        {"Key": k, "Source": s, "Dir": d} for k, s, d in entries]}))
    return modules


def test_a_call_is_read_from_where_init_put_it_for_the_source_it_writes(tmp_path: Path) -> None:
    manifest(tmp_path,
             ("tables", "registry.terraform.io/acme/tables/aws", ".terraform/modules/tables"),
             ("tables.inner", "git::https://example.com/inner.git?ref=v1",
              ".terraform/modules/tables.inner"),
             ("sub", "registry.terraform.io/acme/iam/aws//modules/role",
              ".terraform/modules/sub/modules/role"))
    found = Installed(str(tmp_path))
    assert found.directory("tables", "acme/tables/aws") == str(
        tmp_path / ".terraform" / "modules" / "tables")
    assert found.directory("tables.inner", "git::https://example.com/inner.git?ref=v1")
    assert found.directory("sub", "acme/iam/aws//modules/role")
    assert found.directory("tables", "acme/other/aws") is None  # init not run again
    assert found.directory("tables", "registry.terraform.io/acme/tables/aws")
    assert found.directory("missing", "acme/tables/aws") is None
    assert found.problem is None


def test_what_init_did_not_put_there_is_not_read(tmp_path: Path) -> None:
    (tmp_path / "elsewhere").mkdir()
    manifest(tmp_path, ("x", "acme.io/a/b/c", "elsewhere"),
             ("y", "acme.io/a/b/c", ".terraform/modules/../../elsewhere"))
    found = Installed(str(tmp_path))
    assert found.directory("x", "a/b/c") is None and found.directory("y", "a/b/c") is None


@pytest.mark.parametrize("text", ["{not json", "[1, 2]", '{"Modules": [1, {"Key": 2}]}',
                                  "[" * 100_000])
def test_a_manifest_that_is_not_one_reads_nothing(tmp_path: Path, text: str) -> None:
    modules = manifest(tmp_path)
    (modules / "modules.json").write_text(text)
    found = Installed(str(tmp_path))
    assert found.directory("x", "a/b/c") is None
    if text.startswith(("{not", "[[")):
        assert found.problem and "not a readable modules manifest" in found.problem


def test_a_huge_manifest_is_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    manifest(tmp_path, ("x", "acme.io/a/b/c", ".terraform/modules/x"))
    monkeypatch.setattr(installed, "MAX_MANIFEST", 10)
    found = Installed(str(tmp_path))
    assert found.directory("x", "a/b/c") is None
    assert found.problem and "larger than" in found.problem


def test_call_keys_are_call_names_from_the_root() -> None:
    assert call_key("", "tables") == "tables"
    assert call_key('module.a["k"].module.b[0]', "c") == "a.b.c"
