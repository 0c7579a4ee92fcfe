"""The HCL source against the plan source on real plans: every shape, every deviation.

Each case stages the tree exactly as `tests/support/tfplans.py` does (deviation file dropped in,
offline provider override added), reads it with `read_hcl`, and compares the TableStates
field by field with the plan read with its source (`--source-dir`): the same, field by
field. The plan alone agrees too, and knows less only where it holds a value in
`after_unknown`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker import terraform
from checker.model import TableState
from checker.sources.hcl import read_hcl
from checker.sources.hcl.layouts import Environments
from checker.sources.plan import tables_from_plan
from checker.sources.plan.sourcedir import read_with_source
from tests.sources.hcl.parity import compare
from tests.sources.hcl.util import repository
from tests.support.tfplans import SHAPES, TREES, PlanFarm, deviation_files, deviation_names

pytestmark = pytest.mark.terraform

DEVIATIONS: list[str | None] = [None, *deviation_names()]
JOBS = [(shape, deviation) for deviation in DEVIATIONS for shape in SHAPES]


@pytest.fixture(scope="module")
def plans(farm: PlanFarm) -> dict[tuple[str, str | None], Path]:
    """Every shape, compliant and with each deviation (cached on disk by the farm)."""
    return farm.plans(JOBS)


def hcl_states(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shape: str,
               deviation: str | None) -> tuple[list[TableState], Path]:
    """read_hcl of the shape's root, staged as the plan farm stages it; and that root."""
    spec = SHAPES[shape]
    extra = deviation_files(shape, deviation) if deviation else {}
    root = terraform.stage(spec.tree, repository(tmp_path / "tree"), spec.root, extra)
    monkeypatch.chdir(tmp_path / "tree")
    roots = read_hcl([str(root)])
    assert len(roots) == 1 and not roots[0].module_alone
    return roots[0].states, root


def after_unknown(line: str) -> bool:
    """A comparison line where the plan's Unknown is a value it holds in after_unknown."""
    return any(why in line for why in ("known after apply", "decided at apply",
                                      "the plan shows no"))


@pytest.mark.parametrize("shape", sorted(SHAPES))
@pytest.mark.parametrize("deviation", DEVIATIONS, ids=[d or "compliant" for d in DEVIATIONS])
def test_hcl_source_agrees_with_the_plan(plans: dict[tuple[str, str | None], Path],
                                         tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                         shape: str, deviation: str | None) -> None:
    plan = json.loads(plans[(shape, deviation)].read_text())
    found, root = hcl_states(tmp_path, monkeypatch, shape, deviation)
    with_source, notes = read_with_source(plan, "plan.json", str(root))
    assert notes == []
    result = compare(found, with_source)
    assert (result.differences, result.hcl_unknown, result.hcl_knows_more) == ([], [], [])
    alone = compare(found, tables_from_plan(plan, "plan.json"))
    assert (alone.differences, alone.hcl_unknown) == ([], [])
    assert [line for line in alone.hcl_knows_more if not after_unknown(line)] == []
    assert len(found) >= 3 and all(s.source == "hcl" for s in found)
    assert all(s.location.file and s.location.line for s in found)


def test_the_dev_root_agrees_with_its_plan(farm: PlanFarm, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """The module evaluated through the other root that calls it."""
    spec = TREES["dev"]
    raw = farm.plan("dev").read_bytes()
    root = terraform.stage(spec.tree, repository(tmp_path / "tree"), spec.root)
    expected, _ = read_with_source(json.loads(raw), "dev.json", str(root))
    monkeypatch.chdir(tmp_path / "tree")
    (found,) = read_hcl([str(root)])
    result = compare(found.states, expected)
    assert result.differences == [] and result.hcl_unknown == []
    assert all(s.pitr is False and s.alarms == [] for s in found.states)


# examples/layouts: (tree, environment) -> what Terraform is told: plan args, workspace
LAYOUTS: dict[str, tuple[str, str, tuple[str, ...], str | None, str]] = {
    "var-files-dev": ("var-files", "dev", ("-var-file=env/dev.tfvars",), None,
                      "var file env/dev.tfvars"),
    "var-files-prod": ("var-files", "prod", ("-var-file=env/prod.tfvars",), None,
                       "var file env/prod.tfvars"),
    "workspaces-dev": ("workspaces", "dev", (), "dev", "workspace dev"),
    "workspaces-prod": ("workspaces", "prod", (), "prod", "workspace prod"),
}


@pytest.fixture(scope="module")
def layout_plans(farm: PlanFarm) -> dict[str, Path]:
    """Each layout planned once per environment, as its team plans it."""
    return farm.planned({label: (tree, args, workspace)
                         for label, (tree, _env, args, workspace, _by) in LAYOUTS.items()})


@pytest.mark.parametrize("label", sorted(LAYOUTS))
def test_each_environment_of_a_layout_agrees_with_its_plan(
        layout_plans: dict[str, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        label: str) -> None:
    """The evaluation tablespec makes for an environment (a var file in a folder of its
    own, a workspace) is the plan Terraform makes with that var file or in that workspace,
    field by field."""
    tree, env, _args, _workspace, selected_by = LAYOUTS[label]
    spec = TREES[tree]
    root = terraform.stage(spec.tree, repository(tmp_path / "tree"), spec.root)
    expected, notes = read_with_source(json.loads(layout_plans[label].read_text()), "plan.json",
                                       str(root))
    assert notes == []
    monkeypatch.chdir(tmp_path / "tree")
    roots = read_hcl([str(root)], environments=Environments(("dev", "staging", "prod")))
    (found,) = [r for r in roots if r.environment == env]
    assert found.selected_by == selected_by
    result = compare(found.states, expected)
    assert (result.differences, result.hcl_unknown, result.hcl_knows_more) == ([], [], [])
    assert sorted(str(s.name) for s in found.states) == sorted(
        f"hypermage-vr-{t}-{env}" for t in ("interaction-events", "player-rewards",
                                           "player-sessions"))
    assert all(s.pitr is (env == "prod") for s in found.states)
