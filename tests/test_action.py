"""The composite GitHub Action (action.yml): its inputs, and its shell steps run for real.

A small stand-in for the runner runs the action's steps in order with bash, as GitHub does
(`bash --noprofile --norc -eo pipefail`), each with the `env:` and `working-directory` it
declares (`${{ inputs.X }}`, `${{ github.* }}` and `${{ steps.ID.outputs.X }}` resolved
here), a fresh `$GITHUB_OUTPUT` per step, and `$GITHUB_STEP_SUMMARY`/`$GITHUB_ENV` in a
temporary directory. tablespec comes from the PATH (`install: false`, the directory of this
interpreter first), so nothing is installed and nothing touches the network. What each run
should report is taken from tablespec itself, run directly with the command the action ran
plus a JSON report: counts are never pinned here.
"""

from __future__ import annotations

import argparse
import datetime as dt
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
from tests.test_ci_examples import accepted

ROOT = Path(__file__).resolve().parent.parent
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
    "plan": "", "hcl": "", "spec": "", "fail-on": "", "waivers": "", "source-dir": "",
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


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A caller's checkout: the spec, the committed demo plans and the Terraform example."""
    ws = tmp_path / "workspace"
    (ws / "specs").mkdir(parents=True)
    shutil.copy(ROOT / SPEC, ws / SPEC)
    for plan in (COMPLIANT, DRIFTED):
        shutil.copy(DEMO / plan, ws / plan)
    shutil.copytree(ROOT / "examples" / "terraform", ws / "examples" / "terraform",
                    ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*"))
    return ws


def tablespec_on_path() -> list[Path]:
    if not (BIN / "tablespec").exists():
        pytest.fail(f"no tablespec script in {BIN}: install the package (`make test` does)")
    return [BIN]


def action_run(workspace: Path, **inputs: str) -> Run:
    """Run the action with these inputs (`_` for `-` in names), tablespec from the PATH."""
    given = {"install": "false", **{k.replace("_", "-"): v for k, v in inputs.items()}}
    return Runner(workspace, given, tablespec_on_path()).run()


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
    assert len([r for r in results if r["kind"] == "fail" and "suppressions" not in r]) \
        == len(want.failing())
    annotation = "::error title=tablespec::failing findings: "
    assert (annotation in run.stdout) == (want.code == 1)
    return want


# -- the action's metadata --------------------------------------------------------------------


def test_inputs_and_outputs() -> None:
    meta = action()
    assert meta["runs"]["using"] == "composite"
    assert {k: str(v.get("default", "")) for k, v in meta["inputs"].items()} == INPUTS
    assert not any(v.get("required") for v in meta["inputs"].values())  # plan or hcl: checked
    assert {k: v["value"] for k, v in meta["outputs"].items()} == {
        "exit-code": "${{ steps.check.outputs.exit-code }}",
        "sarif": "${{ steps.check.outputs.sarif }}",
    }
    for said in ("3.11", "python-version", "install: false", "action's own checkout"):
        assert said in " ".join(meta["description"].split())  # the description says how


def test_inputs_reach_scripts_only_through_env() -> None:
    used: set[str] = set()
    for step in steps():
        if "run" in step:
            assert "${{" not in step["run"], f"{step['name']}: an expression inside run:"
            assert step["shell"] == "bash"
        else:  # actions/setup-python, only when asked for
            assert step["uses"].startswith("actions/setup-python@")
            assert step["if"] == "inputs.python-version != ''"
        for key in ("if", "working-directory"):
            used.update(re.findall(r"inputs\.([\w-]+)", str(step.get(key, ""))))
        for value in [*step.get("env", {}).values(), *step.get("with", {}).values()]:
            names = EXPRESSION.findall(str(value))
            assert len(names) <= 1 and (not names or str(value) == f"${{{{ {names[0]} }}}}")
            used.update(n.removeprefix("inputs.") for n in names if n.startswith("inputs."))
    assert used == set(INPUTS)


def test_installs_from_the_actions_own_checkout() -> None:
    install = next(s for s in steps() if s.get("id") == "install")
    var = next(k for k, v in install["env"].items() if v == "${{ github.action_path }}")
    assert f'-m pip install --quiet --disable-pip-version-check "${var}"' in install["run"]
    assert "-m venv" in install["run"] and "sys.version_info < (3, 11)" in install["run"]


# -- the action, run ---------------------------------------------------------------------------


def test_compliant_plan_passes(workspace: Path, tmp_path: Path) -> None:
    run = action_run(workspace, plan=COMPLIANT, spec=SPEC)
    args = run.args()
    assert (args.command, args.plan_files, args.spec) == ("plan", [COMPLIANT], SPEC)
    assert args.fail_on is None and args.waivers is None and args.source_dir is None
    assert dict(args.format)["text"] is None  # the text report goes to the log
    want = check(run, tmp_path)
    assert want.code == 0 and not want.failing()
    assert run.outputs["sarif"] == str(workspace / "tablespec.sarif")
    assert dict(args.format)["sarif"] == run.outputs["sarif"]


def test_drifted_plan_fails_after_writing_everything(workspace: Path, tmp_path: Path) -> None:
    run = action_run(workspace, plan=DRIFTED, spec=SPEC, sarif="reports/ts.sarif")
    want = check(run, tmp_path)
    assert want.code == 1 and want.failing()
    assert run.outputs["sarif"] == str(workspace / "reports" / "ts.sarif")  # its directory made
    for finding in want.failing():
        assert finding["rule_id"] in run.summary and finding["rule_id"] in run.stdout


def test_fail_on_critical_still_fails_on_the_critical_failure(
        workspace: Path, tmp_path: Path) -> None:
    run = action_run(workspace, plan=DRIFTED, spec=SPEC, fail_on="critical")
    assert run.args().fail_on == "critical"
    want = check(run, tmp_path)
    critical = want.failing("critical")
    assert [(f["rule_id"], f["table"]) for f in critical] == [("TS-TTL-002", "player-rewards")]
    assert want.code == 1 and len(want.failing()) > len(critical)


def test_fail_on_critical_passes_with_the_critical_failure_waived(
        workspace: Path, tmp_path: Path) -> None:
    expires = dt.date.today() + dt.timedelta(days=365)
    (workspace / "waivers.yaml").write_text(
        "waivers:\n"
        "  - table: player-rewards\n"
        "    rule: TS-TTL-002\n"
        "    reason: rewards archive migration, see TICKET-123\n"
        "    owner: alice@example.com\n"
        f"    expires: {expires.isoformat()}\n")
    run = action_run(workspace, plan=DRIFTED, spec=SPEC, fail_on="critical",
                     waivers="waivers.yaml")
    assert run.args().waivers == "waivers.yaml"
    want = check(run, tmp_path)
    assert want.report is not None
    waived = [(f["rule_id"], f["table"]) for f in want.report["findings"]
              if f["status"] == "waived"]
    assert waived == [("TS-TTL-002", "player-rewards")]
    assert want.code == 0 and want.failing() and not want.failing("critical")
    assert run.outputs["exit-code"] == "0"


def test_a_plan_that_is_not_json_fails_with_tablespecs_message(
        workspace: Path, tmp_path: Path) -> None:
    (workspace / "plan.json").write_text("this is not JSON\n")
    run = action_run(workspace, plan="plan.json", spec=SPEC)
    want = check(run, tmp_path)
    assert want.code == 2 and run.outputs["exit-code"] == "2"
    assert "plan.json" in want.stderr


def test_terraform_source_passes(workspace: Path, tmp_path: Path) -> None:
    run = action_run(workspace, hcl=HCL_ROOT, spec=SPEC)
    args = run.args()
    assert (args.command, args.paths) == ("hcl", [HCL_ROOT])
    want = check(run, tmp_path)
    assert want.code == 0 and not want.failing()


def test_source_dir_points_findings_at_tf_lines(workspace: Path, tmp_path: Path) -> None:
    run = action_run(workspace, plan=DRIFTED, spec=SPEC, source_dir=HCL_ROOT)
    assert run.args().source_dir == HCL_ROOT
    check(run, tmp_path)
    uris = {loc["physicalLocation"]["artifactLocation"]["uri"]
            for r in run.sarif()["runs"][0]["results"] for loc in r["locations"]}
    assert uris and all(uri.endswith(".tf") for uri in uris), uris


def test_the_example_workflows_inputs(workspace: Path, tmp_path: Path) -> None:
    """examples/ci/github-actions.yml's `with:`, on a drifted plan where it puts one."""
    flow = yaml.safe_load((ROOT / "examples" / "ci" / "github-actions.yml").read_text())
    gate = next(s for s in flow["jobs"]["plan-gate"]["steps"] if s.get("id") == "tablespec")
    root = workspace / gate["with"]["working-directory"]
    root.mkdir(parents=True)
    shutil.copy(workspace / DRIFTED, root / gate["with"]["plan"])
    inputs = {k.replace("-", "_"): str(v).replace("${{ github.workspace }}", str(workspace))
              for k, v in gate["with"].items()}
    run = action_run(workspace, **inputs)
    assert check(run, tmp_path).code == 1
    assert run.outputs["sarif"] == str(root / gate["with"]["sarif"])


def test_paths_one_per_line_with_spaces_and_dashes(workspace: Path, tmp_path: Path) -> None:
    shutil.copy(workspace / DRIFTED, workspace / "-drifted plan.json")
    run = action_run(workspace, plan="\n  -drifted plan.json  \n\n", spec=SPEC)
    assert run.args().plan_files == ["./-drifted plan.json"]  # never read as an option
    assert check(run, tmp_path).code == 1


def test_inputs_are_never_run_as_shell(workspace: Path, tmp_path: Path) -> None:
    evil = '$(touch pwned-1)"; touch pwned-2; echo "`touch pwned-3`'
    run = action_run(workspace, plan=COMPLIANT, spec=SPEC, waivers=evil)
    assert run.args().waivers == evil
    assert check(run, tmp_path).code == 2  # no such waiver file
    assert not list(tmp_path.rglob("pwned-*"))


@pytest.mark.parametrize(("inputs", "error"), [
    ({"plan": COMPLIANT, "hcl": HCL_ROOT}, "set one of the inputs plan and hcl, not both"),
    ({}, "set the input plan"),
    ({"plan": " \n \n"}, "set the input plan"),
    ({"hcl": HCL_ROOT, "source_dir": HCL_ROOT}, "the input source-dir applies to plan only"),
    ({"plan": COMPLIANT, "sarif": ""}, "the input sarif must name a file"),
])
def test_bad_inputs_fail_before_tablespec_runs(
        workspace: Path, inputs: dict[str, str], error: str) -> None:
    run = action_run(workspace, **inputs)
    assert run.ran == ["install", "check"] and run.status == 2
    assert run.outputs == {"exit-code": "2", "sarif": ""}
    assert f"::error title=tablespec::{error}" in run.stdout
    assert LOGGED not in run.stdout and run.summary == ""


def test_install_refuses_an_old_python(workspace: Path, tmp_path: Path) -> None:
    fake = tmp_path / "old-python"
    fake.mkdir()
    (fake / "python3").write_text("#!/bin/sh\necho Python 3.10.12\nexit 1\n")
    (fake / "python3").chmod(0o755)
    run = Runner(workspace, {"plan": COMPLIANT, "install": "true"}, [fake]).run()
    assert run.ran == ["install"] and run.status == 2  # the check never runs
    assert "::error title=tablespec::tablespec needs Python 3.11 or newer, and " \
        f"{fake / 'python3'} is Python 3.10.12" in run.stdout
    assert run.outputs == {"exit-code": "", "sarif": ""}
    assert not list(tmp_path.glob("runner-*/temp/tablespec-venv"))


def test_install_must_be_true_or_false(workspace: Path) -> None:
    run = action_run(workspace, plan=COMPLIANT, install="yes")
    assert run.ran == ["install"] and run.status == 2
    assert "::error title=tablespec::install must be true or false, not 'yes'" in run.stdout
