"""Run Checkov with tablespec's policies in this process, and `tablespec plan` beside it."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from checker.checkov.ids import checkov_id, rule_id_for
from checker.checkov.locate import policies_dir
from checker.cli import main as tablespec_main
from checker.findings import Severity, Status
from checker.rules import RULES
from tests.support.paths import REPO

SPEC = REPO / "specs" / "tables.yaml"
Pair = tuple[str, str]  # (resource address, tablespec rule id)
SEVERITY = {r.id: r.severity for r in RULES}
_STATUS = {"PASSED": Status.PASS, "FAILED": Status.FAIL, "SKIPPED": Status.WAIVED}


@dataclass(frozen=True)
class Result:
    """One record of a Checkov report, for one of our checks."""

    resource: str
    rule_id: str
    status: Status
    details: tuple[str, ...]
    file: str


class InProcess:
    """Checkov's runners, imported once; our policies registered once."""

    def __init__(self, rule_ids: Iterable[str]) -> None:
        os.environ.setdefault("CHECKOV_MAX_IAC_FILE_SIZE", "1")  # read when Checkov imports
        from checkov.cloudformation.runner import Runner as CfnRunner
        from checkov.runner_filter import RunnerFilter
        from checkov.terraform.plan_runner import Runner as PlanRunner
        from checkov.terraform.runner import Runner as HclRunner

        self._filter = RunnerFilter
        self._plan_runner = PlanRunner
        self._hcl_runner = HclRunner
        self._cfn_runner = CfnRunner
        self.check_ids = [checkov_id(r) for r in rule_ids]

    def _records(self, report: Any) -> list[Result]:
        reports = report if isinstance(report, list) else [report]
        out = []
        for rep in reports:
            for rec in rep.failed_checks + rep.passed_checks + rep.skipped_checks:
                rule = rule_id_for(rec.check_id)
                if rule is not None:
                    out.append(Result(rec.resource, rule, _STATUS[rec.check_result["result"].name],
                                      tuple(rec.details), rec.file_path))
        return out

    def plan(self, plan: Path) -> list[Result]:
        """Our checks' records on one plan JSON file (`--framework terraform_plan`)."""
        runner_filter = self._filter(framework=["terraform_plan"], checks=self.check_ids)
        report = self._plan_runner().run(root_folder=None, files=[str(plan)],
                                         external_checks_dir=[str(policies_dir())],
                                         runner_filter=runner_filter)
        return self._records(report)

    def cfn(self, template: Path) -> list[Result]:
        """Our checks' records on one template (`--framework cloudformation`)."""
        runner_filter = self._filter(framework=["cloudformation"], checks=self.check_ids)
        report = self._cfn_runner().run(root_folder=None, files=[str(template)],
                                        external_checks_dir=[str(policies_dir())],
                                        runner_filter=runner_filter)
        return self._records(report)

    def hcl(self, root: Path) -> list[Result]:
        """Our checks' records on one directory of Terraform (`--framework terraform`)."""
        runner_filter = self._filter(framework=["terraform"], checks=self.check_ids)
        report = self._hcl_runner().run(root_folder=str(root),
                                        external_checks_dir=[str(policies_dir())],
                                        runner_filter=runner_filter)
        return self._records(report)


def tablespec_plan(plan: Path, spec: Path = SPEC, command: str = "plan", *extra: str
                   ) -> list[dict[str, Any]]:
    """The findings of `tablespec plan PLAN --format json` (or of *command*, e.g. `hcl` on a
    directory), run in this process."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "report.json"
        code = tablespec_main([command, str(plan), "--spec", str(spec), "--format", "json",
                               "-o", str(out), *extra])
        assert code in (0, 1), f"tablespec {command} {plan} exited {code}"
        findings: list[dict[str, Any]] = json.loads(out.read_text())["findings"]
    return findings


_ORDER = (Status.FAIL, Status.UNKNOWN, Status.WAIVED, Status.PASS)


def by_pair(items: Iterable[tuple[Pair, Status]]) -> dict[Pair, Status]:
    """One status per (resource, rule): fail, else unknown, else waived, else pass."""
    seen: dict[Pair, set[Status]] = {}
    for pair, status in items:
        seen.setdefault(pair, set()).add(status)
    return {pair: next(s for s in _ORDER if s in found) for pair, found in seen.items()}


def checkov_pairs(results: Iterable[Result]) -> dict[Pair, Status]:
    """Checkov's records by (resource, rule)."""
    return by_pair(((r.resource, r.rule_id), r.status) for r in results)


def in_checkov(status: Status, reason: str | None, rule_id: str) -> Status:
    """What Checkov must report where tablespec says *status*: an unknown on a critical or
    high rule fails (unless it only follows from another finding); anything else is itself."""
    if status is Status.UNKNOWN and reason != "not_evaluated" and (
            SEVERITY[rule_id].rank >= Severity.HIGH.rank):
        return Status.FAIL
    return status


def expected_in_checkov(findings: Iterable[dict[str, Any]], rules: set[str]
                        ) -> dict[Pair, Status]:
    """What Checkov must report of tablespec's *findings*, by (resource, rule), for *rules*."""
    return by_pair(((f["resource"], f["rule_id"]),
                    in_checkov(Status(f["status"]), f.get("reason"), f["rule_id"]))
                   for f in findings if f["rule_id"] in rules)


def with_status(pairs: dict[Pair, Status], *statuses: Status) -> set[Pair]:
    """The pairs whose status is one of *statuses*."""
    return {p for p, s in pairs.items() if s in statuses}


def every_rule_spec(tmp: Path) -> Path:
    """The project's spec with the policies it leaves off turned on, so that every rule
    applies somewhere (deletion protection and a stream in prod, the STANDARD class, PITR's
    recovery period, an on-demand maximum, autoscaling, Contributor Insights and a replica
    region in prod, resource policies neither public nor shared)."""
    path = tmp / "every-rule.yaml"
    text = SPEC.read_text()
    pitr = "\n  pitr:\n    required_in: [prod]\n"
    assert "\ndefaults:\n" in text and pitr in text
    text = text.replace(pitr, pitr + "    min_recovery_days: 35\n")
    path.write_text(text.replace("\ndefaults:\n", "\ndefaults:\n  deletion_protection:\n"
                                 "    required_in: [prod]\n  streams:\n    required_in: [prod]\n"
                                 "  table_class: [STANDARD]\n  capacity:\n"
                                 "    on_demand_max: {read: 40000, write: 40000}\n"
                                 "    autoscaling: {required_in: [prod], min: 1, max: 40000}\n"
                                 "  resource_policy: {public: false, accounts: ['111111111111']}"
                                 "\n  contributor_insights:\n    required_in: [prod]\n"
                                 "  replicas: {required_in: [prod], regions: [eu-west-1]}\n"))
    return path
