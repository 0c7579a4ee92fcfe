"""The spec the Checkov tests' policies read (Checkov itself: `checkov` in tests/conftest.py)."""

from __future__ import annotations

import pytest

from checker.checkov import verdicts
from checker.specfile.discover import SPEC_VARIABLE
from tests.checkov.harness import SPEC


@pytest.fixture
def project_spec(monkeypatch: pytest.MonkeyPatch) -> None:
    """Our policies read specs/tables.yaml (through $TABLESPEC_SPEC)."""
    monkeypatch.setenv(SPEC_VARIABLE, str(SPEC))
    monkeypatch.delenv(verdicts.ENV_VARIABLE, raising=False)
