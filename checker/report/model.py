"""The report every reporter renders."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from checker import __version__
from checker.model import Finding, Status


@dataclass
class Report:
    """One run's findings and where they came from."""

    source_kind: str
    target: str
    spec_path: str
    findings: list[Finding]
    environments: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
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
