"""Rewrite the golden reports from the committed demo plans: `make goldens`.

Run it after a change that is meant to change the reports, then read the diff.
"""

from __future__ import annotations

import json
import sys

from tests.report.test_golden import GOLDEN, PLANS, normalised


def main() -> int:
    """Write tests/golden/demo-NAME.report.json for each committed demo plan."""
    for name, plan in PLANS.items():
        path = GOLDEN / f"demo-{name}.report.json"
        path.write_text(json.dumps(normalised(plan), indent=2) + "\n", encoding="utf-8")
        print(f"wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
