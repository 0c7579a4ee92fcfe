"""examples/org/build_lambda.sh: one package from which all three handlers import, alone."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.support.org_world import HANDLERS, ORG
from tests.support.paths import REPO, checkout_copy


def test_the_package_holds_the_three_handlers_and_the_spec(tmp_path: Path) -> None:
    out = tmp_path / "package.zip"
    copy = checkout_copy(tmp_path / "checkout")  # pip builds in the tree it installs
    proc = subprocess.run([str(copy / ORG.relative_to(REPO) / "build_lambda.sh"), str(out)],
                          capture_output=True,
                          text=True, timeout=600, check=False,
                          env={**os.environ, "PYTHON": sys.executable})
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "checker.lambdas.fanout.list_shards" in proc.stdout
    with zipfile.ZipFile(out) as package:
        assert package.read("specs/tables.yaml") == (REPO / "specs" / "tables.yaml").read_bytes()
        package.extractall(tmp_path / "package")
    for path in HANDLERS.values():  # each terraform handler string, main.tf's included
        assert f'"{path}"' in (ORG / "terraform" / "main.tf").read_text(encoding="utf-8")
    # An isolated interpreter (no site-packages, no PYTHONPATH): only the package is there.
    probe = ("import importlib, sys; sys.path.insert(0, sys.argv[1])\n"
             "for path in sys.argv[2:]:\n"
             "    module, _, name = path.rpartition('.')\n"
             "    assert callable(getattr(importlib.import_module(module), name)), path\n"
             "    assert importlib.import_module(module).__file__.startswith(sys.argv[1]), path\n")
    run = subprocess.run([sys.executable, "-I", "-S", "-c", probe, str(tmp_path / "package"),
                          *HANDLERS.values()], capture_output=True, text=True, timeout=120,
                         check=False, env={"PATH": os.environ.get("PATH", "")})
    assert run.returncode == 0, run.stderr[-2000:]
