"""npm packages the tests run (asl-validator, the CDK), pinned, installed on first use into a
cache directory outside the repository ($TABLESPEC_CACHE_DIR, else ~/.cache/tablespec).

Where Node or npm is missing (or the registry cannot be reached) the tests that need them
skip, unless TABLESPEC_REQUIRE_NODE is set (CI sets it in .ci/run): then they fail.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import NoReturn

import pytest

REQUIRE_NODE = "TABLESPEC_REQUIRE_NODE"
CACHE_VARIABLE = "TABLESPEC_CACHE_DIR"  # default ~/.cache/tablespec


def cache_root() -> Path:
    """$TABLESPEC_CACHE_DIR, else ~/.cache/tablespec."""
    base = os.environ.get(CACHE_VARIABLE) or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or "~/.cache", "tablespec")
    return Path(base).expanduser()


def unavailable(why: str) -> NoReturn:
    """Skip the test for *why*, or fail it where CI requires Node."""
    if os.environ.get(REQUIRE_NODE):
        pytest.fail(f"{REQUIRE_NODE} is set but {why}")
    pytest.skip(why)


def node() -> str:
    """The node binary (skips, or fails in CI, without node and npm)."""
    found, npm = shutil.which("node"), shutil.which("npm")
    if found is None or npm is None:
        unavailable("node and npm are needed")
    return found


def version_of(home: Path, package: str) -> str | None:
    """The version of *package* installed under *home* (None: not installed)."""
    manifest = home / "node_modules" / package / "package.json"
    if not manifest.is_file():
        return None
    return str(json.loads(manifest.read_text(encoding="utf-8"))["version"])


@contextmanager
def staged(dest: Path) -> Iterator[Path]:
    """A fresh directory beside *dest* to build it in; when the block ends without an
    exception it replaces *dest* (an earlier, broken one too), so an interrupted build is
    never taken for one."""
    dest.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{dest.name}-", dir=dest.parent))
    try:
        yield staging
        shutil.rmtree(dest, ignore_errors=True)
        staging.rename(dest)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def installed(packages: dict[str, str]) -> Path:
    """The directory whose node_modules holds *packages* (name -> exact version), installed
    there on first use (atomically: an interrupted install is never taken for one)."""
    node()
    npm = shutil.which("npm") or "npm"
    home = cache_root() / "-".join(f"{n.replace('/', '_')}-{v}" for n, v in
                                   sorted(packages.items()))
    if all(version_of(home, n) == v for n, v in packages.items()):
        return home
    with staged(home) as staging:
        proc = subprocess.run(
            [npm, "install", "--prefix", str(staging), "--no-audit", "--no-fund", "--no-save",
             "--loglevel=error", *(f"{n}@{v}" for n, v in sorted(packages.items()))],
            capture_output=True, text=True, timeout=600, check=False)
        if proc.returncode != 0:
            unavailable(f"npm install {' '.join(packages)} failed: {proc.stderr.strip()[-500:]}")
    return home


__all__ = ["REQUIRE_NODE", "cache_root", "installed", "node", "staged", "unavailable",
           "version_of"]
