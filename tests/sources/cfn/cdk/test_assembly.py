"""Cloud assemblies written by hand: their shapes, and the bad ones (no Node needed)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from checker.cli import main
from checker.sources.cfn.assembly import stacks
from tests.support.paths import REPO

EXAMPLE = REPO / "examples" / "cloudformation" / "tables.yaml"
SPEC = REPO / "specs" / "tables.yaml"


def write(tmp_path: Path, artifacts: dict[str, Any]) -> Path:
    """An assembly of *artifacts* holding the example template as Stack.template.json."""
    out = tmp_path / "cdk.out"
    out.mkdir(exist_ok=True)
    (out / "Stack.template.json").write_text(EXAMPLE.read_text())
    (out / "manifest.json").write_text(json.dumps({"version": "55.0.0",
                                                   "artifacts": artifacts}))
    return out


def stack(environment: str = "aws://123456789012/eu-west-1",
          template: str = "Stack.template.json") -> dict[str, Any]:
    return {"type": "aws:cloudformation:stack", "environment": environment,
            "properties": {"templateFile": template}}


def test_an_environment_not_known_is_none(tmp_path: Path) -> None:
    found = stacks(str(write(tmp_path, {
        "Known": stack(), "Agnostic": stack("aws://unknown-account/unknown-region")})))
    assert [(s.name, s.account, s.region) for s in found] == [
        ("Known", "123456789012", "eu-west-1"), ("Agnostic", None, None)]


def test_a_stage_assembly_that_names_itself_is_read_once(tmp_path: Path) -> None:
    found = stacks(str(write(tmp_path, {
        "Stack": stack(), "Stage": {"type": "cdk:cloud-assembly",
                                    "properties": {"directoryName": "."}}})))
    assert [s.name for s in found] == ["Stack"]


def test_the_example_as_a_stack_passes(tmp_path: Path) -> None:
    assert main(["cfn", str(write(tmp_path, {"Stack": stack()})), "--spec", str(SPEC)]) == 0


@pytest.mark.parametrize(("manifest", "says"), [
    ('{"artifacts": [', "manifest.json:1"),
    ('{"artifacts": []}', "no artifacts mapping"),
    (json.dumps({"artifacts": {"S": stack(template="../../etc/passwd")}}), "outside it"),
    (json.dumps({"artifacts": {"S": stack(template="missing.json")}}), "missing.json"),
])
def test_a_bad_assembly_is_exit_2_naming_the_file(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str],
                                                  manifest: str, says: str) -> None:
    out = write(tmp_path, {})
    (out / "manifest.json").write_text(manifest)
    assert main(["cfn", str(out), "--spec", str(SPEC)]) == 2
    error = capsys.readouterr().err
    assert says in error and len(error.strip().splitlines()) == 1
