"""Hypothesis profiles: `test` (make test: derandomized, 200 examples a target) and `fuzz`
(make fuzz: 10,000 examples a target, still derandomized so a failure replays).

Each property asserts an outcome class, never a timing: exit 2 with one stderr line, or a
report in which every spec table appears; never a traceback, never exit 3, never a pass on a
mutated value of that check.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_COMMON = {"derandomize": True, "deadline": None, "print_blob": True,
           "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large]}
settings.register_profile("test", max_examples=200, **_COMMON)  # type: ignore[arg-type]
settings.register_profile("fuzz", max_examples=10_000, **_COMMON)  # type: ignore[arg-type]
settings.load_profile(os.environ.get("TABLESPEC_FUZZ_PROFILE", "test"))
