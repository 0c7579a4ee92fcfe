"""`tablespec demo`, live part: a moto server in process, one drift, the audit finds it."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from checker.demo.live import DRIFTED, demo_audit
from checker.specfile.model import Spec
from tests.support.paths import REPO

# Run in its own process: moto's in-process servers share one global state with the suite's.
_RUN = """
import io, json, os, sys
from importlib import resources
from checker.demo.live import demo_audit
from checker.sources.live.clients import client_hook
from checker.specfile.load import parse_spec
from tests.support.audit_helpers import Guard
data = resources.files("checker").joinpath("data", "tables.yaml").read_text()
spec = parse_spec("embedded", data)
before = dict(os.environ)
out = io.StringIO()
guard = Guard()
with client_hook(guard.install):
    verdict = demo_audit(spec, False, out)
print(json.dumps({"verdict": verdict, "text": out.getvalue(), "calls": guard.calls,
                  "violations": guard.violations, "restored": dict(os.environ) == before}))
"""


def test_demo_audit_finds_exactly_its_drift_and_restores_the_environment(
    spec: Spec, tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env["AWS_PROFILE"] = "someone-elses"  # must not leak into the demo's account
    env["PYTHONPATH"] = str(REPO)
    proc = subprocess.run([sys.executable, "-c", _RUN], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    got = json.loads(proc.stdout.splitlines()[-1])
    assert got["verdict"] is True and got["restored"] is True
    assert got["violations"] == []
    text = got["text"]
    assert "== 3. live audit" in text
    assert "FAIL    TS-PITR-001  pitr" in text
    assert (f"arn:aws:dynamodb:eu-west-1:111122223333:table/hypermage-vr-{DRIFTED}-prod"
            in text)
    summary = text.strip().splitlines()[-1]
    passed = int(summary.split(" passed")[0])
    assert summary == f"{passed} passed, 1 failed, 0 unknown, 0 waived: FAIL" and passed > 0
    # four reads per spec table, one page each of ListTables and DescribeAlarms, one key and
    # the caller's identity
    per_table = ("DescribeTable", "DescribeTimeToLive", "DescribeContinuousBackups",
                 "ListTagsOfResource")
    ops = [op for _, op in got["calls"]]
    assert sorted(ops) == sorted([*per_table * len(spec.tables), "ListTables",
                                  "DescribeAlarms", "DescribeKey", "GetCallerIdentity"])
    assert f"{len(ops)} read-only API calls" in text


def test_demo_audit_is_skipped_with_a_clear_line_without_moto(
    spec: Spec, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "moto.server", None)  # import fails
    out = io.StringIO()
    assert demo_audit(spec, False, out) is None
    assert "live audit: skipped: moto is not installed" in out.getvalue()
