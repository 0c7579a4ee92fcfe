"""`tablespec demo`, live part: a moto server in process, one drift, the audit finds it."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

from checker.demoaudit import demo_audit
from checker.spec.model import Spec
from tests.audit_helpers import REPO, Guard

pytest_plugins = ("tests.audit_fixtures",)


@pytest.fixture(autouse=True)
def _guarded(read_only: Guard) -> Guard:
    return read_only  # the in-process test below makes no client; the other runs apart


_RUN = """
import io, os, sys
from importlib import resources
from checker.demoaudit import demo_audit
from checker.sources.liveclients import client_hook
from checker.spec.load import parse_spec
from tests.audit_helpers import REPO, Guard
data = resources.files("checker").joinpath("data", "tables.yaml").read_text()
spec = parse_spec("embedded", data)
before = dict(os.environ)
out = io.StringIO()
guard = Guard()
with client_hook(guard.install):
    verdict = demo_audit(spec, False, out)
sys.stdout.write(out.getvalue())
print("guard:", len(guard.calls), "calls", guard.violations, "violations")
sys.exit(0 if verdict is True and dict(os.environ) == before else 1)
"""


def test_demo_audit_finds_exactly_its_drift_and_restores_the_environment(tmp_path: Path) -> None:
    # Its own process: moto's in-process servers share one global state with the suite's.
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env["AWS_PROFILE"] = "someone-elses"  # must not leak into the demo's account
    env["PYTHONPATH"] = str(REPO)
    proc = subprocess.run([sys.executable, "-c", _RUN], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    text = proc.stdout
    assert "== 3. live audit" in text
    assert "FAIL    TS-PITR-001  pitr" in text
    assert "arn:aws:dynamodb:eu-west-1:111122223333:table/hypermage-vr-interaction-events-prod" \
        in text
    assert "56 passed, 1 failed, 0 unknown" in text
    assert "17 read-only API calls" in text
    assert "guard: 17 calls [] violations" in text  # the suite's own guard, in that process


def test_demo_audit_is_skipped_with_a_clear_line_without_moto(
    spec: Spec, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "moto.server", None)  # import fails
    out = io.StringIO()
    assert demo_audit(spec, False, out) is None
    assert "live audit: skipped: moto is not installed" in out.getvalue()
