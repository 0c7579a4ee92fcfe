"""The report every reporter renders."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from checker import __version__
from checker.findings import Finding, Gate, Note, Status


@dataclass
class Report:
    """One run's findings, where they came from, and the policy that turns them into a verdict."""

    source_kind: str  # plan, hcl or live
    target: str
    spec_path: str
    findings: list[Finding]
    environments: list[str] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    scope: list[dict[str, str]] = field(default_factory=list)  # live: account and region read
    gate: Gate = field(default_factory=Gate)
    errors: int = 0  # rules that raised: a bug in tablespec; the run exits 3
    version: str = __version__

    def summary(self) -> dict[str, int]:
        """Counts per status, in contract order."""
        counts = Counter(f.status for f in self.findings)
        return {s.value: counts.get(s, 0) for s in Status}

    def contract_summary(self) -> dict[str, int]:
        """The JSON contract's summary keys."""
        s = self.summary()
        return {"passed": s["pass"], "failed": s["fail"], "unknown": s["unknown"],
                "waived": s["waived"]}
