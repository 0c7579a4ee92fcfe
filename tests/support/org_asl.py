"""asl-validator (npm), pinned, installed by the tests into the cache (`tests.support.npm`)."""

from __future__ import annotations

import json
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tests.support.npm import installed, node

PACKAGE = "asl-validator"
VERSION = "4.0.0"


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


def asl_validator() -> AslValidator:
    """The pinned validator, installed on first use; skips (or fails, with REQUIRE_NODE)."""
    home = installed({PACKAGE: VERSION})
    return AslValidator(node(), home)
