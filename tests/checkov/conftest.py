"""Checkov with tablespec's policies, imported once for the whole session."""

from __future__ import annotations

import pytest

from checker.checkov import verdicts
from checker.checkov.checks import covered_rules
from checker.spec.discover import SPEC_VARIABLE
from tests.checkov.harness import SPEC, InProcess


@pytest.fixture(scope="session")
def checkov() -> InProcess:
    """Checkov's plan and HCL runners in this process."""
    return InProcess(r.id for r in covered_rules())


@pytest.fixture
def project_spec(monkeypatch: pytest.MonkeyPatch) -> None:
    """Our policies read specs/tables.yaml (through $TABLESPEC_SPEC)."""
    monkeypatch.setenv(SPEC_VARIABLE, str(SPEC))
    monkeypatch.delenv(verdicts.ENV_VARIABLE, raising=False)
