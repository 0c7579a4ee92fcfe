"""The CI examples parse, and every tablespec command in them is one the CLI accepts."""

from __future__ import annotations

import shlex
from pathlib import Path
from typing import Any

import pytest
import yaml

from checker.cli import build_parser

CI = Path(__file__).resolve().parent.parent / "examples" / "ci"


def commands(lines: list[str]) -> list[list[str]]:
    """Every `tablespec ...` command in shell lines, split like a shell would."""
    out = []
    for block in lines:
        for line in block.replace("\\\n", " ").splitlines():
            words = shlex.split(line.strip()) if line.strip() else []
            if words and words[0] == "tablespec":
                out.append(words[1:])
    return out


def accepted(argv: list[str]) -> Any:
    """Parse *argv* with the real CLI parser; fail the test on an unknown option."""
    try:
        return build_parser().parse_args(argv)
    except SystemExit:  # pragma: no cover - the assertion message is the point
        pytest.fail(f"the CLI rejects: tablespec {' '.join(argv)}")


def test_github_workflow_gates_on_the_plan_and_uploads_sarif() -> None:
    flow = yaml.safe_load((CI / "github-actions.yml").read_text())
    steps = flow["jobs"]["plan-gate"]["steps"]
    runs = [s["run"] for s in steps if "run" in s]
    (gate,) = commands(runs)
    args = accepted(gate)
    assert args.command == "plan" and args.plan_files == ["plan.json"]
    formats = dict(args.format)
    assert formats["text"] is None  # the log, while sarif/markdown go to files
    assert any("terraform show -json plan.out > plan.json" in r for r in runs)
    upload = next(s for s in steps if s.get("uses", "").startswith(
        "github/codeql-action/upload-sarif"))
    assert upload["with"]["sarif_file"].endswith(formats["sarif"])
    summary = next(s for s in steps if s.get("name") == "Job summary")
    assert formats["markdown"] in summary["run"] and "GITHUB_STEP_SUMMARY" in summary["run"]
    assert flow["permissions"]["security-events"] == "write"


def test_gitlab_job_reports_junit() -> None:
    job = yaml.safe_load((CI / "gitlab-ci.yml").read_text())["tablespec"]
    (gate,) = commands(job["script"])
    args = accepted(gate)
    formats = dict(args.format)
    assert args.command == "plan"
    assert job["artifacts"]["reports"]["junit"].endswith(formats["junit"])
    assert job["artifacts"]["when"] == "always"
