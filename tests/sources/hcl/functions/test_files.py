"""The file and template functions where they cannot be put to Terraform: paths that
leave the repository (absolute, `..`, symbolic links), bytes that are not UTF-8, files
beyond the budget, pipes; and hostile input to the decoders (aliases that multiply,
nesting), which must end as an Unknown naming the call, never hang."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest

from checker.sources.hcl import budget
from checker.sources.hcl.functions import call, files
from checker.sources.hcl.place import place_of
from checker.sources.hcl.valuemodel import EvalError, Unknown, deep, find_unknown
from tests.sources.hcl.util import local, repository, write


def value(repo: Path, expr: str) -> object:
    """`local.x = EXPR` in the root module *repo*, evaluated there (provenance dropped)."""
    (repo / "main.tf").write_text(f"locals {{\n  x = {expr}\n}}\n", encoding="utf-8")
    files.use(str(repo), place_of(str(repo)))
    return deep(local(repo))


def reason(result: object) -> str:
    """The reason of the Unknown *result* is (failing when it is a value)."""
    unknown = find_unknown(result)
    assert isinstance(unknown, Unknown), result
    return unknown.reason


@pytest.fixture(autouse=True)
def fresh_budget() -> None:
    """Each test with budgets of its own (a direct call makes no run that would reset them)."""
    budget.start()


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A git work tree (the place) with a few files, and a secret outside it."""
    write(tmp_path, {"outside/secret.txt": "s3cret\n", "outside/dir/x.txt": "x\n"})
    tree = repository(write(tmp_path / "repo", {"data/hello.txt": "Hello\n",
                                                "tpl/a.tftpl": "${x}"}))
    return tree


@pytest.mark.parametrize("fn", ["file", "filebase64", "filemd5", "filesha1", "filesha256",
                                "filesha512", "filebase64sha256", "filebase64sha512",
                                "fileexists"])
@pytest.mark.parametrize("path", ["../outside/secret.txt", "{outside}/secret.txt",
                                  "data/../../outside/secret.txt", "../outside/missing.txt"])
def test_a_path_that_leaves_the_repository_is_unknown_naming_the_call(
        repo: Path, fn: str, path: str) -> None:
    path = path.format(outside=repo.parent / "outside")
    why = reason(value(repo, f'{fn}("{path}")'))
    assert fn in why and "s3cret" not in why and "only inside the repository" in why


def test_a_symbolic_link_that_leaves_the_repository_is_not_followed(repo: Path) -> None:
    (repo / "data" / "link.txt").symlink_to(repo.parent / "outside" / "secret.txt")
    (repo / "data" / "dirlink").symlink_to(repo.parent / "outside" / "dir")
    (repo / "data" / "inner.txt").symlink_to(repo / "data" / "hello.txt")
    assert "symbolic link" in reason(value(repo, 'file("data/link.txt")'))
    assert "symbolic link" in reason(value(repo, 'file("data/dirlink/x.txt")'))
    assert "fileexists" in reason(value(repo, 'fileexists("data/link.txt")'))
    assert value(repo, 'file("data/inner.txt")') == "Hello\n"
    assert "fileset" in reason(value(repo, 'fileset("data", "*")'))
    assert "fileset" in reason(value(repo, 'fileset("data", "**/*.txt")'))
    assert "fileset" in reason(value(repo, 'fileset("..", "outside/*")'))
    assert "fileset" in reason(value(repo, 'fileset(".", "../outside/*")'))


def test_templatefile_reads_only_inside_the_repository(repo: Path) -> None:
    (repo.parent / "outside" / "t.tftpl").write_text("${x}", encoding="utf-8")
    assert "templatefile" in reason(value(repo, 'templatefile("../outside/t.tftpl", {x = 1})'))
    assert value(repo, 'templatefile("tpl/a.tftpl", {x = 1})') == 1


def test_a_path_inside_the_repository_reads_as_terraform_reads_it(repo: Path) -> None:
    assert value(repo, f'file("{repo}/data/hello.txt")') == "Hello\n"
    assert value(repo, 'file("${path.module}/data/hello.txt")') == "Hello\n"
    assert value(repo, 'fileexists("data/nothing")') is False
    assert value(repo, 'fileset(path.module, "data/*")') == ["data/hello.txt"]
    assert value(repo, 'abspath("data/../tpl")') == f"{repo}/tpl"


def test_bytes_that_are_not_utf8_are_read_as_bytes_only(repo: Path) -> None:
    (repo / "data" / "latin1.txt").write_bytes(b"\xfcber\n")
    assert "not valid UTF-8" in reason(value(repo, 'file("data/latin1.txt")'))
    assert value(repo, 'filebase64("data/latin1.txt")') == "/GJlcgo="
    assert value(repo, 'filemd5("data/latin1.txt")') == "a517013ac7d3d006e74b4666550064bf"
    assert "templatefile" in reason(value(repo, 'templatefile("data/latin1.txt", {})'))


def test_a_file_beyond_the_budget_is_unknown(repo: Path) -> None:
    (repo / "data" / "big.txt").write_text("x" * (budget.MAX_STRING + 1), encoding="utf-8")
    assert "budget" in reason(value(repo, 'file("data/big.txt")'))
    assert "budget" in reason(value(repo, 'filebase64("data/big.txt")'))
    assert len(str(value(repo, 'filesha256("data/big.txt")'))) == 64


def test_a_file_beyond_the_file_budget_is_unknown(repo: Path) -> None:
    with (repo / "data" / "huge.bin").open("wb") as out:
        out.truncate(budget.MAX_FILE_BYTES + 1)
    assert "budget" in reason(value(repo, 'filemd5("data/huge.bin")'))


def test_a_pipe_is_not_read(repo: Path) -> None:
    os.mkfifo(repo / "data" / "pipe")
    assert "not a regular file" in reason(value(repo, 'file("data/pipe")'))
    assert value(repo, 'fileset("data", "*")') == ["hello.txt"]


def test_a_directory_walk_through_a_link_loop_ends(repo: Path) -> None:
    (repo / "data" / "loop").symlink_to(repo / "data")
    result = value(repo, 'fileset("data", "**")')
    assert isinstance(result, list) and "hello.txt" in result  # the system's link limit
    (repo / "data" / "again").symlink_to(repo / "data")
    assert "budget" in reason(value(repo, 'fileset("data", "**")'))


def test_without_a_run_the_file_functions_are_unknown(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(files, "_RUN", [])
    for fn in ("file", "fileexists", "filemd5", "abspath"):
        assert fn in reason(call(fn, ["x"]))
    assert "fileset" in reason(call("fileset", [".", "*"]))


def test_pathexpand_uses_the_home_directory(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", "/home/someone/")
    assert call("pathexpand", ["~/a/../b"]) == "/home/someone/b"
    assert call("pathexpand", ["~"]) == "/home/someone"
    with pytest.raises(EvalError):
        call("pathexpand", ["~other/x"])


@pytest.mark.parametrize("expr", [
    'yamldecode("a: &a [x, x, x, x, x, x, x, x, x, x]\\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, '
    '*a, *a]\\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\\nd: &d [*c, *c, *c, *c, *c, *c, '
    '*c, *c, *c, *c]\\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\\nf: &f [*e, *e, *e, *e, '
    '*e, *e, *e, *e, *e, *e]\\ng: [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]")',
    'jsondecode("${join("", [for i in range(1000) : "["])}")',
    'yamldecode("${join("", [for i in range(1000) : "["])}")',
    'csvdecode("a\\n${join("\\n", [for i in range(1000) : "1"])}")',
])
def test_hostile_input_ends_as_an_unknown_or_a_value(tmp_path: Path, expr: str) -> None:
    result = value(repository(tmp_path), expr)
    unknown = find_unknown(result)
    assert unknown is None or "decode" in unknown.reason or "budget" in unknown.reason or \
        "deeply" in unknown.reason


def test_the_yaml_of_aliases_counts_every_copy(tmp_path: Path) -> None:
    bomb = textwrap.dedent("""\
        a: &a [x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x, x]
        b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
        c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b, *b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
        d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c, *c]
        e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d, *d]
        f: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e, *e, *e, *e, *e, *e, *e, *e, *e, *e, *e]
        """)
    (tmp_path / "bomb.yaml").write_text(bomb, encoding="utf-8")
    result = value(repository(tmp_path), 'yamldecode(file("bomb.yaml"))')
    assert "budget" in reason(result)
