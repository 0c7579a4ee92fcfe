"""A stand-in for the GitHub Actions runner, and what tablespec itself says, for
tests/commands/test_action.py.

It runs the action's steps in order with bash, as GitHub does (`bash --noprofile --norc -eo
pipefail`), each with the `env:` and `working-directory` it declares (`${{ inputs.X }}`,
`${{ github.* }}` and `${{ steps.ID.outputs.X }}` resolved here), a fresh `$GITHUB_OUTPUT` per
step, and `$GITHUB_STEP_SUMMARY`/`$GITHUB_ENV` in a temporary directory.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from checker import __version__
from tests.commands.test_ci_examples import accepted
from tests.support.paths import REPO

ROOT = REPO
DEMO = ROOT / "checker" / "data"
COMPLIANT = "demo-prod.plan.json"
DRIFTED = "demo-drift.plan.json"
HCL_ROOT = "examples/terraform/environments/prod"
SPEC = "specs/tables.yaml"
BIN = Path(sys.executable).parent  # this interpreter's scripts: tablespec is installed there
EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
CONDITION = re.compile(r"(inputs\.[\w-]+)\s*(==|!=)\s*'([^']*)'")
LOGGED = "+ tablespec "
INPUTS = {  # every input, with its default
    "plan": "", "hcl": "", "cfn": "", "spec": "", "fail-on": "", "fail-on-unknown": "false",
    "env": "", "var-files": "", "workspace": "", "args": "", "waivers": "", "source-dir": "",
    "sarif": "tablespec.sarif", "working-directory": ".", "python-version": "", "install": "true",
}


def action() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load((ROOT / "action.yml").read_text())
    return loaded


def steps() -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = action()["runs"]["steps"]
    return found


# -- a stand-in for the runner ---------------------------------------------------------------


@dataclass
class Run:
    """What running the action left behind."""

    status: int  # exit status of the last step run (the action fails when it is not 0)
    ran: list[str]  # ids of the steps run, in order
    outputs: dict[str, str]  # the action's outputs
    stdout: str
    stderr: str
    summary: str  # $GITHUB_STEP_SUMMARY
    workspace: Path
    cwd: Path  # the working directory of the check

    def command(self) -> list[str]:
        """The one tablespec command the action ran (logged as `+ tablespec ...`)."""
        logged = [line for line in self.stdout.splitlines() if line.startswith(LOGGED)]
        assert len(logged) == 1, self.stdout
        return shlex.split(logged[0][len(LOGGED):])

    def args(self) -> argparse.Namespace:
        """That command, parsed by the real CLI parser."""
        parsed: argparse.Namespace = accepted(self.command())
        return parsed

    def sarif(self) -> dict[str, Any]:
        path = Path(self.outputs["sarif"])
        assert path.is_absolute() and path.is_file(), self.outputs
        loaded: dict[str, Any] = json.loads(path.read_text())  # valid JSON, or the test fails
        return loaded


class Runner:
    """Runs the action's steps the way GitHub runs a composite action's steps."""

    def __init__(self, workspace: Path, inputs: dict[str, str], path: list[Path]) -> None:
        unknown = set(inputs) - set(INPUTS)
        assert not unknown, f"not inputs of the action: {unknown}"
        self.workspace = workspace
        self.inputs = {**INPUTS, **inputs}
        self.outputs: dict[str, dict[str, str]] = {}
        self.home = Path(tempfile.mkdtemp(prefix="runner-", dir=workspace.parent))
        env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "RUNNER_"))}
        env["PATH"] = os.pathsep.join([*map(str, path), env.get("PATH", os.defpath)])
        # the tablespec of this checkout, whatever the scripts directory has installed
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
        env.update(GITHUB_WORKSPACE=str(workspace), GITHUB_ACTION_PATH=str(ROOT),
                   RUNNER_TEMP=str(self.home / "temp"),
                   GITHUB_STEP_SUMMARY=str(self.home / "summary.md"),
                   GITHUB_ENV=str(self.home / "env"))
        (self.home / "temp").mkdir()
        self.env = env

    def value(self, expression: str) -> str:
        words = expression.split(".")
        if words[0] == "inputs" and len(words) == 2:
            return self.inputs[words[1]]
        if expression == "github.action_path":
            return str(ROOT)
        if expression == "github.workspace":
            return str(self.workspace)
        if words[0] == "steps" and len(words) == 4 and words[2] == "outputs":
            return self.outputs.get(words[1], {}).get(words[3], "")
        pytest.fail(f"this test's runner cannot resolve ${{{{ {expression} }}}}")

    def resolve(self, text: str) -> str:
        return EXPRESSION.sub(lambda m: self.value(m.group(1)), text)

    def condition(self, text: str) -> bool:
        match = CONDITION.fullmatch(text.strip())
        assert match, f"this test's runner cannot evaluate `if: {text}`"
        equal = self.value(match.group(1)) == match.group(3)
        return equal if match.group(2) == "==" else not equal

    def run(self) -> Run:
        ran: list[str] = []
        out: list[str] = []
        err: list[str] = []
        status = 0
        for i, step in enumerate(steps()):
            if "if" in step and not self.condition(step["if"]):
                continue
            assert "run" in step, f"step {step.get('name')} would run here, and it is not a script"
            assert step.get("shell") == "bash"
            output = self.home / f"output-{i}"
            output.write_text("")
            env = {**self.env, "GITHUB_OUTPUT": str(output)}
            env.update({k: self.resolve(str(v)) for k, v in step.get("env", {}).items()})
            cwd = self.workspace / self.resolve(step.get("working-directory", "."))
            script = self.home / f"step-{i}.sh"
            script.write_text(step["run"])
            proc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
                                  cwd=cwd, env=env, capture_output=True, text=True, timeout=300,
                                  check=False)
            ran.append(step.get("id", step.get("name", str(i))))
            out.append(proc.stdout)
            err.append(proc.stderr)
            self.outputs[step.get("id", str(i))] = read_outputs(output)
            self.env.update(read_outputs(Path(self.env["GITHUB_ENV"])))
            status = proc.returncode
            if status != 0:  # a failing step ends a composite action
                break
        summary = Path(self.env["GITHUB_STEP_SUMMARY"])
        outputs = {k: self.resolve(v["value"]) for k, v in action()["outputs"].items()}
        return Run(status, ran, outputs,
                   "".join(out), "".join(err), summary.read_text() if summary.exists() else "",
                   self.workspace, self.workspace / self.inputs["working-directory"])

    def tablespec(self, argv: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
        """tablespec itself, from the same PATH as the action's steps."""
        return subprocess.run(["tablespec", *argv], cwd=cwd, env=self.env, capture_output=True,
                              text=True, timeout=300, check=False)


def read_outputs(path: Path) -> dict[str, str]:
    """A $GITHUB_OUTPUT (or $GITHUB_ENV) file: `name=value` and `name<<DELIMITER` blocks."""
    lines = path.read_text().splitlines() if path.exists() else []
    found: dict[str, str] = {}
    while lines:
        line = lines.pop(0)
        name, heredoc, delimiter = line.partition("<<")
        if heredoc and "=" not in name:
            end = lines.index(delimiter)
            found[name], lines = "\n".join(lines[:end]), lines[end + 1:]
        elif line:
            key, _, value = line.partition("=")
            found[key] = value
    return found


def make_workspace(tmp_path: Path) -> Path:
    """A caller's checkout: the spec, the committed demo plans and the Terraform example."""
    ws = tmp_path / "workspace"
    (ws / "specs").mkdir(parents=True)
    shutil.copy(ROOT / SPEC, ws / SPEC)
    for plan in (COMPLIANT, DRIFTED):
        shutil.copy(DEMO / plan, ws / plan)
    shutil.copytree(ROOT / "examples" / "terraform", ws / "examples" / "terraform",
                    ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*"))
    shutil.copytree(ROOT / "examples" / "cloudformation", ws / "examples" / "cloudformation")
    return ws


def tablespec_on_path() -> list[Path]:
    if not (BIN / "tablespec").exists():
        pytest.fail(f"no tablespec script in {BIN}: install the package (`make test` does)")
    return [BIN]


def action_run(checkout: Path, /, **inputs: str) -> Run:
    """Run the action in *checkout* with these inputs (`_` for `-` in names), tablespec from
    the PATH."""
    given = {"install": "false", **{k.replace("_", "-"): v for k, v in inputs.items()}}
    return Runner(checkout, given, tablespec_on_path()).run()


# -- what tablespec itself says ---------------------------------------------------------------


@dataclass
class Expected:
    """tablespec run directly with the command the action ran, plus JSON and Markdown reports."""

    code: int
    report: dict[str, Any] | None  # the JSON report (None when the run could not be made)
    markdown: str
    stderr: str

    def failing(self, severity: str | None = None) -> list[dict[str, Any]]:
        assert self.report is not None
        return [f for f in self.report["findings"] if f["status"] == "fail"
                and severity in (None, f["severity"])]

    def counts(self) -> str:
        """The summary line the text and Markdown reports share, from the JSON counts."""
        assert self.report is not None
        s = self.report["summary"]
        return f"{s['passed']} passed, {s['failed']} failed, {s['unknown']} unknown, " \
               f"{s['waived']} waived"


def expected(run: Run, tmp_path: Path) -> Expected:
    argv: list[str] = []
    words = iter(run.command())
    for word in words:  # the same command, without the action's own --format options
        if word == "--format":
            next(words)
        else:
            argv.append(word)
    report, markdown = tmp_path / "expected.json", tmp_path / "expected.md"
    runner = Runner(run.workspace, {}, tablespec_on_path())
    proc = runner.tablespec([*argv, "--format", f"json={report}", "--format",
                             f"markdown={markdown}"], run.cwd)
    return Expected(proc.returncode, json.loads(report.read_text()) if report.exists() else None,
                    markdown.read_text() if markdown.exists() else "", proc.stderr)


def check(run: Run, tmp_path: Path) -> Expected:
    """What every run that reaches tablespec must show; returns what tablespec says directly."""
    want = expected(run, tmp_path)
    assert run.ran == ["install", "check"]  # setup-python only with a python-version
    assert f"tablespec {__version__}" in run.stdout  # the install step found it
    # the step exits with tablespec's code, after writing the outputs and the summary
    assert run.status == want.code
    assert run.outputs["exit-code"] == str(want.code)
    token = re.search(r"^::stop-commands::(\S+)$", run.stdout, re.M)
    assert token and f"\n::{token.group(1)}::\n" in run.stdout  # its output is never a command
    if want.code >= 2:
        assert want.report is None and run.outputs["sarif"] == "" and run.summary == ""
        message = want.stderr.strip()
        assert message.startswith("tablespec: ") and "\n" not in message  # one line
        assert message in run.stderr.splitlines()
        assert f"::error title=tablespec (exit {want.code})::{message[len('tablespec: '):]}" \
            in run.stdout.splitlines()
        return want
    assert run.summary == want.markdown and want.counts() in run.summary
    log = run.stdout.split(f"::stop-commands::{token.group(1)}\n")[1]
    assert f"{want.counts()}: " in log  # the text report's last line
    sarif = run.sarif()
    assert sarif["version"] == "2.1.0"
    results = sarif["runs"][0]["results"]
    assert len([r for r in results if r["properties"]["status"] == "fail"]) \
        == len(want.failing())
    for r in results:  # an unknown is a warning in code scanning, unless it only follows
        if r["properties"]["status"] == "unknown":
            not_evaluated = r["properties"].get("reason") == "not_evaluated"
            assert r["level"] == ("none" if not_evaluated else "warning"), r
    annotation = "::error title=tablespec::failing findings: "
    assert (annotation in run.stdout) == (want.code == 1)
    return want
