"""What every test may use: the spec, real Terraform plans, Checkov in process and the moto
worlds (all made once per session), the Hypothesis profiles, how files share xdist workers,
and, on CI, the check that no test writes into the checkout."""

from __future__ import annotations

import os
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis.configuration import set_hypothesis_home_dir

from checker.specfile.load import load_spec
from checker.specfile.model import Spec
from tests.checkov.harness import InProcess

# The moto worlds' fixtures, each made where it is first used and kept for the session:
# written beside the worlds they make, in tests/support/, and named here for pytest.
from tests.support.audit_fixtures import (  # noqa: F401
    applied,
    applied_world,
    aws,
    moto_endpoint,
    read_only,
    seeded,
    seeded_world,
    world,
)
from tests.support.audit_org_fixtures import management, org  # noqa: F401
from tests.support.org_fixtures import hub, org_world  # noqa: F401
from tests.support.paths import REPO
from tests.support.tfplans import PlanFarm, require_terraform

# The property tests (marked `fuzz`: tests/sources/{hcl,plan}/test_fuzz.py and
# tests/specfile/test_fuzz.py) run with the Hypothesis profile `test` (make test: derandomized,
# 200 examples a target) or `fuzz` (make fuzz: 10,000 examples a target, still derandomized
# so a failure replays). Each asserts an outcome class, never a timing. Hypothesis keeps what
# it learns of the source in the temporary directory, not in the checkout; no example
# database: derandomized runs replay without one.
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "tablespec-hypothesis")
_COMMON = {"derandomize": True, "deadline": None, "print_blob": True, "database": None,
           "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large]}
settings.register_profile("test", max_examples=200, **_COMMON)  # type: ignore[arg-type]
settings.register_profile("fuzz", max_examples=10_000, **_COMMON)  # type: ignore[arg-type]
settings.load_profile(os.environ.get("TABLESPEC_FUZZ_PROFILE", "test"))


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


# Worlds so slow to make that every file using one runs on the same pytest-xdist worker
# (`--dist loadgroup`): the hub is examples/org/terraform applied to the moto server, about
# a minute, which each worker would otherwise make again. Every other file is a group of
# its own (as `--dist loadfile` has them): its module fixtures made once, its tests in order.
SHARED_WORLDS = ("hub",)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Mark each test with its xdist group (read only when xdist distributes the run)."""
    group: dict[str, str] = {}
    for item in items:
        path = item.nodeid.split("::")[0]
        shared = [w for w in SHARED_WORLDS if w in getattr(item, "fixturenames", ())]
        if shared:
            group[path] = f"world-{shared[0]}"
        group.setdefault(path, path)
    for item in items:
        item.add_marker(pytest.mark.xdist_group(group[item.nodeid.split("::")[0]]))


# Where the suite may write in the checkout: its caches (.cache/: the plans, pre-commit's
# environments) and what Python and the linters write beside any code.
MAY_WRITE = (".cache/", ".venv/", ".pytest_cache/", ".mypy_cache/", ".ruff_cache/")


def _checkout_status() -> set[str]:
    """Untracked and ignored paths of the checkout, as `git status` shows them."""
    done = subprocess.run(["git", "status", "--porcelain", "--ignored"], cwd=REPO,
                          capture_output=True, text=True, check=False)
    return {line[3:] for line in done.stdout.splitlines() if line[:2] in ("??", "!!")
            and not line[3:].startswith(MAY_WRITE) and "__pycache__" not in line
            and ".egg-info" not in line}


def pytest_sessionstart(session: pytest.Session) -> None:
    """On CI (a clean clone), note the checkout's untracked files before the run."""
    if os.environ.get("CI") and not hasattr(session.config, "workerinput"):
        session.config.stash[_BEFORE] = _checkout_status()


def pytest_sessionfinish(session: pytest.Session) -> None:
    """On CI, fail the run if a test wrote into the checkout."""
    before = session.config.stash.get(_BEFORE, None)
    if before is None:
        return
    written = sorted(_checkout_status() - before)
    if written:
        writer = session.config.get_terminal_writer()
        writer.line()
        writer.line(f"tests wrote into the checkout: {', '.join(written)}", red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


_BEFORE = pytest.StashKey[set[str]]()
