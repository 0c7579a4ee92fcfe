"""tablespec rules as Checkov checks: `checkov --external-checks-dir <this directory>`.

Checkov imports this file by its bare name, with no package around it, so it first makes
sure `checker` is the package this file ships in (a checkout or an install), then
registers one check per rule. The name is distinctive on purpose: a file named like a
package (`checker.py`, `yaml.py`) would shadow it for all of Checkov.
"""

from __future__ import annotations

import sys
from pathlib import Path

if "checker" not in sys.modules:
    _ROOT = str(Path(__file__).resolve().parents[2])  # the directory holding checker/
    sys.path.insert(0, _ROOT)
    try:
        import checker  # noqa: F401  # bound to this copy, whatever else is installed
    finally:
        sys.path.remove(_ROOT)

from checker.checkov.checks import register_all

CHECKS = register_all()
