"""The farm's combined plans are the plans Terraform makes of each root alone."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.support.tfplans import PlanFarm, deviation_files

pytestmark = pytest.mark.terraform


def ordered(node: Any) -> Any:
    """*node* with its lists of addressed objects sorted: Terraform itself writes a module's
    instances and its relevant attributes in no fixed order."""
    if isinstance(node, dict):
        return {k: ordered(v) for k, v in node.items() if k != "timestamp"}
    if isinstance(node, list):
        items = [ordered(item) for item in node]
        if items and all(isinstance(i, dict) and ("address" in i or "resource" in i)
                         for i in items):
            return sorted(items, key=lambda i: json.dumps(i, sort_keys=True))
        return items
    return node


def read(path: Path) -> Any:
    return ordered(json.loads(path.read_text(encoding="utf-8")))


# the module shape (a module inheriting the root's provider) and the for_each shape (module
# instances) with a deviation each: between them, every kind of address the split rewrites
@pytest.mark.parametrize(("shape", "deviation"), [("module", "pitr-off"),
                                                  ("foreach", "alarm-period")])
def test_combined_plans_equal_plans_alone(farm: PlanFarm, shape: str, deviation: str) -> None:
    combined = farm.plan(shape, deviation)
    alone = farm.plan_with(shape, f"alone-{deviation}", deviation_files(shape, deviation))
    assert combined != alone
    plan = read(combined)
    assert plan == read(alone)
    assert plan["resource_changes"] and all(
        not rc["address"].startswith("module.v") for rc in plan["resource_changes"])
    assert plan["configuration"]["provider_config"]
