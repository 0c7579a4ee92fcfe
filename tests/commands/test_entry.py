"""The `tablespec` program itself (`checker.cli.entry`): it ends without tearing the
interpreter down, so these run it as a process and check what reaches the caller."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from checker.cli import main
from tests.support.paths import REPO

DRIFT = REPO / "checker" / "data" / "demo-drift.plan.json"
SPEC = REPO / "specs" / "tables.yaml"
PLAN = [sys.executable, "-m", "checker.cli", "plan", str(DRIFT), "--spec", str(SPEC)]


def test_the_report_on_stdout_is_whole_and_the_exit_code_is_the_verdict(tmp_path: Path) -> None:
    written = tmp_path / "report.json"
    assert main(["plan", str(DRIFT), "--spec", str(SPEC), "--format", f"json={written}"]) == 1
    proc = subprocess.run([*PLAN, "--format", "json"], capture_output=True, text=True,
                          cwd=REPO, check=False)
    assert proc.returncode == 1, proc.stderr
    assert proc.stderr == ""
    assert json.loads(proc.stdout)["findings"] == json.loads(written.read_text())["findings"]


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize("command", [["--format", "json"], ["--format", "text"]])
def test_a_full_stdout_is_exit_2_and_one_line(command: list[str]) -> None:
    with open("/dev/full", "w") as full:
        proc = subprocess.run([*PLAN, *command], stdout=full, stderr=subprocess.PIPE,
                              text=True, cwd=REPO, check=False)
    assert proc.returncode == 2
    assert proc.stderr == "tablespec: cannot write to stdout: No space left on device\n"


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize("command", [["spec", "schema"], ["spec", "validate", str(SPEC)],
                                     ["checkov-policies"], ["permissions", "--all-tables"]])
def test_every_command_that_prints_says_so_on_a_full_stdout(command: list[str]) -> None:
    with open("/dev/full", "w") as full:
        proc = subprocess.run([sys.executable, "-m", "checker.cli", *command], stdout=full,
                              stderr=subprocess.PIPE, text=True, cwd=REPO, check=False)
    assert proc.returncode == 2
    assert proc.stderr.splitlines()[0] == (
        "tablespec: cannot write to stdout: No space left on device")
    assert "Traceback" not in proc.stderr


def test_a_reader_that_went_away_ends_the_output_not_the_verdict() -> None:
    """`tablespec plan ... | head -1`: the exit code is still the plan's."""
    proc = subprocess.Popen([*PLAN, "--format", "json"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, cwd=REPO)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # before the report is written: the write meets a closed pipe
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) == 1
    assert err == ""


def test_a_closed_stdout_is_exit_2_and_one_line() -> None:
    """`tablespec plan ... >&-`: the report has nowhere to go."""
    proc = subprocess.run([*PLAN, "--format", "json"], stdout=None, stderr=subprocess.PIPE,
                          text=True, cwd=REPO, check=False, close_fds=True,
                          preexec_fn=lambda: os.close(1))
    assert proc.returncode == 2
    assert proc.stderr == "tablespec: cannot write to stdout: it is closed; redirect it to a file\n"


def test_version_with_stdout_closed_is_not_a_crash() -> None:
    proc = subprocess.run([sys.executable, "-m", "checker.cli", "--version"],
                          stderr=subprocess.PIPE, text=True, cwd=REPO, check=False,
                          preexec_fn=lambda: os.close(1))
    assert proc.returncode == 0
    assert "Traceback" not in proc.stderr
