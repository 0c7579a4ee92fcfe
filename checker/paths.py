"""Where a path sits: the git work tree around it."""

from __future__ import annotations

import os
from functools import lru_cache


@lru_cache(maxsize=256)
def git_root(directory: str) -> str | None:
    """The nearest directory at or above *directory* that holds `.git`, or None."""
    current = os.path.abspath(directory)
    while True:
        if os.path.exists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent
