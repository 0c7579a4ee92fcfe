"""Helpers for the HCL source tests: write small Terraform trees, evaluate them."""

from __future__ import annotations

import subprocess
import textwrap
from pathlib import Path

from checker.model import TableState
from checker.sources.hcl import HclRoot, read_hcl
from checker.sources.hcl.exprnodes import Lit, Source
from checker.sources.hcl.index import load_module
from checker.sources.hcl.modules import ModuleInstance, Run, root_instance
from checker.sources.hcl.valuemodel import deep
from checker.unknown import Unknown


def write(root: Path, files: dict[str, str]) -> Path:
    """Write *files* (relative path -> text, dedented) under *root*; returns *root*."""
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return root


def repository(tree: Path) -> Path:
    """*tree* made a git work tree (as Terraform trees are): its modules are then read from
    anywhere inside it, not only from the directories a run is given. Returns *tree*."""
    subprocess.run(["git", "init", "-q", str(tree)], check=True)
    return tree


def instance(directory: Path, values: dict[str, object] | None = None) -> ModuleInstance:
    """The root module instance of *directory* (for evaluating its locals)."""
    config = load_module(str(directory))
    run = Run(str(directory), {}, [])
    return root_instance(run, config, values or {})


def local(directory: Path, name: str = "x") -> object:
    """`local.NAME` of the module in *directory*, exactly as the evaluator holds it."""
    site = Lit(Source("test", b""), 1, 0, 0, None)
    return instance(directory).local(name, site)


def local_value(tmp_path: Path, expr: str, extra: str = "", name: str = "x") -> object:
    """`local.x = EXPR` (with *extra* declarations beside it) evaluated, provenance dropped."""
    text = f"locals {{\n  {name} = {expr}\n}}\n{textwrap.dedent(extra)}"
    (tmp_path / "main.tf").write_text(text, encoding="utf-8")
    return deep(local(tmp_path, name))


def states(tmp_path: Path, files: dict[str, str], **kwargs: object) -> list[TableState]:
    """Every TableState of the tree *files* written under *tmp_path* (its root is `.`)."""
    write(tmp_path, files)
    roots: list[HclRoot] = read_hcl([str(tmp_path)], **kwargs)  # type: ignore[arg-type]
    return [s for r in roots for s in r.states]


def one(tmp_path: Path, files: dict[str, str]) -> TableState:
    """The only TableState of *files*."""
    found = states(tmp_path, files)
    assert len(found) == 1, [s.resource for s in found]
    return found[0]


def unknown(value: object) -> Unknown:
    """*value*, asserted to be an Unknown."""
    assert isinstance(value, Unknown), repr(value)[:300]
    return value
