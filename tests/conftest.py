"""Shared fixtures: the spec, and real Terraform plans made once per session."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from checker.spec.load import load_spec
from checker.spec.model import Spec
from tests.tfplans import PlanFarm, terraform_missing

REPO = Path(__file__).resolve().parent.parent
REQUIRE_TF = "TABLESPEC_REQUIRE_TERRAFORM"


@pytest.fixture(scope="session")
def spec() -> Spec:
    """The project's spec."""
    return load_spec(REPO / "specs" / "tables.yaml")


@pytest.fixture(scope="session")
def farm(tmp_path_factory: pytest.TempPathFactory) -> Iterator[PlanFarm]:
    """Real Terraform plans, cached for the session (and on disk across sessions)."""
    missing = terraform_missing()
    if missing:
        if os.environ.get(REQUIRE_TF):
            pytest.fail(f"{REQUIRE_TF} is set but {missing}")
        pytest.skip(missing)
    yield PlanFarm(tmp_path_factory.mktemp("plans"), REPO / ".cache" / "plans")
