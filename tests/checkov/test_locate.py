"""One copy of the policy files: shipped in the package, linked from the checkout's root."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

from checker.checkov.locate import policies_dir
from tests.support.paths import REPO


def test_policies_dir_is_in_the_package_and_linked_from_the_root() -> None:
    here = policies_dir()
    assert here == REPO / "checker" / "policies"
    assert (here / "__init__.py").is_file()  # Checkov loads no directory without one
    assert (REPO / "policies").is_symlink() and (REPO / "policies").resolve() == here


def test_no_policy_file_is_named_like_a_module() -> None:
    """Checkov imports each file by its bare name: one named like a package shadows it."""
    files = [p for p in policies_dir().glob("*.py") if not p.name.startswith("__")]
    assert files
    for path in files:
        name = path.stem
        assert name not in sys.stdlib_module_names and name not in ("checker", "policies")
        found = importlib.util.find_spec(name)
        assert found is None or Path(str(found.origin)).resolve() == path.resolve(), \
            f"{name} would shadow {found.origin}"


def test_the_cli_prints_the_directory_for_external_checks_dir(
    capsys: pytest.CaptureFixture[str]
) -> None:
    from checker.cli import main

    assert main(["checkov-policies"]) == 0
    assert capsys.readouterr().out == f"{policies_dir()}\n"
