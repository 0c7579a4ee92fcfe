"""`tablespec demo` and its fallback when Terraform cannot run."""

from __future__ import annotations

import pytest

from checker import terraform
from checker.cli import main


def test_demo_falls_back_to_committed_plans(monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(terraform, "terraform_binary", lambda: None)
    assert main(["demo", "--color", "never"]) == 0
    out, err = capsys.readouterr()
    assert "terraform is not on PATH; using the committed plan JSON instead" in err
    first = out.split("== 2.")[0].strip().splitlines()[-1]
    assert first.endswith(" passed, 0 failed, 0 unknown, 0 waived: OK"), first
    assert "TS-TTL-002" in out and "TS-PITR-001" in out and "TS-ALARM-002" in out
    assert "\033[" not in out
