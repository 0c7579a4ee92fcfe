"""Which files `tablespec cfn` reads: the templates named, and those under the directories
named (files with a template's suffix, outside the folders tools write)."""

from __future__ import annotations

import os
from collections.abc import Iterator

from checker.errors import RunError

SUFFIXES = (".json", ".yaml", ".yml", ".template")
_SKIPPED_DIRS = frozenset({".git", "node_modules", ".venv", "venv", "__pycache__", "cdk.out",
                           ".aws-sam", ".terraform"})
MAX_TEMPLATES = 10_000  # files read under the directories given


def template_files(paths: list[str]) -> tuple[list[str], list[str]]:
    """(the templates named or found under the directories given, the files under those
    directories that are not templates). A path that does not exist is a RunError."""
    named: list[str] = []
    found: list[str] = []
    for path in paths:
        if os.path.isdir(path):
            found.extend(_walk(path))
        elif os.path.isfile(path):
            named.append(path)
        else:
            raise RunError(f"{path}: no such file or directory")
    if len(found) > MAX_TEMPLATES:
        raise RunError(f"more than {MAX_TEMPLATES:,} candidate templates under "
                       f"{', '.join(paths)}; name the templates or a smaller directory")
    return list(dict.fromkeys(named)), list(dict.fromkeys(found))


def _walk(top: str) -> Iterator[str]:
    for directory, dirs, files in os.walk(top):
        dirs[:] = sorted(d for d in dirs if d not in _SKIPPED_DIRS and not d.startswith("."))
        yield from (os.path.join(directory, f) for f in sorted(files)
                    if f.lower().endswith(SUFFIXES))


def looks_like(path: str) -> bool:
    """Whether a file that cannot be read means to be a template (so its error matters)."""
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            head = handle.read(65536)
    except OSError:
        return True
    return "AWSTemplateFormatVersion" in head or "AWS::" in head


__all__ = ["SUFFIXES", "looks_like", "template_files"]
