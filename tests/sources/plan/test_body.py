"""checker/sources/plan/body.py: what a block's `after_unknown` flags make of its values."""

from __future__ import annotations

from typing import Any

from checker.model import TableState, Ttl
from checker.sources.plan import tables_from_plan
from checker.unknown import Reason, Unknown

AFTER: dict[str, Any] = {
    "name": "hypermage-vr-player-rewards-prod", "billing_mode": "PAY_PER_REQUEST",
    "hash_key": "playerId", "attribute": [{"name": "playerId", "type": "S"}],
    "global_secondary_index": [], "server_side_encryption": [], "replica": [],
    "ttl": [{"enabled": True, "attribute_name": "ttl"}],
    "point_in_time_recovery": [{"enabled": True}], "tags": {}, "tags_all": {},
}


def read(**flags: Any) -> TableState:
    """The one table of a plan that updates it, with these `after_unknown` flags."""
    return read_with(AFTER, **flags)


def read_with(after: dict[str, Any], **flags: Any) -> TableState:
    """The one table of a plan that updates it to *after*, with these `after_unknown` flags."""
    rc = {"address": "aws_dynamodb_table.t", "mode": "managed", "type": "aws_dynamodb_table",
          "name": "t", "change": {"actions": ["update"], "after": after, "after_unknown": flags}}
    plan = {"format_version": "1.2", "planned_values": {}, "resource_changes": [rc],
            "configuration": {}, "variables": {}}
    (state,) = tables_from_plan(plan, "plan.json")
    return state


def test_blocks_with_nothing_unknown_in_them_are_their_planned_values() -> None:
    state = read(ttl=[{}], point_in_time_recovery=[{"enabled": False}])
    assert state.ttl == Ttl(True, "ttl") and state.pitr is True


def test_a_block_decided_at_apply_as_a_whole_has_no_known_value() -> None:
    """`[true]`: the block's planned values are placeholders, not what it will be."""
    state = read(ttl=[True], point_in_time_recovery=[True])
    assert isinstance(state.ttl, Ttl)
    for value in (state.ttl.enabled, state.ttl.attribute, state.pitr):
        assert isinstance(value, Unknown) and value.kind is Reason.UNKNOWN_VALUE
        assert "known after apply" in value.reason


def test_flags_terraform_does_not_write_make_the_block_invalid_not_known() -> None:
    state = read(ttl=[["x"]], point_in_time_recovery=["yes"])
    assert isinstance(state.ttl, Ttl)
    for value in (state.ttl.enabled, state.ttl.attribute, state.pitr):
        assert isinstance(value, Unknown) and value.kind is Reason.INVALID_VALUE
        assert "after_unknown" in value.reason


def test_an_attribute_flag_that_does_not_fit_its_value_makes_it_invalid() -> None:
    """A flag is true, or a mapping or list of flags shaped like the value."""
    for flag in ("yes", 1, {"a": True}, [True]):
        value = read(billing_mode=flag).billing_mode
        assert isinstance(value, Unknown) and value.kind is Reason.INVALID_VALUE, flag
    assert read(billing_mode={}).billing_mode == "PAY_PER_REQUEST"
    assert read(billing_mode={"a": False}).billing_mode == "PAY_PER_REQUEST"


def test_a_block_list_flagged_true_is_decided_at_apply_whatever_after_shows() -> None:
    for after in ([], [{"enabled": True, "attribute_name": "ttl"}]):
        state = read_with({**AFTER, "ttl": after}, ttl=True)
        assert isinstance(state.ttl, Unknown) and "known after apply" in state.ttl.reason


def test_a_block_list_flag_that_is_not_a_list_makes_the_blocks_invalid() -> None:
    for flag in ("yes", {"enabled": True}):
        state = read(ttl=flag)
        assert isinstance(state.ttl, Unknown) and state.ttl.kind is Reason.INVALID_VALUE, flag
