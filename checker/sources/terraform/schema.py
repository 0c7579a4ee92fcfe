"""The attributes tablespec reads, with their types in the hashicorp/aws 5.100 schema.

Readers of Terraform source convert what is written to these types as Terraform does
(`"true"` to a bool, `5` to a string); plan JSON already holds them. A test holds this
table to `terraform providers schema -json` of the mirrored provider.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Shape:
    """A resource or nested block: attribute name -> Terraform type, and its blocks."""

    attributes: dict[str, str | tuple[str, str]]
    blocks: dict[str, Shape] = field(default_factory=dict)
    max_items: int | None = None  # a block type written at most this many times


def _list(elem: str) -> tuple[str, str]:
    return ("list", elem)


def _set(elem: str) -> tuple[str, str]:
    return ("set", elem)


def _map(elem: str) -> tuple[str, str]:
    return ("map", elem)


_ON_DEMAND = Shape({"max_read_request_units": "number", "max_write_request_units": "number"},
                  max_items=1)
_PRINCIPALS = Shape({"type": "string", "identifiers": _set("string")})
_METRIC = Shape({"dimensions": _map("string"), "metric_name": "string", "namespace": "string",
                 "period": "number", "stat": "string"}, max_items=1)

SHAPES: dict[str, Shape] = {
    "aws_dynamodb_table": Shape(
        {"name": "string", "billing_mode": "string", "hash_key": "string",
         "range_key": "string", "read_capacity": "number", "write_capacity": "number",
         "deletion_protection_enabled": "bool", "tags": _map("string"),
         "tags_all": _map("string"), "stream_enabled": "bool", "stream_view_type": "string",
         "table_class": "string"},
        {
            "attribute": Shape({"name": "string", "type": "string"}),
            "global_secondary_index": Shape(
                {"name": "string", "hash_key": "string", "range_key": "string",
                 "projection_type": "string", "non_key_attributes": _set("string"),
                 "read_capacity": "number", "write_capacity": "number"},
                {"on_demand_throughput": _ON_DEMAND}),
            "on_demand_throughput": _ON_DEMAND,
            "ttl": Shape({"enabled": "bool", "attribute_name": "string"}, max_items=1),
            "point_in_time_recovery": Shape(
                {"enabled": "bool", "recovery_period_in_days": "number"}, max_items=1),
            "server_side_encryption": Shape(
                {"enabled": "bool", "kms_key_arn": "string"}, max_items=1),
            "replica": Shape({"region_name": "string", "kms_key_arn": "string",
                              "point_in_time_recovery": "bool", "propagate_tags": "bool"}),
        },
    ),
    "aws_dynamodb_table_replica": Shape(
        {"global_table_arn": "string", "kms_key_arn": "string",
         "point_in_time_recovery": "bool", "deletion_protection_enabled": "bool",
         "table_class_override": "string", "tags": _map("string"),
         "tags_all": _map("string")},
    ),
    "aws_dynamodb_contributor_insights": Shape({"table_name": "string", "index_name": "string"}),
    "aws_cloudwatch_metric_alarm": Shape(
        {"alarm_name": "string", "namespace": "string", "metric_name": "string",
         "statistic": "string", "extended_statistic": "string",
         "comparison_operator": "string", "threshold": "number", "period": "number",
         "evaluation_periods": "number", "dimensions": _map("string"),
         "alarm_actions": _set("string"), "actions_enabled": "bool"},
        {"metric_query": Shape({"id": "string", "expression": "string",
                                "return_data": "bool"}, {"metric": _METRIC})},
    ),
    "aws_cloudwatch_composite_alarm": Shape(
        {"alarm_name": "string", "alarm_rule": "string", "alarm_actions": _set("string"),
         "actions_enabled": "bool"},
    ),
    "aws_appautoscaling_target": Shape(
        {"service_namespace": "string", "resource_id": "string", "scalable_dimension": "string",
         "min_capacity": "number", "max_capacity": "number"},
    ),
    "aws_dynamodb_resource_policy": Shape(
        {"resource_arn": "string", "policy": "string",
         "confirm_remove_self_resource_access": "bool"},
    ),
    # A data source (no resource has its name): read by `policydoc` as the provider reads it.
    "aws_iam_policy_document": Shape(
        {"version": "string", "policy_id": "string",
         "source_policy_documents": _list("string"),
         "override_policy_documents": _list("string"), "source_json": "string",
         "override_json": "string"},
        {"statement": Shape(
            {"sid": "string", "effect": "string", "actions": _set("string"),
             "not_actions": _set("string"), "resources": _set("string"),
             "not_resources": _set("string")},
            {"principals": _PRINCIPALS, "not_principals": _PRINCIPALS,
             "condition": Shape({"test": "string", "variable": "string",
                                 "values": _list("string")})})},
    ),
}


def attribute_type(resource: str, path: tuple[str, ...], name: str) -> str | tuple[str, str] | None:
    """The type of attribute *name* inside the blocks *path* of *resource* (None: not read)."""
    shape = SHAPES.get(resource)
    for block in path:
        shape = shape.blocks.get(block) if shape is not None else None
    return shape.attributes.get(name) if shape is not None else None
