"""KMS keys in plans: followed through module calls and outputs, as exactly as the plan allows."""

from __future__ import annotations

from typing import Any

import pytest

from checker.model import EncLevel
from checker.sources.plan import tables_from_plan
from tests.sources.plan.test_source import TABLE_AFTER, TABLE_UNKNOWN, change, one, plan_of


def config_with_kms(expr: dict[str, Any], variables: dict[str, Any] | None = None
                    ) -> dict[str, Any]:
    """A root module calling module "db" whose table passes var.kms_key_arn."""
    table = {"address": "aws_dynamodb_table.t", "mode": "managed", "type": "aws_dynamodb_table",
             "name": "t", "expressions": {"server_side_encryption": [
                 {"enabled": {"constant_value": True},
                  "kms_key_arn": {"references": ["var.kms_key_arn"]}}]}}
    call = {"source": "./db", "expressions": {"kms_key_arn": expr} if expr else {},
            "module": {"resources": [table],
                       "variables": {"kms_key_arn": {"default": None}}}}
    return {"root_module": {"module_calls": {"db": call},
                            "resources": [{"address": "aws_kms_key.k", "mode": "managed",
                                           "type": "aws_kms_key", "name": "k"}]}}


def test_enabled_sse_with_key_decided_at_apply_is_at_least_aws_managed() -> None:
    state = one(plan_of(change("aws_dynamodb_table.t", TABLE_AFTER, TABLE_UNKNOWN)))
    assert (state.encryption.low, state.encryption.high) == (
        EncLevel.AWS_MANAGED, EncLevel.CUSTOMER_MANAGED)


@pytest.mark.parametrize(
    ("expr", "variables", "level"),
    [
        (None, None, EncLevel.AWS_MANAGED),  # not passed: the default null
        ({"constant_value": None}, None, EncLevel.AWS_MANAGED),
        ({"references": ["aws_kms_key.k.arn", "aws_kms_key.k"]}, None,
         EncLevel.CUSTOMER_MANAGED),
        ({"references": ["var.key"]}, {"key": {"value": "arn:aws:kms:eu-west-1:1:alias/aws/"
                                                         "dynamodb"}}, EncLevel.AWS_MANAGED),
        ({"references": ["var.key"]}, {"key": {"value": "arn:aws:kms:eu-west-1:1:key/abc"}},
         EncLevel.CUSTOMER_MANAGED),
    ],
)
def test_kms_key_followed_through_module_calls(
    expr: dict[str, Any] | None, variables: dict[str, Any] | None, level: EncLevel
) -> None:
    rc = change("module.db.aws_dynamodb_table.t", TABLE_AFTER, TABLE_UNKNOWN, module="module.db")
    key = change("aws_kms_key.k", {}, {"arn": True}, rtype="aws_kms_key")
    state = one(plan_of(rc, key, config=config_with_kms(expr or {}), variables=variables))
    assert (state.encryption.low, state.encryption.high) == (level, level)


def test_a_key_the_plan_read_as_aws_managed_is_aws_managed_wherever_it_is_passed() -> None:
    """The alias is looked up in another module and the key passed as a plain string."""
    key = "arn:aws:kms:eu-west-1:1:key/abc"
    after = {"name": "hypermage-vr-player-rewards-prod", "hash_key": "playerId",
             "billing_mode": "PAY_PER_REQUEST", "attribute": [{"name": "playerId", "type": "S"}],
             "server_side_encryption": [{"enabled": True, "kms_key_arn": key}], "replica": []}
    plan = {"format_version": "1.2", "planned_values": {}, "resource_changes": [{
        "address": "aws_dynamodb_table.t", "mode": "managed", "type": "aws_dynamodb_table",
        "name": "t", "change": {"actions": ["create"], "after": after, "after_unknown": {}}}],
        "prior_state": {"values": {"root_module": {"child_modules": [{"resources": [{
            "address": "module.keys.data.aws_kms_alias.ddb", "mode": "data",
            "type": "aws_kms_alias", "name": "ddb",
            "values": {"name": "alias/aws/dynamodb", "target_key_arn": key}}]}]}}}}
    (state,) = tables_from_plan(plan, "plan.json")
    assert state.encryption.known and state.encryption.low.label == "aws_managed"


def test_a_part_of_a_variable_is_that_part() -> None:
    """`var.keys.events` in a module: the part of the value the root passes."""
    from checker.sources.plan.config import PlanConfig
    from checker.sources.plan.const import Const

    call = {"source": "./db", "expressions": {"keys": {"constant_value": {
        "events": "arn:aws:kms:eu-west-1:1:alias/aws/dynamodb"}}}, "module": {}}
    config = PlanConfig({"configuration": {"root_module": {"module_calls": {"db": call}}}})
    found = config.resolve("module.db", {"references": ["var.keys.events", "var.keys"]}, "k")
    assert found == Const("arn:aws:kms:eu-west-1:1:alias/aws/dynamodb")
    missing = config.resolve("module.db", {"references": ["var.keys.other", "var.keys"]}, "k")
    assert not isinstance(missing, Const) and "has no such part" in missing.reason
