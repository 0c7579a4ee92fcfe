"""The CI examples parse, every tablespec command in them is one the CLI accepts, and the
GitHub workflow uses the action (action.yml; run for real in test_action.py)."""

from __future__ import annotations

import shlex
from typing import Any

import pytest
import yaml

from checker.cli import build_parser
from tests.support.paths import REPO

ROOT = REPO
CI = ROOT / "examples" / "ci"


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


def test_github_workflow_gates_on_the_plan_with_the_action_and_uploads_sarif() -> None:
    text = (CI / "github-actions.yml").read_text()
    flow = yaml.safe_load(text)
    steps = flow["jobs"]["plan-gate"]["steps"]
    plan = next(s for s in steps if "terraform show -json" in s.get("run", ""))
    assert "terraform show -json plan.out > plan.json" in plan["run"]
    gate = next(s for s in steps if s.get("uses", "").startswith("OWNER/tablespec@"))
    assert "replace" in text and "OWNER/tablespec" in text  # the comment on the reference
    inputs = yaml.safe_load((ROOT / "action.yml").read_text())["inputs"]
    assert set(gate["with"]) <= set(inputs)
    assert gate["with"]["plan"] == "plan.json" and "hcl" not in gate["with"]
    assert gate["with"]["working-directory"] == plan["working-directory"]
    upload = next(s for s in steps if s.get("uses", "").startswith(
        "github/codeql-action/upload-sarif"))
    assert upload["with"]["sarif_file"] == f"${{{{ steps.{gate['id']}.outputs.sarif }}}}"
    assert upload["if"].startswith("always()")  # after a failing gate too
    assert steps.index(upload) > steps.index(gate) > steps.index(plan)
    assert flow["permissions"]["security-events"] == "write"
    assert not commands([s["run"] for s in steps if "run" in s])  # the action runs tablespec


def test_gitlab_job_reports_code_quality_and_junit() -> None:
    job = yaml.safe_load((CI / "gitlab-ci.yml").read_text())["tablespec"]
    (gate,) = commands(job["script"])
    args = accepted(gate)
    formats = dict(args.format)
    assert args.command == "plan"
    assert job["artifacts"]["reports"]["junit"].endswith(formats["junit"])
    assert job["artifacts"]["reports"]["codequality"].endswith(formats["gitlab"])
    assert args.source_dir == "."  # the findings on their .tf lines, not on the plan
    assert job["artifacts"]["when"] == "always"


def test_the_gitlab_job_installs_tablespec_from_its_repository() -> None:
    """tablespec is not on PyPI: a bare `pip install tablespec` would get something else."""
    job = yaml.safe_load((CI / "gitlab-ci.yml").read_text())["tablespec"]
    installs = [line for line in job["before_script"] if "pip install" in line]
    assert installs == ['pip install "$TABLESPEC"']
    assert job["variables"]["TABLESPEC"].startswith("git+https://")
