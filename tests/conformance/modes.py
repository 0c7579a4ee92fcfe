"""Run the conformance root through every mode and read each verdict per (case, rule).

The verdict of a rule on a case's table is the decisive status of its findings there:
fail, else unknown, else pass (as the Checkov policies decide it). Checkov leaves unknown
results out of its report: a covered rule with no record is unknown; a FAILED record that
cannot tell is an unknown made to fail (reason CANNOT_TELL).
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from checker.cli import main
from tests.checkov.harness import Result
from tests.conformance.cases import Case
from tests.conformance.roots import case_of

_ORDER = {"fail": 0, "unknown": 1, "waived": 2, "pass": 3}


@dataclass(frozen=True)
class Verdict:
    """One rule's decisive status on one case's table, and what its finding says."""

    status: str
    reason: str | None = None
    message: str = ""
    regions: tuple[str, ...] = ()  # of the findings with this status (tablespec's reports)


Verdicts = dict[tuple[str, str], Verdict]  # (case id, rule id) -> verdict


def decisive(found: Iterable[tuple[tuple[str, str], Verdict]]) -> Verdicts:
    """The strongest verdict per (case, rule), with the regions of every finding that has
    its status."""
    out: Verdicts = {}
    for key, verdict in found:
        if key not in out or _ORDER[verdict.status] < _ORDER[out[key].status]:
            out[key] = verdict
        elif verdict.status == out[key].status and verdict.regions:
            out[key] = replace(out[key], regions=(*out[key].regions, *verdict.regions))
    return out


def from_findings(findings: list[dict[str, Any]]) -> Verdicts:
    """Verdicts of a tablespec JSON report (the spec's tables are the case ids)."""
    return decisive(((f["table"], f["rule_id"]),
                     Verdict(f["status"], f.get("reason"), f["message"],
                             (f["region"],) if f.get("region") else ())) for f in findings)


def tablespec(*args: str) -> tuple[int, Verdicts]:
    """`tablespec ARGS --format json`, in this process: its exit code and verdicts."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        code = main([*args, "--format", "json", "-o", str(out)])
        if code not in (0, 1):
            return code, {}
        return code, from_findings(json.loads(out.read_text())["findings"])


def from_checkov(results: list[Result], case_of: Callable[[str], Case | None] = case_of
                 ) -> Verdicts:
    """Verdicts of Checkov's records (a rule with no record is unknown: Checkov leaves its
    unknown results out of its report); *case_of* tells the case of a record's resource."""
    found: list[tuple[tuple[str, str], Verdict]] = []
    for r in results:
        case = case_of(r.resource)
        if case is not None:
            said = " ".join(r.details)
            reason = CANNOT_TELL if r.details and CANNOT_TELL in r.details[0] else None
            found.append(((case.id, r.rule_id), Verdict(r.status.value, reason, said)))
    return decisive(found)


NOT_REPORTED = Verdict("unknown", "not in Checkov's report")
CANNOT_TELL = "cannot tell"  # the reason of a Checkov FAILED that stands for an unknown
