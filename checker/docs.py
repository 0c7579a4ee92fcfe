"""Write the generated documents: `python -m checker.docs [FOLDER]` (default `docs/`).

docs/rules.md from the rule registry and docs/spec.md from the spec's shape; tests fail when
either is stale (`make docs` rewrites them).
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from checker.report.rulesdoc import render_rules
from checker.specfile.reference import render_reference

DOCUMENTS: dict[str, Callable[[], str]] = {"rules.md": render_rules,
                                           "spec.md": render_reference}


def main(argv: list[str]) -> int:
    """Write every document into argv[0], or docs/."""
    folder = Path(argv[0] if argv else "docs")
    for name, render in DOCUMENTS.items():
        (folder / name).write_text(render(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
