"""Checkov confs of aws_dynamodb_table, shaped as Checkov 3.3.30 hands them to a check.

Copied from what Checkov produced for examples/terraform (plan and HCL), then trimmed.
"""

from __future__ import annotations

import copy
from typing import Any

Conf = dict[str, Any]

_LINES = {"start_line": [0], "end_line": [0]}


def plan_conf(**changes: Any) -> Conf:
    """interaction-events as a `terraform_plan` conf: created, compliant."""
    conf: Conf = {
        "attribute": [
            {"name": ["playerId"], "type": ["S"], **_LINES},
            {"name": ["sessionId"], "type": ["S"], **_LINES},
            {"name": ["timestamp"], "type": ["S"], **_LINES},
        ],
        "billing_mode": ["PAY_PER_REQUEST"],
        "deletion_protection_enabled": [None],
        "global_secondary_index": [{
            "hash_key": ["playerId"], "name": ["PlayerIdIndex"], "non_key_attributes": [[]],
            "on_demand_throughput": [[]], "projection_type": ["ALL"], "range_key": ["timestamp"],
            **_LINES}],
        "hash_key": ["sessionId"],
        "name": ["hypermage-vr-interaction-events-prod"],
        "point_in_time_recovery": [{"enabled": [True], **_LINES}],
        "range_key": ["timestamp"],
        "server_side_encryption": [{"enabled": [True], **_LINES}],
        "tags": [{"Environment": "prod", "Owner": "DevOps Team", "Project": "hypermage-vr",
                  "CostCenter": "Production", "start_line": 0, "end_line": 0}],
        "tags_all": [{"Environment": ["prod"], "Owner": ["DevOps Team"],
                      "Project": ["hypermage-vr"], "CostCenter": ["Production"], **_LINES}],
        "ttl": [{"attribute_name": ["ttl"], "enabled": [True], **_LINES}],
        **_LINES,
        "__address__": "module.dynamodb.aws_dynamodb_table.interaction_events",
        "__change_actions__": ["create"],
        "__change_keys__": [],
    }
    conf.update(copy.deepcopy(changes))
    return conf


def hcl_conf(**changes: Any) -> Conf:
    """interaction-events as a `terraform` (HCL) conf, everything resolved."""
    conf: Conf = {
        "__end_line__": 112,
        "__start_line__": 68,
        "attribute": [{"name": ["sessionId"], "type": ["S"]},
                      {"name": ["timestamp"], "type": ["S"]},
                      {"name": ["playerId"], "type": ["S"]}],
        "billing_mode": ["PAY_PER_REQUEST"],
        "global_secondary_index": [{"hash_key": ["playerId"], "name": ["PlayerIdIndex"],
                                    "projection_type": ["ALL"], "range_key": ["timestamp"]}],
        "hash_key": ["sessionId"],
        "name": ["hypermage-vr-interaction-events-prod"],
        "point_in_time_recovery": [{"enabled": [True]}],
        "range_key": ["timestamp"],
        "server_side_encryption": [{"enabled": [True]}],
        "tags": [{"CostCenter": "Production", "Environment": "prod", "Owner": "DevOps Team",
                  "Project": "hypermage-vr"}],
        "ttl": [{"attribute_name": ["ttl"], "enabled": [True]}],
        "__address__": "aws_dynamodb_table.interaction_events",
        "__provider_address__": "aws.default",
    }
    conf.update(copy.deepcopy(changes))
    return conf


def without(conf: Conf, *keys: str) -> Conf:
    """*conf* with *keys* left out."""
    return {k: v for k, v in conf.items() if k not in keys}


# The for_each module of tests/fixtures/terraform/foreach as Checkov's HCL parser leaves it:
# `dynamic` blocks "rendered" with their iterator text, `each.value.*` unresolved.
FOREACH_HCL: Conf = {
    "__end_line__": 55, "__start_line__": 3,
    "billing_mode": ["each.value.billing_mode"],
    "dynamic": [
        {"attribute": [{"name": ["attribute.value.name"], "type": ["attribute.value.type"]}]},
        {"ttl": [{"attribute_name": ["ttl.value"], "enabled": ["var.ttl_enabled"]}]},
    ],
    "hash_key": ["each.value.hash_key"],
    "name": ["each.value.name"],
    "point_in_time_recovery": [{"enabled": ["each.value.point_in_time_recovery"]}],
    "range_key": ["each.value.range_key"],
    "read_capacity": ["None"],
    "tags": ["${merge(${each.value.tags},{'Name': ${each.value.name}})}"],
    "__address__": "module.table.aws_dynamodb_table.this",
    "attribute": [{"name": ["attribute.value.name"], "type": ["attribute.value.type"]}],
    "ttl": [{"attribute_name": ["ttl.value"], "enabled": ["var.ttl_enabled"]}],
}
