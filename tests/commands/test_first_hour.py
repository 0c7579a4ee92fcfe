"""The first hour of a new user: the spec found where people keep it, the plan from stdin,
`spec validate FILE`, and all of it from a plain `pip install` of this checkout."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from checker.cli import main
from tests.support.paths import REPO, checkout_copy

PROD = REPO / "checker" / "data" / "demo-prod.plan.json"
DRIFT = REPO / "checker" / "data" / "demo-drift.plan.json"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A git work tree with the spec at specs/tables.yaml; the test runs two levels down."""
    (tmp_path / ".git").mkdir()
    shutil.copytree(REPO / "specs", tmp_path / "specs")
    deep = tmp_path / "infra" / "prod"
    deep.mkdir(parents=True)
    monkeypatch.chdir(deep)
    monkeypatch.delenv("TABLESPEC_SPEC", raising=False)
    return tmp_path


def test_the_spec_is_found_in_the_nearest_parent(project: Path,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["plan", str(PROD)]) == 0
    # the spec outside the working directory: named from the repository's root
    assert "against specs/tables.yaml (environment: prod)" in capsys.readouterr().out


def test_tablespec_yaml_and_the_variable_are_found_too(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.move(project / "specs" / "tables.yaml", project / "infra" / "tablespec.yaml")
    assert main(["spec", "validate"]) == 0
    assert capsys.readouterr().out.startswith(f"{project / 'infra' / 'tablespec.yaml'}: ok")
    other = tmp_path / "elsewhere.yaml"
    shutil.copy(REPO / "specs" / "tables.yaml", other)
    monkeypatch.setenv("TABLESPEC_SPEC", str(other))
    assert main(["spec", "validate"]) == 0
    assert capsys.readouterr().out.startswith(f"{other}: ok")


def test_no_spec_anywhere_says_where_it_looked(project: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    shutil.rmtree(project / "specs")
    assert main(["plan", str(PROD)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("tablespec: no spec found: looked for ")
    looked = err.split(" in ", 1)[1].split(";")[0].split(", ")
    # from here up to the git root, and no further
    assert looked == [str(project / "infra" / "prod"), str(project / "infra"), str(project)]
    assert "--spec" in err and "TABLESPEC_SPEC" in err


def test_spec_validate_takes_the_file_as_plan_takes_its_plan(
    capsys: pytest.CaptureFixture[str]
) -> None:
    spec = str(REPO / "specs" / "tables.yaml")
    assert main(["spec", "validate", spec]) == 0
    assert main(["spec", "validate", "--spec", spec]) == 0
    assert capsys.readouterr().out.count(": ok: ") == 2


def test_the_plan_can_come_from_stdin(tmp_path: Path) -> None:
    out = tmp_path / "r.json"
    with DRIFT.open("rb") as plan:
        proc = subprocess.run([sys.executable, "-m", "checker.cli", "plan", "-", "--spec",
                               str(REPO / "specs" / "tables.yaml"), "--format", f"json={out}"],
                              stdin=plan, capture_output=True, text=True, cwd=REPO, check=False)
    assert proc.returncode == 1, proc.stderr
    report = json.loads(out.read_text())
    assert report["source"]["target"] == "<stdin>" and report["summary"]["failed"] > 0


def test_a_plain_pip_install_works_from_an_empty_directory(tmp_path: Path) -> None:
    """`pip install <checkout>` into a fresh venv; then a user's first commands."""
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    pip = subprocess.run([str(python), "-m", "pip", "install", "-q",
                          "--disable-pip-version-check", str(checkout_copy(tmp_path / "src"))],
                         capture_output=True, text=True, timeout=900, check=False)
    assert pip.returncode == 0, pip.stderr[-2000:]
    tablespec = str(env_dir / "bin" / "tablespec")
    home = tmp_path / "home" / "team"
    (home / "infra").mkdir(parents=True)
    shutil.copy(REPO / "specs" / "tables.yaml", home / "tablespec.yaml")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("TABLESPEC_", "PYTHON"))}

    def run(*args: str, cwd: Path, stdin: Path | None = None) -> subprocess.CompletedProcess[str]:
        with (stdin or Path(os.devnull)).open("rb") as fh:
            return subprocess.run([tablespec, *args], cwd=cwd, env=clean, stdin=fh,
                                  capture_output=True, text=True, timeout=120, check=False)

    found = run("plan", str(PROD), cwd=home / "infra")
    assert found.returncode == 0 and str(home / "tablespec.yaml") in found.stdout, found.stderr
    assert run("spec", "validate", str(home / "tablespec.yaml"), cwd=tmp_path).returncode == 0
    piped = run("plan", "-", "--spec", str(home / "tablespec.yaml"), cwd=tmp_path, stdin=DRIFT)
    assert piped.returncode == 1 and "FAIL" in piped.stdout
    lost = run("plan", str(PROD), cwd=tmp_path)
    assert lost.returncode == 2 and lost.stderr.startswith("tablespec: no spec found: looked ")


def test_every_option_with_a_default_says_it_in_its_help() -> None:
    import argparse

    from checker.cli import build_parser

    commands = next(a for a in build_parser()._actions
                    if isinstance(a, argparse._SubParsersAction))
    silent = []
    for name, parser in commands.choices.items():
        for action in parser._actions:
            if isinstance(action, argparse._HelpAction | argparse._StoreTrueAction):
                continue
            if action.option_strings and action.default in (None, []):
                continue  # nothing given: nothing done (a file, a profile, a filter)
            if not action.option_strings and action.nargs not in ("*", "?"):
                continue  # a positional the user must give
            if "default" not in (action.help or ""):
                silent.append(f"{name} {'/'.join(action.option_strings) or action.dest}")
    assert silent == []


def test_the_readme_is_short_opens_with_the_set_up_and_links_only_what_exists() -> None:
    import re

    text = (REPO / "README.md").read_text()
    lines = text.splitlines()
    assert len(lines) < 300
    first = text.index("```sh")
    assert text[first:text.index("```", first + 5)].splitlines()[1:3] == [
        line for line in lines if line.startswith(("make demo", "make test"))][:2]
    assert text.index("## Quickstart on your repository") < text.index("## The spec")
    for doc in [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]:
        for target in re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", doc.read_text()):
            if "://" not in target:
                assert (doc.parent / target).exists(), f"{doc.name}: {target}"
