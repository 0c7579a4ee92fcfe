"""Which spec file a run uses when none is named on the command line."""

from __future__ import annotations

import os
from pathlib import Path

from checker.errors import RunError

SPEC_VARIABLE = "TABLESPEC_SPEC"
CANDIDATES = ("specs/tables.yaml", "tablespec.yaml")


def find_spec(explicit: str | None, cwd: Path | None = None) -> Path:
    """*explicit*, else $TABLESPEC_SPEC, else the nearest `specs/tables.yaml` or
    `tablespec.yaml` from *cwd* upwards, stopping at the git root (the first directory
    holding `.git`) or the filesystem root.

    RunError says where it looked when there is none.
    """
    if explicit:
        return Path(explicit)
    named = os.environ.get(SPEC_VARIABLE)
    if named:
        return Path(named)
    start = (cwd or Path.cwd()).resolve()
    looked: list[Path] = []
    for folder in (start, *start.parents):
        looked.append(folder)
        for candidate in CANDIDATES:
            path = folder / candidate
            if path.is_file():
                return path
        if (folder / ".git").exists():
            break
    raise RunError(
        f"no spec found: looked for {' or '.join(CANDIDATES)} in "
        f"{', '.join(str(folder) for folder in looked)}; "
        f"pass --spec or set ${SPEC_VARIABLE}",
        details=[str(folder / c) for folder in looked for c in CANDIDATES],
    )
