"""The report every reporter renders."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from checker import __version__
from checker.findings import Finding, Gate, Note, Status

PASSED, FAILED, ERROR = "OK", "FAIL", "ERROR"


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

    def verdict(self) -> tuple[str, str]:
        """(OK, FAIL or ERROR, and why): what the exit code says, in words."""
        if self.errors:
            return ERROR, "a rule failed to run, a bug in tablespec (exit 3)"
        bad = self.gate.failing(self.findings)
        below = self.gate.below(self.findings)
        if bad:
            unknown = sum(1 for f in bad if f.status is Status.UNKNOWN)
            why = (f"{unknown} unknown count as failures in an audit (--allow-unknown lets them "
                   "pass)") if unknown else ""
            return FAILED, why
        if below and self.gate.fail_on is not None:
            rules = ", ".join(dict.fromkeys(f.rule_id for f in below))
            return PASSED, (f"{len(below)} failure(s) below --fail-on "
                            f"{self.gate.fail_on.value}: {rules}")
        return PASSED, ""
