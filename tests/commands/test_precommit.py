"""The pre-commit hooks, with the real pre-commit from PyPI, on a copy of the example.

`pre-commit try-repo <this checkout> tablespec-hcl` builds the hook's environment from this
checkout as users get it (a pip install of the repository), then runs it on the files of
a commit. A commit that breaks the spec, touching only a file of the module, fails and
names the file and line; one that does not, passes.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.support.paths import REPO

MODULE_FILE = "modules/dynamodb/main.tf"
PITR_ON = "enabled = var.enable_point_in_time_recovery"


def git(repo: Path, *args: str) -> None:
    """A git command in *repo*, as a throwaway identity."""
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", *args],
                   cwd=repo, check=True, capture_output=True)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A git repository holding a copy of the example and the spec, committed."""
    repo = tmp_path / "project"
    shutil.copytree(REPO / "examples" / "terraform", repo,
                    ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*"))
    (repo / "specs").mkdir()
    shutil.copy(REPO / "specs" / "tables.yaml", repo / "specs" / "tables.yaml")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "tables")
    return repo


def try_repo(project: Path, *files: str, verbose: bool = False, hook: str = "tablespec-hcl"
             ) -> subprocess.CompletedProcess[str]:
    """`pre-commit try-repo <checkout> HOOK --files FILES` in *project* (with --verbose: the
    hook's output shown when it passes too)."""
    env = {**os.environ, "PRE_COMMIT_HOME": str(REPO / ".cache" / "pre-commit"),
           "PRE_COMMIT_COLOR": "never"}
    cmd = [sys.executable, "-m", "pre_commit", "try-repo", str(REPO), hook,
           "--files", *files, *(["--verbose"] if verbose else [])]
    return subprocess.run(cmd, cwd=project, env=env, capture_output=True, text=True,
                          timeout=600, check=False)


def test_the_hooks_file_declares_every_hook() -> None:
    hooks = {h["id"]: h for h in yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())}
    assert set(hooks) == {"tablespec-hcl", "tablespec-cfn", "tablespec-plan"}
    cfn = hooks["tablespec-cfn"]
    assert (cfn["entry"], cfn["pass_filenames"]) == ("tablespec cfn --only-templates", True)
    assert all(re.search(cfn["files"], f) for f in ("stack.yaml", "a/t.yml", "t.json",
                                                    "x.template"))
    hcl = hooks["tablespec-hcl"]
    assert (hcl["entry"], hcl["pass_filenames"], hcl["require_serial"]) == (
        "tablespec hcl", True, True)
    files = re.compile(hcl["files"])
    runs_on = ["main.tf", "env/prod.tfvars", "a/b.tf.json", "prod.tfvars.json", "main.tofu",
               "a/b.tofu.json",
               "specs/tables.yaml", "infra/tablespec.yaml"]
    assert [f for f in runs_on if not files.search(f)] == []
    skips = ["plan.json", "README.md", "other.yaml", "main.tfplan", "a.tf.bak", "a.tofu.bak"]
    assert [f for f in skips if files.search(f)] == []
    plan = hooks["tablespec-plan"]
    assert plan["entry"] == "tablespec plan" and plan["stages"] == ["manual"]


def test_a_module_change_that_breaks_the_spec_fails_the_hook_and_one_that_does_not_passes(
    project: Path
) -> None:
    module = project / MODULE_FILE
    text = module.read_text()
    module.write_text(text.replace("# No TTL: rewards persist indefinitely.",
                                   "# No TTL: rewards persist for good."))
    git(project, "commit", "-qam", "reword a comment")
    ok = try_repo(project, MODULE_FILE)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "tablespec (Terraform source)" in ok.stdout and "Passed" in ok.stdout
    first = text.index(PITR_ON)
    line = text[:first].count("\n") + 1
    module.write_text(text[:first] + "enabled = false" + text[first + len(PITR_ON):])
    git(project, "commit", "-qam", "turn PITR off for player sessions")
    bad = try_repo(project, MODULE_FILE)
    assert bad.returncode == 1, bad.stdout + bad.stderr
    out = bad.stdout
    assert "Failed" in out and "TS-PITR-001" in out and "player-sessions (prod)" in out
    assert f"{MODULE_FILE}:{line}" in out  # the file and line that decide it


@pytest.fixture
def layouts(tmp_path: Path) -> Path:
    """A git repository holding examples/layouts (a var file per environment in a folder of
    its own; a workspace per environment) beside the module they call, and the spec."""
    repo = tmp_path / "layouts"
    for part in ("layouts", "terraform"):
        shutil.copytree(REPO / "examples" / part, repo / part,
                        ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*"))
    shutil.copytree(REPO / "specs", repo / "specs")
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "tables")
    return repo


def test_the_hook_holds_each_environment_of_a_layout_to_itself(layouts: Path) -> None:
    """A commit that changes only env/prod.tfvars runs the root above it with that file and
    fails prod alone, and so does the file beside the root; a commit to a root whose
    environments are workspaces fails the workspace it breaks; a commit of the spec alone
    runs every root, and passes."""
    prod = layouts / "layouts" / "var-files" / "env" / "prod.tfvars"
    prod.write_text(prod.read_text().replace("point_in_time_recovery = true",
                                             "point_in_time_recovery = false"))
    git(layouts, "commit", "-qam", "prod without PITR")
    bad = try_repo(layouts, "layouts/var-files/env/prod.tfvars")
    out = bad.stdout
    assert bad.returncode == 1, out + bad.stderr
    assert "TS-PITR-001" in out and "player-sessions (prod)" in out
    assert [ln for ln in out.splitlines() if "(dev)" in ln and not ln.startswith("PASS")] == []
    assert "evaluated with var file env/prod.tfvars (environment prod)" in out
    # the same files beside the root (prod.tfvars next to main.tf)
    git(layouts, "mv", "layouts/var-files/env/prod.tfvars", "layouts/var-files/prod.tfvars")
    git(layouts, "commit", "-qm", "var files beside the root")
    beside = try_repo(layouts, "layouts/var-files/prod.tfvars")
    assert beside.returncode == 1 and "player-sessions (prod)" in beside.stdout, beside.stdout
    assert "evaluated with var file prod.tfvars (environment prod)" in beside.stdout
    git(layouts, "reset", "-q", "--hard", "HEAD~2")
    main = layouts / "layouts" / "workspaces" / "main.tf"
    main.write_text(main.read_text().replace("pitr        = true", "pitr        = false"))
    git(layouts, "commit", "-qam", "prod workspace without PITR")
    ws = try_repo(layouts, "layouts/workspaces/main.tf")
    assert ws.returncode == 1 and "player-sessions (prod)" in ws.stdout, ws.stdout + ws.stderr
    assert "evaluated with workspace prod (environment prod)" in ws.stdout
    git(layouts, "revert", "--no-edit", "HEAD")
    spec = layouts / "specs" / "tables.yaml"
    spec.write_text(spec.read_text() + "# reviewed\n")
    git(layouts, "commit", "-qam", "spec reviewed")
    ok = try_repo(layouts, "specs/tables.yaml", verbose=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    for root in ("var-files", "workspaces"):
        assert f"layouts/{root}: evaluated with" in ok.stdout


def readme_local_hook() -> dict[str, object]:
    """The README's `repo: local` Checkov hook, as written there."""
    text = (REPO / "README.md").read_text()
    section = text[text.index("## With Checkov"):]
    block = section[section.index("```yaml") + len("```yaml"):]
    repos = yaml.safe_load(block[:block.index("```")])["repos"]
    (local,) = [r for r in repos if r["repo"] == "local"]
    return dict(local)


def test_checkov_with_the_policies_as_a_local_hook(project: Path, tmp_path: Path) -> None:
    """The README's local hook: checkov and tablespec on PATH, the policies found by tablespec."""
    bin_dir = Path(sys.executable).parent
    config = {"repos": [readme_local_hook()]}
    (project / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    git(project, "add", "-A")
    git(project, "commit", "-qm", "hook")
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
           "PRE_COMMIT_HOME": str(tmp_path / "pre-commit"), "PRE_COMMIT_COLOR": "never",
           "CKV_SKIP_PACKAGE_UPDATE_CHECK": "true",
           "TABLESPEC_SPEC": str(project / "specs" / "tables.yaml")}
    for name in ("PYTHONPATH", "TABLESPEC_ENV", "TABLESPEC_CHECKOV_UNKNOWN"):
        env.pop(name, None)

    def hook() -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "pre_commit", "run", "--all-files"],
                              cwd=project, env=env, capture_output=True, text=True,
                              timeout=300, check=False)

    ok = hook()
    assert ok.returncode == 0, ok.stdout + ok.stderr
    module = project / MODULE_FILE
    text = module.read_text()
    module.write_text(text.replace(PITR_ON, "enabled = false", 1))
    bad = hook()
    assert bad.returncode == 1 and "CKV_TS_PITR_001" in bad.stdout, bad.stdout + bad.stderr
    module.write_text(text)
    # a table whose name (and so environment) nothing tells: Checkov cannot judge it, and
    # what it cannot tell on a critical rule fails, never a silent green
    (project / "unplaced").mkdir()
    (project / "unplaced" / "main.tf").write_text(
        'variable "table_name" {\n  type = string\n}\n'
        'resource "aws_dynamodb_table" "t" {\n  name = var.table_name\n  hash_key = "id"\n'
        '  billing_mode = "PAY_PER_REQUEST"\n  attribute {\n    name = "id"\n'
        '    type = "S"\n  }\n}\n')
    untold = hook()
    out = untold.stdout
    assert untold.returncode == 1 and "CKV_TS_KEY_001" in out, out + untold.stderr
    assert "cannot tell: the environment of" in out


def test_the_cfn_hook_fails_a_template_that_breaks_the_spec_on_its_line(tmp_path: Path) -> None:
    repo = tmp_path / "stacks"
    (repo / "specs").mkdir(parents=True)
    shutil.copy(REPO / "specs" / "tables.yaml", repo / "specs" / "tables.yaml")
    text = (REPO / "examples" / "cloudformation" / "tables.yaml").read_text()
    (repo / "tables.yaml").write_text(text)
    (repo / "ci.yml").write_text("on: push\n")  # YAML, not a template: passed over
    git(repo, "init", "-q")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "stack")
    ok = try_repo(repo, "tables.yaml", "ci.yml", hook="tablespec-cfn")
    assert ok.returncode == 0, ok.stdout + ok.stderr
    pitr = "PointInTimeRecoveryEnabled: !If [IsProd, true, false]"
    line = text[:text.index(pitr)].count("\n")  # the PointInTimeRecoverySpecification line
    (repo / "tables.yaml").write_text(text.replace(pitr, "PointInTimeRecoveryEnabled: false",
                                                   1))
    git(repo, "commit", "-qam", "PITR off")
    bad = try_repo(repo, "tables.yaml", hook="tablespec-cfn")
    assert bad.returncode == 1, bad.stdout + bad.stderr
    assert "TS-PITR-001" in bad.stdout and f"tables.yaml:{line}" in bad.stdout
