"""Checkov conf -> TableState through the one reading: nothing unresolved passes."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from checker.checkov.adapter import is_plan, table_state
from checker.checkov.body import is_expression
from checker.model import TTL_OFF, EncLevel, Gsi, Key, Maybe, Ttl, Unknown, is_unknown
from tests.checkov.confs import FOREACH_HCL, Conf, hcl_conf, plan_conf, without

FILE = "/plan.json"
CMK = "arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
AWS_KEY = "arn:aws:kms:eu-west-1:123456789012:alias/aws/dynamodb"


def known(key: Maybe[Key | None]) -> Key:
    """*key*, which the test expects to be there and known."""
    assert isinstance(key, Key)
    return key


def indexes(gsis: Maybe[tuple[Gsi, ...]]) -> tuple[Gsi, ...]:
    """*gsis*, which the test expects known."""
    assert isinstance(gsis, tuple)
    return gsis


def test_modes_are_told_apart() -> None:
    assert is_plan(plan_conf()) and not is_plan(hcl_conf())


@pytest.mark.parametrize("make", [plan_conf, hcl_conf])
def test_compliant_table_reads_fully(make: Callable[[], Conf]) -> None:
    state = table_state(make(), FILE)
    assert state.name == "hypermage-vr-interaction-events-prod"
    assert state.hash_key == Key("sessionId", "S") and state.range_key == Key("timestamp", "S")
    assert state.ttl == Ttl(True, "ttl") and state.pitr is True
    assert state.billing_mode == "PAY_PER_REQUEST"
    gsis = indexes(state.gsis)
    assert [g.name for g in gsis] == ["PlayerIdIndex"]
    assert gsis[0].range_key == Key("timestamp", "S") and gsis[0].projection == "ALL"
    assert state.tags == {"CostCenter": "Production", "Environment": "prod",
                          "Owner": "DevOps Team", "Project": "hypermage-vr"}
    assert state.location.file == FILE
    assert is_unknown(state.alarms_incomplete)  # alarms are out of a resource check's sight


def test_plan_created_table_blocks_shown_only_after_apply_are_unknown() -> None:
    """Left out (the default) or dynamic and decided at apply: a plan shows both alike."""
    state = table_state(without(plan_conf(), "ttl", "point_in_time_recovery",
                                "server_side_encryption"), FILE)
    assert is_unknown(state.ttl) and is_unknown(state.pitr)
    assert (state.encryption.low, state.encryption.high) == (EncLevel.AWS_OWNED,
                                                             EncLevel.CUSTOMER_MANAGED)


@pytest.mark.parametrize("actions", [["update"], ["no-op"]])
def test_plan_existing_table_missing_blocks_are_unknown(actions: list[str]) -> None:
    conf = without(plan_conf(__change_actions__=actions), "ttl", "point_in_time_recovery",
                   "server_side_encryption", "global_secondary_index")
    state = table_state(conf, FILE)
    assert is_unknown(state.ttl) and is_unknown(state.pitr) and is_unknown(state.gsis)
    assert (state.encryption.low, state.encryption.high) == (EncLevel.AWS_OWNED,
                                                             EncLevel.CUSTOMER_MANAGED)


def test_plan_values_known_only_after_apply_are_unknown() -> None:
    conf = without(plan_conf(billing_mode=["PROVISIONED"]), "name", "hash_key", "tags_all")
    state = table_state(conf, FILE)
    assert is_unknown(state.name) and is_unknown(known(state.hash_key).name)
    assert is_unknown(state.read_capacity) and is_unknown(state.tags)
    assert table_state(plan_conf(read_capacity=[None]), FILE).read_capacity is None


def test_plan_reference_copied_back_is_not_a_value() -> None:
    state = table_state(plan_conf(name=["aws_sns_topic.t.id"],
                                  tags=["aws_sns_topic.t.id"]), FILE)
    assert is_unknown(state.name)
    assert not is_unknown(state.tags)  # tags_all is known here and wins, as in the plan source
    state = table_state(without(plan_conf(tags=["aws_sns_topic.t.id"]), "tags_all"), FILE)
    assert is_unknown(state.tags)


def _sse(**block: object) -> list[dict[str, object]]:
    return [{"enabled": [True], "start_line": [0], "end_line": [0], **block}]


@pytest.mark.parametrize(("block", "low", "high"), [
    ({}, EncLevel.AWS_MANAGED, EncLevel.CUSTOMER_MANAGED),  # key decided at apply
    ({"kms_key_arn": [None]}, EncLevel.AWS_MANAGED, EncLevel.AWS_MANAGED),
    ({"kms_key_arn": [AWS_KEY]}, EncLevel.AWS_MANAGED, EncLevel.AWS_MANAGED),
    ({"kms_key_arn": [CMK]}, EncLevel.CUSTOMER_MANAGED, EncLevel.CUSTOMER_MANAGED),
    # a reference Checkov copied back: whether that key instance exists, the conf does not
    # say (`try(aws_kms_key.k[0].arn, null)` with count = 0 looks the same)
    ({"kms_key_arn": ["aws_kms_key.ddb.arn"],
      "references_": [["aws_kms_key.ddb.arn", "aws_kms_key.ddb"]]},
     EncLevel.AWS_MANAGED, EncLevel.CUSTOMER_MANAGED),
    # the reference Checkov copied back is one of several roots: which key is not known
    ({"kms_key_arn": ["aws_kms_key.ddb.arn"],
      "references_": [["var.use_cmk", "aws_kms_key.ddb.arn", "aws_kms_key.ddb"]]},
     EncLevel.AWS_MANAGED, EncLevel.CUSTOMER_MANAGED),
    ({"kms_key_arn": ["data.aws_kms_key.k.arn"],
      "references_": [["data.aws_kms_key.k.arn", "data.aws_kms_key.k"]]},
     EncLevel.AWS_MANAGED, EncLevel.CUSTOMER_MANAGED),
    ({"enabled": [False]}, EncLevel.AWS_OWNED, EncLevel.AWS_OWNED),
])
def test_plan_encryption(block: dict[str, object], low: EncLevel, high: EncLevel) -> None:
    enc = table_state(plan_conf(server_side_encryption=_sse(**block)), FILE).encryption
    assert (enc.low, enc.high) == (low, high)


@pytest.mark.parametrize(("key", "low", "high"), [
    (None, EncLevel.AWS_MANAGED, EncLevel.AWS_MANAGED),  # not set: aws/dynamodb
    # Checkov reduces `length(k) > 0 ? k[0].arn : null` to the text `aws_kms_key.k[0].arn`:
    # reference text in an HCL conf may stand for that, so it is not taken as the key
    ("aws_kms_key.ddb.arn", EncLevel.AWS_MANAGED, EncLevel.CUSTOMER_MANAGED),
    ("var.kms_key_arn", EncLevel.AWS_MANAGED, EncLevel.CUSTOMER_MANAGED),
    (AWS_KEY, EncLevel.AWS_MANAGED, EncLevel.AWS_MANAGED),
])
def test_hcl_encryption(key: str | None, low: EncLevel, high: EncLevel) -> None:
    block = {"enabled": [True]} | ({"kms_key_arn": [key]} if key else {})
    enc = table_state(hcl_conf(server_side_encryption=[block]), FILE).encryption
    assert (enc.low, enc.high) == (low, high)


def test_hcl_left_out_is_the_default() -> None:
    conf = without(hcl_conf(), "ttl", "point_in_time_recovery", "server_side_encryption",
                   "billing_mode", "tags", "global_secondary_index")
    state = table_state(conf, FILE)
    assert state.ttl == TTL_OFF and state.pitr is False and state.gsis == ()
    assert state.encryption.known and state.encryption.low is EncLevel.AWS_OWNED
    assert state.billing_mode == "PROVISIONED" and state.tags == {}
    assert state.read_capacity is None and state.location.line == 68


def test_hcl_unresolved_values_are_unknown() -> None:
    state = table_state(hcl_conf(
        hash_key=["var.hash_key"], read_capacity=["local.provisioned ? 5 : None"],
        tags=["${merge(local.common_tags,{'Name': 'x'})}"],
        point_in_time_recovery=[{"enabled": ["var.enable_point_in_time_recovery"]}]), FILE)
    assert is_unknown(known(state.hash_key).name) and is_unknown(state.read_capacity)
    assert is_unknown(state.tags) and is_unknown(state.pitr)


def test_hcl_dynamic_blocks_are_unknown_not_passes() -> None:
    state = table_state(FOREACH_HCL, FILE)
    for value in (state.name, known(state.hash_key).name, state.ttl, state.pitr, state.tags,
                  state.billing_mode, state.read_capacity):
        assert is_unknown(value), value
    assert is_unknown(known(state.hash_key).type)  # the attribute blocks are dynamic


def test_hcl_dynamic_with_an_empty_for_each_makes_no_block() -> None:
    content = [{"enabled": [True]}]
    conf = hcl_conf(server_side_encryption=content * 3,  # Checkov copies content in per check
                    dynamic=[{"server_side_encryption": {"content": content, "for_each": [[]]}}])
    assert table_state(conf, FILE).encryption.low is EncLevel.AWS_OWNED
    conf["dynamic"][0]["server_side_encryption"]["for_each"] = ["var.encryptions"]
    assert is_unknown(table_state(conf, FILE).encryption.key_arn)


def test_hcl_provider_default_tags() -> None:
    state = table_state(hcl_conf(tags=[{"Environment": "prod"}]), FILE,
                        default_tags={"Owner": "Ops", "Environment": "dev"})
    assert state.tags == {"Owner": "Ops", "Environment": "prod"}
    state = table_state(hcl_conf(), FILE, default_tags=Unknown("default_tags unresolved"))
    assert is_unknown(state.tags)


def test_after_unknown_stand_in_is_unknown() -> None:
    """Should someone set EVAL_TF_PLAN_AFTER_UNKNOWN, its marker is no key and no name."""
    state = table_state(plan_conf(
        name=["true_after_unknown"], ttl=["true_after_unknown"],
        server_side_encryption=_sse(kms_key_arn=["true_after_unknown"])), FILE)
    assert is_unknown(state.name) and is_unknown(state.ttl)
    assert not state.encryption.known


def test_tag_values_as_terraform_stores_them() -> None:
    state = table_state(plan_conf(tags_all=[{"Backup": [True], "Tier": [2], "start_line": [0]}]),
                        FILE)
    assert state.tags == {"Backup": "true", "Tier": "2"}


@pytest.mark.parametrize("text", [
    "var.x", "local.y ? 5 : None", "each.value.name", "module.kms.key_arn",
    "aws_kms_key.k.arn", "data.aws_kms_key.k.arn", "ttl.value", "global_secondary_index.value.name",
    "${var.project}-x", "merge(var.a, var.b)", "{for k, v in x : k => v}", "None",
    "true_after_unknown"])
def test_expressions(text: str) -> None:
    assert is_expression(text)


@pytest.mark.parametrize("text", [
    "hypermage-vr-player-sessions-prod", "playerId", "ttl", "PAY_PER_REQUEST", "ALL", CMK,
    AWS_KEY, "alias/my-key", "DevOps Team", "prod", ""])
def test_values(text: str) -> None:
    assert not is_expression(text)
