"""The report every reporter renders."""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field

from checker import __version__
from checker.engine import PLACE, UNNAMED, UNPLACED
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
    gate: Gate = field(default_factory=Gate.of)
    errors: int = 0  # rules that raised: a bug in tablespec; the run exits 3
    version: str = __version__
    created: float = field(default_factory=time.time)  # when the run was made (epoch seconds)
    spec_lines: dict[str, int] = field(default_factory=dict)  # spec table -> its line there

    @property
    def regions(self) -> bool:
        """True when the findings span several regions: reports then name each one's."""
        return len({f.region for f in self.findings if f.region}) > 1

    def summary(self) -> dict[str, int]:
        """Counts per status, in contract order."""
        counts = Counter(f.status for f in self.findings)
        return {s.value: counts.get(s, 0) for s in Status}

    def contract_summary(self) -> dict[str, int]:
        """The JSON contract's summary keys."""
        s = self.summary()
        return {"passed": s["pass"], "failed": s["fail"], "unknown": s["unknown"],
                "waived": s["waived"]}

    def unchecked(self) -> list[tuple[str, str]]:
        """(table, environment) of each spec table no finding could judge: all its findings
        are unknown (e.g. the source cannot tell whether the table exists)."""
        judged: dict[tuple[str, str], bool] = {}
        for f in self.findings:
            if f.environment == UNPLACED or f.table in (PLACE, UNNAMED):
                continue
            key = (f.table, f.environment)
            judged[key] = judged.get(key, False) or f.status is not Status.UNKNOWN
        return [key for key, done in judged.items() if not done]

    def _not_checked(self) -> list[str]:
        """What the run could not check, in words (empty when it checked everything)."""
        out: list[str] = []
        unchecked = self.unchecked()
        if unchecked:
            shown = ", ".join(f"{t} ({e})" for t, e in unchecked[:3])
            more = ", ..." if len(unchecked) > 3 else ""
            out.append(f"{len(unchecked)} spec table(s) could not be checked: {shown}{more}")
        places = {f.resource for f in self.findings if f.table == PLACE}
        if places:
            out.append(f"{len(places)} place(s) could not be read")
        untold = {f.resource for f in self.findings if f.environment == UNPLACED}
        if untold and not self.environments:
            out.append(f"nothing tells the environment of {len(untold)} table(s), so no "
                       "environment was checked (give --env)")
        elif not self.environments and not places:
            out.append("no environment was checked: no table of the spec was found (with "
                       "--env ENV, the spec's tables are required there)")
        return out

    def verdict(self) -> tuple[str, str]:
        """(OK, FAIL or ERROR, and why): what the exit code says, in words. It never says a
        plain OK while a spec table could not be checked."""
        if self.errors:
            return ERROR, "a rule failed to run, a bug in tablespec (exit 3)"
        bad = self.gate.failing(self.findings)
        below = self.gate.below(self.findings)
        why = self._not_checked()
        if bad:
            unknown = sum(1 for f in bad if f.status is Status.UNKNOWN)
            flag = ("in an audit (--allow-unknown lets them pass)" if self.source_kind == "live"
                    else "(--fail-on-unknown)")
            if unknown:
                why.insert(0, f"{unknown} unknown count as failures {flag}")
            return FAILED, "; ".join(why)
        if below and self.gate.fail_on is not None:
            rules = ", ".join(dict.fromkeys(f.rule_id for f in below))
            why.insert(0, f"{len(below)} failure(s) below --fail-on {self.gate.fail_on.value}: "
                       f"{rules}")
        return PASSED, "; ".join(why)
