"""The real `checkov` CLI with our policies: from a checkout, from a wheel, with suppressions.

Each run costs ~2 s of Checkov import, so the runs start together (one process each) and
the tests read their results.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from checker.checkov.adapter import SOURCE_VARIABLE
from checker.checkov.checks import covered_rules
from checker.checkov.ids import checkov_id, rule_id_for
from checker.checkov.verdicts import ENV_VARIABLE, UNKNOWN_VARIABLE
from checker.findings import Status
from checker.rules.pitr import PITR
from checker.specfile.discover import SPEC_VARIABLE
from tests.checkov.harness import (
    SPEC,
    every_rule_spec,
    expected_in_checkov,
    tablespec_plan,
    with_status,
)
from tests.support.paths import REPO

CHECKOV = Path(sys.executable).parent / "checkov"
DEMO = REPO / "checker" / "data"
IDS = [checkov_id(r.id) for r in covered_rules()]
SKIP_REASON = "restores are tested on the replica"
WHEEL_MARK = " [wheel copy]"


@dataclass(frozen=True)
class Run:
    """One finished `checkov` process: exit code and its JSON report."""

    code: int
    report: dict[str, Any]
    stderr: str

    def records(self, kind: str) -> list[dict[str, Any]]:
        """Our records of *kind* (`passed_checks`, `failed_checks`, `skipped_checks`)."""
        return [r for r in self.report["results"][kind] if rule_id_for(r["check_id"])]


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", SPEC_VARIABLE, ENV_VARIABLE, UNKNOWN_VARIABLE,
                        SOURCE_VARIABLE)}
    env.update(CKV_SKIP_PACKAGE_UPDATE_CHECK="true", CHECKOV_MAX_IAC_FILE_SIZE="1", **extra)
    return env


def _checkov(cwd: Path, *args: str, **env: str) -> subprocess.Popen[str]:
    cmd = [str(CHECKOV), *args, "--skip-download", "--check", ",".join(IDS), "-o", "json"]
    return subprocess.Popen(cmd, cwd=cwd, env=_env(**env), text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def _wheel(tmp: Path) -> Path:
    """Build the wheel from a copy of the checkout, unzip it, mark its copy of one rule."""
    src = tmp / "src"
    files = subprocess.run(["git", "ls-files", "-z"], cwd=REPO, capture_output=True,
                           check=True).stdout.decode().split("\0")
    for rel in filter(None, files):
        dest = src / rel
        dest.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(REPO / rel, dest, follow_symlinks=False)
    shutil.copy2(REPO / "pyproject.toml", src / "pyproject.toml")  # as in the work tree
    out = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", ".",
                          "-w", str(tmp / "dist")], cwd=src, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    (wheel,) = (tmp / "dist").glob("tablespec-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        assert "checker/policies/tablespec_checkov_policies.py" in zf.namelist()
        assert "checker/policies/__init__.py" in zf.namelist()
        zf.extractall(tmp / "site")
    pitr = tmp / "site" / "checker" / "rules" / "pitr.py"
    pitr.write_text(pitr.read_text().replace(PITR.title, PITR.title + WHEEL_MARK))
    return tmp / "site"


def _drifted_tree(tmp: Path) -> Path:
    """examples/terraform with the demo's drift and a skip comment on the events table."""
    tree = tmp / "tree"
    shutil.copytree(REPO / "examples" / "terraform", tree,
                    ignore=shutil.ignore_patterns(".terraform*", "*.tfstate*"))
    module = tree / "modules" / "dynamodb"
    shutil.copy2(DEMO / "demo_drift_override.tf", module / "drift_override.tf")
    main = module / "main.tf"
    head = 'resource "aws_dynamodb_table" "interaction_events" {\n'
    skip = f"  #checkov:skip={checkov_id(PITR.id)}:{SKIP_REASON}\n"
    assert head in main.read_text()
    main.write_text(main.read_text().replace(head, head + skip))
    return tree / "environments" / "prod"


EXAMPLE = REPO / "examples" / "cloudformation" / "tables.yaml"
OFF = "PointInTimeRecoveryEnabled: false"


def _templates(tmp: Path) -> Path:
    """The example template as it is (ok.yaml), and with PITR off on two tables, one of
    them with a Checkov skip in its Metadata (bad.yaml)."""
    out = tmp / "templates"
    out.mkdir()
    (out / "ok.yaml").write_text(EXAMPLE.read_text())
    text = EXAMPLE.read_text().replace("PointInTimeRecoveryEnabled: !If [IsProd, true, false]",
                                       OFF, 2)
    head = "  InteractionEvents:\n    Type: AWS::DynamoDB::Table\n"
    skip = (f"    Metadata:\n      checkov:\n        skip:\n          - id: "
            f"{checkov_id(PITR.id)}\n            comment: {SKIP_REASON}\n")
    assert head in text and text.count(OFF) == 2
    (out / "bad.yaml").write_text(text.replace(head, head + skip))
    return out


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    """Every CLI run of this module, started together (the wheel's once it is built)."""
    tmp = tmp_path_factory.mktemp("checkov-cli")
    root = _drifted_tree(tmp)
    every = every_rule_spec(tmp)
    (tmp / "nospec" / ".git").mkdir(parents=True)
    prod, drift = str(DEMO / "demo-prod.plan.json"), str(DEMO / "demo-drift.plan.json")
    plan = ("--framework", "terraform_plan")
    procs = {
        # read with its source, as `tablespec plan` reads it from the root
        "compliant": _checkov(REPO, "-f", prod, *plan, "--external-checks-dir", "policies",
                              TABLESPEC_SOURCE_DIR=str(REPO / "examples" / "terraform" /
                                                       "environments" / "prod")),
        "both": _checkov(REPO, "-f", prod, "-f", drift, *plan,
                         "--external-checks-dir", "policies", TABLESPEC_SPEC=str(every)),
        "nospec": _checkov(tmp / "nospec", "-f", prod, *plan,
                           "--external-checks-dir", str(REPO / "policies")),
        "hcl": _checkov(tmp, "-d", str(root), "--framework", "terraform",
                        "--external-checks-dir", str(REPO / "policies"),
                        TABLESPEC_SPEC=str(SPEC)),
    }
    procs["cfn"] = _checkov(tmp, "-d", str(_templates(tmp).relative_to(tmp)), "--framework",
                            "cloudformation", "--external-checks-dir", str(REPO / "policies"),
                            TABLESPEC_SPEC=str(SPEC))
    site = _wheel(tmp)  # a plan scan with the installed copy, and the HCL skips brought in
    procs["wheel"] = _checkov(tmp, "-f", drift, *plan, "--repo-root-for-plan-enrichment",
                              str(root), "--external-checks-dir",
                              str(site / "checker" / "policies"), TABLESPEC_SPEC=str(every))
    done = {}
    for name, proc in procs.items():
        out, err = proc.communicate(timeout=300)
        assert out.strip(), f"{name}: no report; stderr:\n{err}"
        done[name] = Run(proc.returncode, json.loads(out), err)
    return done


def test_compliant_plan_exits_0(runs: dict[str, Run]) -> None:
    run = runs["compliant"]
    assert run.code == 0, run.stderr
    assert not run.records("failed_checks") and run.records("passed_checks")


def test_every_id_ran_and_failures_match_tablespec(runs: dict[str, Run],
                                                  tmp_path: Path) -> None:
    """From a checkout's root, with every rule turned on: every id passes or fails
    somewhere, exit 1 on a failure, and the failures are tablespec's."""
    run = runs["both"]
    every = every_rule_spec(tmp_path)
    assert run.code == 1
    seen = {r["check_id"] for kind in ("passed_checks", "failed_checks")
            for r in run.records(kind)}
    assert seen == set(IDS)
    covered = {r.id for r in covered_rules()}
    for plan in ("demo-prod.plan.json", "demo-drift.plan.json"):
        theirs = expected_in_checkov(tablespec_plan(DEMO / plan, every), covered)
        failed = {(r["resource"], rule_id_for(r["check_id"])) for r in run.records("failed_checks")
                  if r["file_path"].endswith(plan)}
        assert failed == with_status(theirs, Status.FAIL)
    details = [r["details"] for r in run.records("failed_checks")]
    assert all(d and any(line.startswith("expected: ") for line in d) for d in details)


def test_no_spec_fails_every_check_saying_where_it_looked(runs: dict[str, Run]) -> None:
    run = runs["nospec"]
    assert run.code == 1 and not run.records("passed_checks")
    failed = run.records("failed_checks")
    assert {r["check_id"] for r in failed} == set(IDS)
    assert all("no spec found" in r["details"][0] and "nospec" in r["details"][0]
               for r in failed)


@pytest.mark.parametrize("name", ["hcl", "wheel"])
def test_skip_comment_suppresses_our_check(runs: dict[str, Run], name: str) -> None:
    run = runs[name]
    address = "module.dynamodb.aws_dynamodb_table.interaction_events"
    skipped = [(r["check_id"], r["resource"], r["check_result"]["suppress_comment"])
               for r in run.records("skipped_checks")]
    assert skipped == [(checkov_id(PITR.id), address, SKIP_REASON)]
    failed = {(r["check_id"], r["resource"]) for r in run.records("failed_checks")}
    assert (checkov_id("TS-TTL-002"), "module.dynamodb.aws_dynamodb_table.player_rewards") \
        in failed  # the drift's other table change still fails
    assert run.code == 1


def test_policies_load_from_the_unzipped_wheel(runs: dict[str, Run]) -> None:
    run = runs["wheel"]
    names = {r["check_id"]: r["check_name"] for kind in ("passed_checks", "failed_checks",
                                                          "skipped_checks")
             for r in run.records(kind)}
    assert set(names) == set(IDS)
    assert names[checkov_id(PITR.id)].endswith(WHEEL_MARK)
    assert run.code == 1


def test_cloudformation_templates_get_tablespec_cfn_verdicts(runs: dict[str, Run]) -> None:
    """`checkov -d DIR --framework cloudformation` (DIR relative to where it runs): the
    example passes every check; PITR off fails on its table, and a skip in the resource's
    Metadata suppresses ours."""
    run = runs["cfn"]
    assert run.code == 1, run.stderr
    by_file: dict[str, set[tuple[str, str | None, str]]] = {}
    for kind in ("passed_checks", "failed_checks", "skipped_checks"):
        for r in run.records(kind):
            by_file.setdefault(r["file_path"], set()).add(
                (kind, rule_id_for(r["check_id"]), r["resource"]))
    assert {k for k, *_ in by_file["/ok.yaml"]} == {"passed_checks"}
    reported = {f["rule_id"] for f in tablespec_plan(EXAMPLE, SPEC, "cfn")}
    assert {rule for _, rule, _ in by_file["/ok.yaml"]} == reported & {
        r.id for r in covered_rules()}
    bad = by_file["/bad.yaml"]
    assert {(k, r, res) for k, r, res in bad if k != "passed_checks"} == {
        ("failed_checks", PITR.id, "AWS::DynamoDB::Table.PlayerSessions"),
        ("skipped_checks", PITR.id, "AWS::DynamoDB::Table.InteractionEvents")}
