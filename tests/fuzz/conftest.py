"""Hypothesis profiles: `test` (make test: derandomized, 200 examples a target) and `fuzz`
(make fuzz: 10,000 examples a target, still derandomized so a failure replays).

Each property asserts an outcome class, never a timing: exit 2 with one stderr line, or a
report in which every spec table appears; never a traceback, never exit 3, never a pass on a
mutated value of that check.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings
from hypothesis.configuration import set_hypothesis_home_dir

# Hypothesis keeps what it learns of the source (constants) in .hypothesis/ under the working
# directory: here, the temporary directory, so no test writes into the checkout.
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "tablespec-hypothesis")

# no example database: derandomized runs replay without one
_COMMON = {"derandomize": True, "deadline": None, "print_blob": True, "database": None,
           "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large]}
settings.register_profile("test", max_examples=200, **_COMMON)  # type: ignore[arg-type]
settings.register_profile("fuzz", max_examples=10_000, **_COMMON)  # type: ignore[arg-type]
settings.load_profile(os.environ.get("TABLESPEC_FUZZ_PROFILE", "test"))
