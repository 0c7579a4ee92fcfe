"""asl-validator (npm), pinned, installed by the tests into a cache directory outside the repo.

Where Node or npm is missing (or the registry cannot be reached) the tests that need it skip,
unless TABLESPEC_REQUIRE_NODE is set (CI sets it in .ci/run): then they fail.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest

PACKAGE = "asl-validator"
VERSION = "4.0.0"
REQUIRE_NODE = "TABLESPEC_REQUIRE_NODE"
CACHE_VARIABLE = "TABLESPEC_CACHE_DIR"  # default ~/.cache/tablespec


def cache_dir() -> Path:
    """Where the validator is installed: $TABLESPEC_CACHE_DIR, else ~/.cache/tablespec."""
    base = os.environ.get(CACHE_VARIABLE) or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or "~/.cache", "tablespec")
    return Path(base).expanduser() / f"{PACKAGE}-{VERSION}"


@dataclass(frozen=True)
class Verdict:
    """What asl-validator said of one definition."""

    valid: bool
    output: str


class AslValidator:
    """`asl-validator --json-path FILE` through Node."""

    def __init__(self, node: str, home: Path) -> None:
        self.node = node
        self.home = home
        self.script = home / "node_modules" / PACKAGE / "dist" / "bin" / "asl-validator.js"

    def version(self) -> str:
        manifest = self.home / "node_modules" / PACKAGE / "package.json"
        return str(json.loads(manifest.read_text(encoding="utf-8"))["version"])

    def check(self, definition: str) -> Verdict:
        """Validate *definition* (JSON text); exit 0 is valid, 1 invalid, anything else a fault."""
        with tempfile.TemporaryDirectory(prefix="tablespec-asl-") as tmp:
            path = Path(tmp) / "definition.asl.json"
            path.write_text(definition, encoding="utf-8")
            proc = subprocess.run([self.node, str(self.script), "--json-path", str(path)],
                                  capture_output=True, text=True, timeout=60, check=False)
        if proc.returncode not in (0, 1):
            raise RuntimeError(f"asl-validator exited {proc.returncode}: {proc.stderr.strip()}")
        return Verdict(proc.returncode == 0, (proc.stdout + proc.stderr).strip())


def _install(npm: str, home: Path) -> str | None:
    """npm install the pinned validator into *home* (atomically); None, or why it failed."""
    home.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{home.name}-", dir=home.parent))
    try:
        proc = subprocess.run(
            [npm, "install", "--prefix", str(staging), "--no-audit", "--no-fund",
             "--no-save", "--loglevel=error", f"{PACKAGE}@{VERSION}"],
            capture_output=True, text=True, timeout=300, check=False)
        if proc.returncode != 0:
            return f"npm install {PACKAGE}@{VERSION} failed: {proc.stderr.strip()[-500:]}"
        if not (home / "node_modules" / PACKAGE / "package.json").is_file():
            shutil.rmtree(home, ignore_errors=True)  # a broken earlier install
            staging.rename(home)
        return None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def asl_validator() -> AslValidator:
    """The pinned validator, installed on first use; skips (or fails, with REQUIRE_NODE)."""
    node, npm = shutil.which("node"), shutil.which("npm")
    home = cache_dir()
    validator = AslValidator(node or "node", home)
    why: str | None = None
    if node is None or npm is None:
        why = "node and npm are needed for asl-validator"
    elif not validator.script.is_file():
        why = _install(npm, home)
    if why is None and validator.version() != VERSION:
        why = f"{home} holds {PACKAGE} {validator.version()}, not {VERSION}"
    if why is not None:
        if os.environ.get(REQUIRE_NODE):
            pytest.fail(f"{REQUIRE_NODE} is set but {why}")
        pytest.skip(why)
    return validator
