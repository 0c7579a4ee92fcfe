"""Names and settings made by functions, read from source as Terraform plans them.

One real plan of `tests/fixtures/terraform/functions`: tables named by the cloudposse label
module (vendored), by a `replace` with a regex, keys from a `dynamic` block over a set, and
tags made by functions of every family. The source reading must give what the plan gives,
field by field, with every name known.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker import terraform
from checker.sources.hcl import read_hcl
from checker.sources.plan import tables_from_plan
from tests.hcl.parity import compare
from tests.hcl.util import repository
from tests.tfplans import TREES, PlanFarm

pytestmark = pytest.mark.terraform


def test_names_made_by_functions_resolve_as_terraform_resolves_them(
        farm: PlanFarm, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    plan = json.loads(farm.plan("functions").read_text(encoding="utf-8"))
    planned = tables_from_plan(plan, "plan.json")
    tree = TREES["functions"].tree
    root = terraform.stage(tree, repository(tmp_path / "tree"), ".")
    monkeypatch.chdir(tmp_path / "tree")
    (found,) = read_hcl([str(root)])
    names = {s.resource: s.name for s in found.states}
    assert names == {s.resource: s.name for s in planned}
    assert names["aws_dynamodb_table.labelled"] == "acme-prod-blue-orderstable-v2-primary"
    assert names["aws_dynamodb_table.slug"] == "payments-ledger-v3-eu"
    result = compare(found.states, planned)
    assert (result.differences, result.hcl_unknown) == ([], [])
