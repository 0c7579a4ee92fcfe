"""The composite GitHub Action (action.yml): its inputs, and its shell steps run for real.

The stand-in for the runner (tests/support/action_runner.py) runs the action's steps with bash as
GitHub does. tablespec comes from the PATH (`install: false`, the directory of this
interpreter first), so nothing is installed and nothing touches the network. What each run
should report is taken from tablespec itself, run directly with the command the action ran
plus a JSON report: counts are never pinned here.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
import yaml

from tests.support.action_runner import (
    COMPLIANT,
    DRIFTED,
    EXPRESSION,
    HCL_ROOT,
    INPUTS,
    LOGGED,
    ROOT,
    SPEC,
    Runner,
    action,
    action_run,
    check,
    make_workspace,
    steps,
)

CFN = "examples/cloudformation"


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    """A caller's checkout: the spec, the committed demo plans and the Terraform example."""
    return make_workspace(tmp_path)


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


def test_fail_on_unknown_fails_on_what_the_source_cannot_tell(
        workspace: Path, tmp_path: Path) -> None:
    hidden = workspace / "registry-root"
    hidden.mkdir()
    (hidden / "main.tf").write_text(
        'module "tables" {\n  source = "terraform-aws-modules/dynamodb-table/aws"\n}\n')
    lenient = action_run(workspace, hcl="registry-root", spec=SPEC)
    assert not lenient.args().fail_on_unknown and check(lenient, tmp_path).code == 0
    strict = action_run(workspace, hcl="registry-root", spec=SPEC, fail_on_unknown="true")
    assert strict.args().fail_on_unknown
    (tmp_path / "strict").mkdir()
    want = check(strict, tmp_path / "strict")
    assert want.code == 1 and not want.failing()  # no failure: the unknowns fail it
    assert "could not be checked" in strict.stdout and "--fail-on-unknown" in strict.stdout
    presence = [r for r in strict.sarif()["runs"][0]["results"] if r["ruleId"] == "TS-PRES-001"]
    assert presence and {r["level"] for r in presence} == {"warning"}  # in code scanning
    bad = action_run(workspace, hcl="registry-root", spec=SPEC, fail_on_unknown="yes")
    assert bad.status == 2 and "fail-on-unknown must be true or false" in bad.stdout


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


def test_cloudformation_templates(workspace: Path, tmp_path: Path) -> None:
    run = action_run(workspace, cfn=CFN, spec=SPEC, args="--parameter\nEnvironment=dev")
    args = run.args()
    assert (args.command, args.paths, args.parameter) == ("cfn", [CFN], ["Environment=dev"])
    want = check(run, tmp_path)
    assert want.code == 0 and not want.failing()
    broken = workspace / CFN / "tables.yaml"
    broken.write_text(broken.read_text().replace("SSEEnabled: true", "SSEEnabled: false", 1))
    failed = action_run(workspace, cfn=CFN, spec=SPEC)
    assert failed.status == 1 and failed.outputs["exit-code"] == "1"
    assert "TS-SSE-001" in failed.stdout


def test_terraform_source_with_environment_var_files_workspace_and_options(
        workspace: Path, tmp_path: Path) -> None:
    """`env`, `var-files` (one a line), `workspace` and free `args` reach `tablespec hcl`."""
    for name in ("common.tfvars", "prod.tfvars"):
        (workspace / HCL_ROOT / name).write_text('aws_region = "eu-west-1"\n', encoding="utf-8")
    run = action_run(workspace, hcl=HCL_ROOT, spec=SPEC, env="prod", workspace="prod",
                     var_files=f"{HCL_ROOT}/common.tfvars\n{HCL_ROOT}/prod.tfvars\n",
                     args="--strict-names\n--fail-on=high")
    args = run.args()
    assert (args.env, args.workspace, args.strict_names, args.fail_on) == (
        "prod", "prod", True, "high")
    assert args.var_file == [f"{HCL_ROOT}/common.tfvars", f"{HCL_ROOT}/prod.tfvars"]
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
    ({"plan": COMPLIANT, "hcl": HCL_ROOT}, "set one of the inputs plan, hcl and cfn, not more"),
    ({"hcl": HCL_ROOT, "cfn": CFN}, "set one of the inputs plan, hcl and cfn, not more"),
    ({"cfn": CFN, "workspace": "prod"}, "the inputs var-files and workspace apply to hcl only"),
    ({}, "set the input plan"),
    ({"plan": " \n \n"}, "set the input plan"),
    ({"hcl": HCL_ROOT, "source_dir": HCL_ROOT}, "the input source-dir applies to plan only"),
    ({"plan": COMPLIANT, "sarif": ""}, "the input sarif must name a file"),
    ({"plan": COMPLIANT, "workspace": "prod"}, "the inputs var-files and workspace apply to hcl"),
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
