"""Shared fixtures: the spec, and real Terraform plans made once per session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from checker.specfile.load import load_spec
from checker.specfile.model import Spec
from tests.checkov.harness import InProcess
from tests.tfplans import PlanFarm, require_terraform

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def spec() -> Spec:
    """The project's spec."""
    return load_spec(REPO / "specs" / "tables.yaml")


@pytest.fixture(scope="session")
def farm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PlanFarm]:
    """Real Terraform plans, cached for the session (and on disk across sessions)."""
    require_terraform()
    yield PlanFarm(tmp_path_factory.mktemp("plans"), REPO / ".cache" / "plans")


@pytest.fixture(scope="session")
def checkov() -> InProcess:
    """Checkov's plan and HCL runners in this process, with tablespec's policies (imported
    on first use: Checkov takes seconds to import)."""
    from checker.checkov.checks import covered_rules

    return InProcess(r.id for r in covered_rules())
