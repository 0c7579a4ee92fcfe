"""Where the checkout is, for tests at any depth of tests/, and a copy of it to build from."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def checkout_copy(dest: Path) -> Path:
    """The checkout's files (tracked, and new ones not ignored) copied to *dest*: what a
    test installs or builds from, so that pip's `build/` and the like never land in the
    checkout."""
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others",
                             "--exclude-standard"], cwd=REPO, capture_output=True, check=True)
    for name in filter(None, listed.stdout.decode("utf-8").split("\0")):
        source = REPO / name
        if source.is_file():
            target = dest / name
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return dest
