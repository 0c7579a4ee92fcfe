"""Names and settings made by functions, read from source as Terraform plans them.

One real plan of `tests/fixtures/terraform/functions`: tables named by the cloudposse label
module (vendored), by a `replace` with a regex, keys from a `dynamic` block over a set, and
tags made by functions of every family; and, in Terraform's JSON syntax, a table with
nested and dynamic blocks, a local module call and an override file. The source reading
must give what the plan gives, field by field, with every name known.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from checker import terraform
from checker.model import NO_MAXIMUM, Gsi, Key, TableState, Ttl
from checker.sources.hcl import read_hcl
from checker.sources.plan import tables_from_plan
from tests.sources.hcl.parity import compare
from tests.sources.hcl.util import repository
from tests.support.tfplans import TREES, PlanFarm

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
    assert {"aws_dynamodb_table.json_orders", "aws_dynamodb_table.json_labelled"} <= set(names)
    _json_tables({s.resource: s for s in found.states})


def _json_tables(ours: dict[str, TableState]) -> None:
    """The tables written in JSON (tables.tf.json, calls.tf.json, override.tf.json), which
    `compare` has found as planned, read field by field: not all unknown alike."""
    orders = ours["aws_dynamodb_table.json_orders"]
    assert (orders.location.file, orders.location.line) == ("tables.tf.json", 22)
    assert orders.field_locations["global_secondary_index"].line == 36  # its dynamic block
    assert (orders.read_capacity, orders.write_capacity, orders.ttl, orders.pitr) == (
        7, 6, Ttl(True, "expires_at"), True)  # read 7 and write 6: override.tf.json
    assert orders.encryption.describe() == "aws_owned"  # override.tf.json: enabled false
    assert orders.tags == {"Owner": "billing", "PROD": "yes", "Ratio": "2.5",
                           "Literal": "14", "Trimmed": "2.5"}
    assert orders.gsis == (
        Gsi("by_customer", Key("customer", "S"), Key("created", "N"), "INCLUDE",
            ("CURRENCY", "total"), 2, 2, NO_MAXIMUM),
        Gsi("by_status", Key("status", "S"), None, "INCLUDE", ("CURRENCY", "total"), 2, 2,
            NO_MAXIMUM))
    labelled = ours["aws_dynamodb_table.json_labelled"]
    assert labelled.name == "acme_prod_blue_ledger_v2_primary_json_prod"
    assert isinstance(labelled.tags, dict) and labelled.tags["Attributes"] == "v2_primary_json_prod"
    short = ours["aws_dynamodb_table.short"]  # main.tf, overridden by override.tf.json
    assert (short.deletion_protection, short.ttl) == (True, Ttl(True, "gone_at"))
